// `hawser recover [--rollback|--finish]`: finds operations an earlier hawser did not finish (killed,
// engine gone) from their journal, shows them, and puts the original back or completes the job.
import type {Command} from 'commander';
import type {EnginePort} from '../engine/port.js';
import {InputError} from '../jobs/job.js';
import {pendingOperations, prepareRecover, type RecoverAction} from '../jobs/recreate/recover.js';
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

  const pending = pendingOperations(engine);
  const action: RecoverAction | undefined = flags.rollback ? 'rollback' : flags.finish ? 'finish' : undefined;
  if (flags.json) {
    printJson({type: 'pending', operations: pending.map(({description, id, name, oldId, newId, step, purpose, startedAt}) => ({id, name, oldId, newId, step, purpose, startedAt, description}))});
  } else if (pending.length === 0) {
    process.stderr.write('Nothing to recover: no unfinished operation on this engine.\n');
  } else {
    for (const operation of pending) {
      process.stderr.write(`• ${operation.description}\n`);
    }
  }

  if (!action || pending.length === 0) {
    if (!action && pending.length > 0 && !flags.json) {
      process.stderr.write('Run hawser recover --rollback to put the originals back, or --finish to complete them.\n');
    }

    return exitCodes.ok;
  }

  if (isReadOnly) {
    throw new InputError('--read-only is set: hawser will not change anything.', 'Run without --read-only to recover.');
  }

  let code: number = exitCodes.ok;
  for (const operation of pending) {
    const done = await confirmAndRun(prepareRecover(operation, action), engine, {json: flags.json, yes: flags.yes});
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
    .option('--rollback', 'put each original back under its name, with its restart policy, running as it was')
    .option('--finish', 'complete each replacement (rolls back if that fails)')
    .option('-y, --yes', 'do not ask')
    .option('--json', 'print the pending operations, then the previews and events, as JSON lines')
    .addHelpText('after', '\nWithout --rollback or --finish it only lists what is pending.\nJournals live in $HAWSER_STATE_DIR/journal (default: $XDG_STATE_HOME/hawser/journal).')
    .action(async (flags: RecoverFlags) => {
      process.exitCode = await runRecover(context.connect(), flags, context.isReadOnly());
    });
};
