// `hawser restore FILE`: validate an archive on this machine, then restore it into a volume and check it.
import type {Command} from 'commander';
import type {EnginePort} from '../engine/port.js';
import {InputError} from '../jobs/job.js';
import type {RegisterCommand} from './context.js';
import {exitCodes} from './errors.js';
import {confirmAndRun, withCtrlC} from './job-output.js';
import {argumentOf, optionOf} from './value-kinds.js';

/** The flags of `hawser restore`. */
export type RestoreFlags = {readonly volume?: string; readonly new?: boolean; readonly replace?: boolean; readonly strip?: string; readonly yes?: boolean; readonly json?: boolean; readonly viaApi?: boolean};

/** Runs `hawser restore`; throws for failures. */
export async function runRestore(engine: EnginePort, file: string, flags: RestoreFlags): Promise<void> {
  if (flags.new && flags.replace) {
    throw new InputError('--new and --replace exclude each other.', 'Use --new for a fresh volume, --replace to overwrite an existing one.');
  }

  let strip: number | undefined;
  if (flags.strip !== undefined) {
    strip = Number(flags.strip);
    if (!/^\d+$/.test(flags.strip)) {
      throw new InputError(`--strip ${flags.strip} is not a number of path components.`, 'Give a whole number such as 0 or 1.');
    }
  }

  // Loaded when a restore runs, not for every command.
  const {prepareRestore} = await import('../jobs/volume-archive/restore-job.js');
  // Planning may make a helper (to see whether an existing volume is empty): Ctrl-C stops it and removes the helper.
  const prepared = await withCtrlC(async signal => prepareRestore(engine, {file, volume: flags.volume, isNew: flags.new, isReplace: flags.replace, strip, via: flags.viaApi ? 'api' : 'auto', signal}));
  const done = await confirmAndRun(prepared, engine, {json: flags.json, yes: flags.yes});
  // A restore whose compare found differences is not a success a script may take as one.
  const differences = done?.data?.['differences'];
  if (Array.isArray(differences) && differences.length > 0) {
    process.exitCode = exitCodes.differences;
  }
}

/** Registers `hawser restore`. */
export const registerRestore: RegisterCommand = (program: Command, context) => {
  program.command('restore')
    .description('restore an archive (tar or tar.gz) into a volume, by default the one its manifest names: created when missing, written into only when empty (or with --replace); validated before anything is written')
    .addArgument(argumentOf('archive', '<file>', 'the archive'))
    .addOption(optionOf('volume', '--volume <name>', 'target volume (default: the volume named in the archive\'s manifest)'))
    .option('--new', 'always create a new volume')
    .option('--replace', 'replace an existing volume\'s contents: staged beside it and checked first, then swapped in (asks, naming the volume)')
    .option('--strip <n>', 'leading path components to remove (default: proposed from the archive)')
    .option('-y, --yes', 'do not ask')
    .option('--json', 'print JSON lines')
    .option('--via-api', 'always go through the engine\'s archive API, even when the volume\'s directory is on this machine (also: HAWSER_ARCHIVE_VIA=api)')
    .action(async (file: string, flags: RestoreFlags) => {
      if (context.isReadOnly()) {
        throw new InputError('--read-only is set: hawser changes nothing.', 'Run without --read-only to restore.');
      }

      await runRestore(context.connect(), file, flags);
    });
};
