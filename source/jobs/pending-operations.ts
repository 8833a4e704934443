// Operations an earlier hawser left unfinished (killed, engine gone), whatever they were: a container
// recreate or a volume replace. `hawser recover` and the TUI's start-up offer read them from here and
// get, for each, a sentence and the previewed jobs that roll it back or finish it.
import type {EnginePort} from '../engine/port.js';
import type {ActionForm} from './action-form.js';
import type {PreparedJob} from './job.js';
import {isOwnerAlive, removeStaleTemporaryFiles} from './journal-file.js';
import {removeStaleLocks} from './recreate/lock.js';
import {describeJournal, prepareRecover} from './recreate/recover.js';
import {readJournals} from './recreate/journal.js';
import {describeReplace, prepareReplaceRecover, readReplaceJournals} from './volume-archive/replace-volume.js';

/** What to do with a pending operation. */
export type RecoverAction = 'rollback' | 'finish';

/** An unfinished operation found at start. */
export type PendingOperation = {
  readonly id: string;
  readonly kind: 'recreate' | 'volume-replace';
  /** The container or volume it was about. */
  readonly name: string;
  readonly purpose: string;
  /** Where it stopped, in one sentence. */
  readonly description: string;
  readonly step: string;
  readonly startedAt: string;
  /** What each choice does, in a few words. */
  readonly hints: Readonly<Record<RecoverAction, string>>;
  /** The journal's fields, for `--json`. */
  readonly details: Readonly<Record<string, unknown>>;
  readonly prepare: (action: string) => PreparedJob;
};

/**
 * Unfinished operations on this engine (all engines when none is given), oldest first. Ones whose
 * hawser is still running are left out: it is working on them.
 */
export function pendingOperations(engine?: Pick<EnginePort, 'address'>, env?: NodeJS.ProcessEnv): PendingOperation[] {
  const mine = <T extends {readonly engine: string; readonly host: string; readonly pid: number}>(journal: T) => (!engine || journal.engine === engine.address) && !isOwnerAlive(journal);
  const recreates: PendingOperation[] = readJournals(env).filter(mine).map(journal => ({
    id: journal.id,
    kind: 'recreate',
    name: journal.name,
    purpose: journal.purpose,
    description: describeJournal(journal),
    step: journal.step,
    startedAt: journal.startedAt,
    hints: {rollback: `the original ${journal.name} back under its name, as it was`, finish: 'complete the replacement'},
    details: {name: journal.name, oldId: journal.oldId, newId: journal.newId},
    prepare: action => prepareRecover(journal, action),
  }));
  const replaces: PendingOperation[] = readReplaceJournals(env).filter(mine).map(journal => ({
    id: journal.id,
    kind: 'volume-replace',
    name: journal.volume,
    purpose: `replace the contents of volume ${journal.volume}`,
    description: describeReplace(journal),
    step: journal.step,
    startedAt: journal.startedAt,
    hints: {rollback: `keep ${journal.volume}'s old contents, drop the new ones`, finish: `put the new contents in place in ${journal.volume}`},
    details: {volume: journal.volume, staging: journal.staging, file: journal.file, via: journal.via},
    prepare: action => prepareReplaceRecover(journal, action),
  }));
  return [...recreates, ...replaces].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

/**
 * Removes what hawsers that died left in the journal folder besides journals: half-written
 * `*.json.<pid>.tmp` files (killed between writing and renaming) and container locks. Returns the
 * files removed.
 */
export function removeStaleJournalFiles(env?: NodeJS.ProcessEnv): string[] {
  return [...removeStaleTemporaryFiles(env), ...removeStaleLocks(env)];
}

/** "Recover an unfinished operation" for the TUI to offer at start: choose roll back or finish, see the preview, confirm. */
export function recoverForm(operation: PendingOperation): ActionForm {
  return {
    title: `Unfinished: ${operation.purpose}`,
    fields: [{
      kind: 'choice',
      name: 'action',
      label: 'What to do',
      initial: 'rollback',
      choices: async () => [
        {value: 'rollback', label: 'Roll back', hint: operation.hints.rollback},
        {value: 'finish', label: 'Finish', hint: operation.hints.finish},
      ],
    }],
    prepare: async (_engine, values) => operation.prepare(values['action'] ?? 'rollback'),
  };
}
