// `hawser recover [--rollback|--finish]`: finds operations an earlier hawser did not finish (killed,
// engine gone) from their journal, shows them, and puts the original back or completes the job.
import type {Command} from 'commander';
import type {EnginePort} from '../engine/port.js';
import {InputError} from '../jobs/job.js';
import type {RecoverAction} from '../jobs/pending-operations.js';
import type {RegisterCommand} from './context.js';
import {exitCodes} from './errors.js';
import {confirmAndRun, printJson} from './job-output.js';

/** The flags of `hawser recover`. */
export type RecoverFlags = {readonly rollback?: boolean; readonly finish?: boolean; readonly yes?: boolean; readonly json?: boolean};

/** Runs `hawser recover`; returns the exit code, throws for failures. */
export async function runRecover(engine: EnginePort, flags: RecoverFlags, isReadOnly = false): Promise<number> {
  if (flags.rollback && flags.finish) {
    throw new InputError('--rollback and --finish exclude each other.', 'Choose one.');
  }

  const [{findLeftovers, isEmptyLeftovers, prepareRemoveLeftovers}, {pendingOperations, removeStaleJournalFiles}] = await Promise.all([import('../jobs/helpers/leftovers.js'), import('../jobs/pending-operations.js')]);
  if (!isReadOnly) {
    // Half-written journal files and locks of hawsers that died: hawser's own litter, never a decision.
    removeStaleJournalFiles();
  }

  const pending = pendingOperations(engine);
  const leftovers = await findLeftovers(engine);
  const action: RecoverAction | undefined = flags.rollback ? 'rollback' : flags.finish ? 'finish' : undefined;
  if (flags.json) {
    printJson({type: 'pending', operations: pending.map(({description, id, kind, name, step, purpose, startedAt, details}) => ({id, kind, name, ...details, step, purpose, startedAt, description})), leftovers});
  } else if (pending.length === 0 && isEmptyLeftovers(leftovers)) {
    process.stderr.write('Nothing to recover: no unfinished operation on this engine.\n');
  } else {
    for (const operation of pending) {
      process.stderr.write(`• ${operation.description}\n`);
    }

    for (const helper of leftovers.containers) {
      process.stderr.write(`• Helper container ${helper.name} was left by a hawser that is gone${helper.partialVolume ? ` (its restore into the new volume ${helper.partialVolume} never finished)` : ''}.\n`);
    }

    for (const volume of leftovers.volumes) {
      process.stderr.write(`• Volume ${volume} (a probe or a staging volume) was left by a hawser that is gone.\n`);
    }

    for (const {file, bytes} of leftovers.files ?? []) {
      process.stderr.write(`• ${file} is the unfinished archive of a backup whose hawser is gone${bytes < 0 ? ' (already removed: only its note is left)' : ''}.\n`);
    }
  }

  // Leftover helpers need no decision: any of --rollback, --finish or --yes removes them.
  const isCleaning = !isEmptyLeftovers(leftovers) && Boolean(action ?? flags.yes);
  if ((!action || pending.length === 0) && !isCleaning) {
    if (!flags.json && (pending.length > 0 || !isEmptyLeftovers(leftovers))) {
      process.stderr.write(`Run hawser recover ${pending.length > 0 ? '--rollback to put the originals back, or --finish to complete them' : '--yes to remove the leftovers'}.\n`);
    }

    return exitCodes.ok;
  }

  if (isReadOnly) {
    throw new InputError('--read-only is set: hawser will not change anything.', 'Run without --read-only to recover.');
  }

  let code: number = exitCodes.ok;
  if (isCleaning && !await confirmAndRun(prepareRemoveLeftovers(leftovers), engine, {json: flags.json, yes: flags.yes})) {
    code = exitCodes.failure;
  }

  if (!action) {
    return code;
  }

  for (const operation of pending) {
    const done = await confirmAndRun(operation.prepare(action), engine, {json: flags.json, yes: flags.yes});
    if (!done) {
      code = exitCodes.failure;
    }
  }

  return code;
}

/** Registers `hawser recover`. */
export const registerRecover: RegisterCommand = (program: Command, context) => {
  program.command('recover')
    .description('find operations an earlier hawser left unfinished (killed, engine stopped) and roll them back or finish them')
    .option('--rollback', 'undo each: a recreated container\'s original back under its name, as it was; a replaced volume\'s old contents kept')
    .option('--finish', 'complete each: the new container in place (rolls back if that fails); the new volume contents swapped in')
    .option('-y, --yes', 'do not ask; alone, removes what interrupted runs left (helper containers, half-restored new volumes)')
    .option('--json', 'print the pending operations, then the previews and events, as JSON lines')
    .addHelpText('after', '\nWithout --rollback or --finish it only lists what is pending.\nJournals live in $HAWSER_STATE_DIR/journal (default: $XDG_STATE_HOME/hawser/journal).')
    .action(async (flags: RecoverFlags) => {
      process.exitCode = await runRecover(context.connect(), flags, context.isReadOnly());
    });
};
