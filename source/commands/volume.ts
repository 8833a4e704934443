// `hawser volume create|rm|prune`: volume management, checked before the engine is asked, previewed
// before anything changes, read back after.
import type {Command} from 'commander';
import {InputError} from '../jobs/job.js';
import {collectValues, writableEngine, type RegisterCommand} from './context.js';
import {confirmAndRun, printJson} from './job-output.js';
import {checkVolumeName} from './names.js';
import {argumentOf} from './value-kinds.js';

type Common = {readonly yes?: boolean; readonly json?: boolean};


/** key=value words into a record, each value whole (a mount's `o=addr=10.0.0.5,rw` keeps its commas). */
function keyValues(words: readonly string[], what: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const word of words) {
    const at = word.indexOf('=');
    if (at <= 0) {
      throw new InputError(`The ${what} "${word}" is not in the form key=value.`, `Write each ${what} as key=value, one flag each: --${what === 'label' ? 'label' : 'opt'} key=value.`);
    }

    result[word.slice(0, at)] = word.slice(at + 1);
  }

  return result;
}

/** Registers `hawser volume` and its subcommands. */
export const registerVolume: RegisterCommand = (program: Command, context) => {
  const volume = program.command('volume').description('create, remove and prune volumes (backup, restore and verify have their own commands)');

  volume.command('create')
    .description('create a volume: a driver, its options (a tmpfs, an NFS mount through the local driver) and labels; read back after')
    .argument('<name>', 'volume name: letters, digits, _ . and -')
    .option('-d, --driver <driver>', 'volume driver (default: local)')
    .option('-o, --opt <key=value>', 'a driver option, e.g. type=tmpfs, device=tmpfs, o=size=100m (repeatable)', collectValues, [])
    .option('--label <key=value>', 'a label (repeatable)', collectValues, [])
    .option('-y, --yes', 'do not ask')
    .option('--json', 'print JSON lines')
    .action(async (name: string, flags: Common & {driver?: string; opt: string[]; label: string[]}) => {
      const engine = writableEngine(context, 'volumes');
      const {prepareCreateVolume} = await import('../jobs/volumes/create.js');
      await confirmAndRun(await prepareCreateVolume(engine, {name, driver: flags.driver, options: keyValues(flags.opt, 'option'), labels: keyValues(flags.label, 'label')}), engine, flags);
    });

  volume.command('rm')
    .description('remove a volume; refused while a container (running or stopped) uses it, naming them')
    .addArgument(argumentOf('volume', '<volume>', 'volume name'))
    .option('-y, --yes', 'do not ask')
    .option('--json', 'print JSON lines')
    .action(async (name: string, flags: Common) => {
      const engine = writableEngine(context, 'volumes');
      checkVolumeName(name);
      const {prepareRemoveVolume} = await import('../jobs/volumes/remove.js');
      await confirmAndRun(await prepareRemoveVolume(engine, {volume: name}), engine, flags);
    });

  volume.command('prune')
    .description('remove volumes no container uses (anonymous ones; --all: named ones too); lists them and the bytes freed first')
    .option('-a, --all', 'named volumes too, not only anonymous ones')
    .option('--label <key[=value]>', 'only volumes with this label')
    .option('-y, --yes', 'do not ask')
    .option('--json', 'print JSON lines')
    .action(async (flags: Common & {all?: boolean; label?: string}) => {
      const engine = writableEngine(context, 'volumes');
      const {preparePruneVolumes} = await import('../jobs/volumes/remove.js');
      const prepared = await preparePruneVolumes(engine, {isAll: flags.all, label: flags.label});
      if (prepared.volumes.length === 0) {
        const words = `No unused ${flags.all ? '' : 'anonymous '}volumes.`;
        if (flags.json) {
          printJson({type: 'done', summary: words, data: {removed: [], freedBytes: 0}});
        } else {
          process.stdout.write(`${words}\n`);
        }

        return;
      }

      await confirmAndRun(prepared, engine, flags);
    });
};
