// `hawser ls containers|networks|volumes [--json]`: the panels' rows, for scripts.
import {InvalidArgumentError, type Command} from 'commander';
import type {ResourceKind} from '../resources/kind.js';
import type {CommandContext} from './context.js';
import {printJson} from './job-output.js';
import {argumentOf} from './value-kinds.js';

const kinds = ['containers', 'networks', 'volumes'] as const;

function parseKind(value: string): (typeof kinds)[number] {
  const match = kinds.find(kind => kind.startsWith(value.toLowerCase()) && value.length >= 1);
  if (!match) {
    throw new InvalidArgumentError('expected containers, networks or volumes');
  }

  return match;
}

/** Registers `ls`. */
export function registerLs(program: Command, context: CommandContext): void {
  program
    .command('ls')
    .description('list containers, networks or volumes with the same columns as the TUI')
    .addArgument(argumentOf({values: kinds}, '<kind>', 'containers, networks or volumes').argParser(parseKind))
    .option('--json', 'one JSON document: an array of the engine\'s records')
    .addHelpText('after', '\nExamples:\n  hawser ls containers\n  hawser ls volumes --json | jq \'.[].name\'')
    .action(async (kind: (typeof kinds)[number], options: {json?: boolean}) => {
      const engine = context.connect();
      const [{containersKind}, {buildIndex}, {columnWidths, contentWidths, formatRow}, {networksKind}, {volumesKind}] = await Promise.all([
        import('../resources/containers.js'), import('../resources/resource-index.js'), import('../resources/layout.js'), import('../resources/networks.js'), import('../resources/volumes.js'),
      ]);
      const containers = await engine.listContainers();
      const usage = kind === 'volumes' ? new Map((await engine.volumeUsage()).map(u => [u.name, u])) : undefined;
      // NET MODE: the rows the list cannot tell (a live switch's marker is only in inspect; a network given by id) are inspected.
      const modes = kind === 'containers' && !options.json ? await (await import('../state/inspected-modes.js')).inspectModesOnce(engine, containers) : undefined;
      const index = buildIndex(containers, usage, modes);
      const print = <T, D>(resource: ResourceKind<T, D>, items: readonly T[]) => {
        const sorted = [...items].sort(resource.compare);
        if (options.json) {
          printJson(sorted);
          return;
        }

        const cells = sorted.map(item => resource.columns.map(c => c.cell(item, index)));
        const titles = resource.columns.map(c => c.title);
        const wanted = contentWidths(cells, titles);
        // Not on a terminal: never cut a cell, scripts need whole values.
        const width = process.stdout.isTTY ? process.stdout.columns || 100 : wanted.reduce((sum, w) => sum + w + 1, 0) + resource.columns.reduce((sum, c) => sum + (c.width === 'flex' ? 0 : c.width), 0);
        const widths = columnWidths(resource.columns, width, wanted);
        const lines = [formatRow(titles, widths), ...cells.map(row => formatRow(row, widths))];
        process.stdout.write(`${lines.map(line => line.trimEnd()).join('\n')}\n`);
      };

      if (kind === 'containers') {
        print(containersKind, containers);
      } else if (kind === 'networks') {
        print(networksKind, await engine.listNetworks());
      } else {
        const volumes = await engine.listVolumes();
        print(volumesKind, options.json ? volumes.map(v => ({...v, size: usage?.get(v.name)?.size ?? -1})) : volumes);
      }
    });
}
