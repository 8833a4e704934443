// The journal of a recreate in progress: written before the first change, updated after each step,
// deleted on success or rollback. If hawser dies half-way (SIGKILL, power cut, a closed terminal),
// the next start finds it and can put the original back or finish the job (see ../journal-file.ts).
import {readJournalFiles, updateJournalFile, writeJournalFile, type JournalBase} from '../journal-file.js';
import type {EndpointSettings} from './stash.js';

export {deleteJournal, isOwnerAlive, journalDir} from '../journal-file.js';

/** Where a recreate had got to, in order; each step is recorded once it is done. */
export const journalSteps = ['planned', 'created', 'policy', 'stopping', 'stopped', 'renamed-old', 'renamed-new', 'connected', 'started', 'rolling-back'] as const;

/** One step of a recreate. */
export type RecreateStep = typeof journalSteps[number];

/** What an unfinished recreate leaves behind for the next start. */
export type RecreateJournal = JournalBase & {
  readonly kind: 'recreate';
  readonly name: string;
  readonly oldId: string;
  /** Known once the new container exists. */
  readonly newId?: string;
  readonly temporaryName: string;
  readonly asideName: string;
  readonly restartPolicy: Readonly<Record<string, unknown>>;
  readonly wasRunning: boolean;
  readonly hasHealthcheck: boolean;
  readonly extraNetworks: readonly {readonly name: string; readonly settings: EndpointSettings}[];
  /** What the recreate was for, in words (for example "switch to host mode"). */
  readonly purpose: string;
  readonly step: RecreateStep;
};

/** Writes (or replaces) a journal atomically; throws a plain Error when the folder is not writable. */
export function writeJournal(journal: RecreateJournal, env?: NodeJS.ProcessEnv): void {
  writeJournalFile(journal, env);
}

/** Records a step (and whatever became known with it). */
export function updateJournal(journal: RecreateJournal, change: Partial<Pick<RecreateJournal, 'step' | 'newId'>>, env?: NodeJS.ProcessEnv): RecreateJournal {
  return updateJournalFile<RecreateJournal>(journal, change, env);
}

function isJournal(value: RecreateJournal): boolean {
  return typeof value.oldId === 'string' && typeof value.name === 'string';
}

/** Every readable recreate journal, oldest first; damaged files are skipped (and reported through `onDamaged`). */
export function readJournals(env?: NodeJS.ProcessEnv, onDamaged?: (file: string) => void): RecreateJournal[] {
  return readJournalFiles<RecreateJournal>('recreate', isJournal, env, onDamaged);
}
