// The journal of a recreate in progress: written before the first change, updated after each step,
// deleted on success or rollback. If hawser dies half-way (SIGKILL, power cut, a closed terminal),
// the next start finds it and can put the original back or finish the job. One JSON file per
// operation, replaced atomically (write to a temporary name, fsync, rename).
import {closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync} from 'node:fs';
import {hostname, homedir} from 'node:os';
import path from 'node:path';
import type {EndpointSettings} from './stash.js';

/** Where a recreate had got to, in order; each step is recorded once it is done. */
export const journalSteps = ['planned', 'created', 'policy', 'stopped', 'renamed-old', 'renamed-new', 'connected', 'started', 'rolling-back'] as const;

/** One step of a recreate. */
export type RecreateStep = typeof journalSteps[number];

/** What an unfinished recreate leaves behind for the next start. */
export type RecreateJournal = {
  readonly version: 1;
  readonly kind: 'recreate';
  /** The file's name without `.json`: `recreate-<name>-<suffix>`. */
  readonly id: string;
  /** The engine's address, so an operation is only ever recovered on its own engine. */
  readonly engine: string;
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
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
  readonly updatedAt: string;
};

/** The folder holding journals: `$HAWSER_STATE_DIR/journal`, else `$XDG_STATE_HOME/hawser/journal`, else `~/.local/state/hawser/journal`. */
export function journalDir(env: NodeJS.ProcessEnv = process.env): string {
  const stateDir = env['HAWSER_STATE_DIR'] || path.join(env['XDG_STATE_HOME'] || path.join(homedir(), '.local', 'state'), 'hawser');
  return path.join(stateDir, 'journal');
}

function fileOf(id: string, env?: NodeJS.ProcessEnv): string {
  return path.join(journalDir(env), `${id}.json`);
}

/** Writes (or replaces) a journal atomically; throws a plain Error when the folder is not writable. */
export function writeJournal(journal: RecreateJournal, env?: NodeJS.ProcessEnv): void {
  const dir = journalDir(env);
  mkdirSync(dir, {recursive: true, mode: 0o700});
  const file = fileOf(journal.id, env);
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(journal, undefined, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }

  renameSync(temporary, file);
}

/** Records a step (and whatever became known with it). */
export function updateJournal(journal: RecreateJournal, change: Partial<Pick<RecreateJournal, 'step' | 'newId'>>, env?: NodeJS.ProcessEnv): RecreateJournal {
  const next = {...journal, ...change, updatedAt: new Date().toISOString()};
  writeJournal(next, env);
  return next;
}

/** Deletes a journal; a missing one is fine. */
export function deleteJournal(id: string, env?: NodeJS.ProcessEnv): void {
  rmSync(fileOf(id, env), {force: true});
}

function isJournal(value: unknown): value is RecreateJournal {
  const v = value as Partial<RecreateJournal> | undefined;
  return Boolean(v && v.version === 1 && v.kind === 'recreate' && typeof v.id === 'string' && typeof v.oldId === 'string' && typeof v.name === 'string');
}

/** True while the process that wrote a journal still runs on this machine (it is still working on it). */
export function isOwnerAlive(journal: RecreateJournal): boolean {
  if (journal.host !== hostname() || journal.pid === process.pid) {
    return false;
  }

  try {
    process.kill(journal.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Every readable journal, oldest first; damaged files are skipped (and reported through `onDamaged`). */
export function readJournals(env?: NodeJS.ProcessEnv, onDamaged?: (file: string) => void): RecreateJournal[] {
  let names: string[];
  try {
    names = readdirSync(journalDir(env)).filter(name => name.endsWith('.json'));
  } catch {
    return [];
  }

  const result: RecreateJournal[] = [];
  for (const name of names) {
    const file = path.join(journalDir(env), name);
    try {
      const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      if (isJournal(value)) {
        result.push(value);
      } else {
        onDamaged?.(file);
      }
    } catch {
      onDamaged?.(file);
    }
  }

  return result.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}
