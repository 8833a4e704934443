// Journals of operations in progress (a container recreate, a volume replace): written before the
// first change, updated after each step, deleted on success or rollback. If hawser dies half-way
// (SIGKILL, power cut, a closed terminal), the next start finds them and can undo or finish the work.
// One JSON file per operation, replaced atomically (write to a temporary name, fsync, rename).
import {closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync} from 'node:fs';
import {hostname} from 'node:os';
import path from 'node:path';
import {homeFolder} from '../model/home.js';

/** What every journal records, whatever the operation. */
export type JournalBase = {
  readonly version: 1;
  /** The operation: `recreate`, `volume-replace`. */
  readonly kind: string;
  /** The file's name without `.json`. */
  readonly id: string;
  /** The engine's address, so an operation is only ever recovered on its own engine. */
  readonly engine: string;
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
  readonly updatedAt: string;
};

/** hawser's state folder: `$HAWSER_STATE_DIR`, else `$XDG_STATE_HOME/hawser`, else `~/.local/state/hawser`. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['HAWSER_STATE_DIR'] || path.join(env['XDG_STATE_HOME'] || path.join(homeFolder(env), '.local', 'state'), 'hawser');
}

/** The folder holding journals: `<state folder>/journal`. */
export function journalDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(stateDir(env), 'journal');
}

function fileOf(id: string, env?: NodeJS.ProcessEnv): string {
  return path.join(journalDir(env), `${id}.json`);
}

/** The owner fields of a new journal: this process on this machine, now. */
export function journalOwner(): Pick<JournalBase, 'pid' | 'host' | 'startedAt' | 'updatedAt'> {
  const now = new Date().toISOString();
  return {pid: process.pid, host: hostname(), startedAt: now, updatedAt: now};
}

/** Writes (or replaces) a journal atomically; throws a plain Error when the folder is not writable. */
export function writeJournalFile(journal: JournalBase, env?: NodeJS.ProcessEnv): void {
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

/** Records a step (and whatever became known with it), and returns the journal as written. */
export function updateJournalFile<T extends JournalBase>(journal: T, change: Partial<T>, env?: NodeJS.ProcessEnv): T {
  const next: T = {...journal, ...change, updatedAt: new Date().toISOString()};
  writeJournalFile(next, env);
  return next;
}

/** Deletes a journal; a missing one is fine. */
export function deleteJournal(id: string, env?: NodeJS.ProcessEnv): void {
  rmSync(fileOf(id, env), {force: true});
}

/** True when the journal is still on disk (not yet closed by whoever finished or recovered it). */
export function journalExists(id: string, env?: NodeJS.ProcessEnv): boolean {
  return existsSync(fileOf(id, env));
}

/** True while a process with this id runs on this machine (EPERM: it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) {
    return false;
  }

  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True while the process that wrote a journal still runs on this machine (it is still working on it). */
export function isOwnerAlive(journal: Pick<JournalBase, 'host' | 'pid'>): boolean {
  if (journal.host !== hostname() || journal.pid === process.pid) {
    return false;
  }

  return isProcessAlive(journal.pid);
}

/**
 * Removes the half-written `<id>.json.<pid>.tmp` files of hawsers that died while writing a journal
 * (SIGKILL between the write and the rename). Such a file is never the only record: until the rename
 * the journal is its previous version, or there is none because nothing had been changed yet.
 * Returns the files removed.
 */
export function removeStaleTemporaryFiles(env?: NodeJS.ProcessEnv): string[] {
  let names: string[];
  try {
    names = readdirSync(journalDir(env));
  } catch {
    return [];
  }

  const removed: string[] = [];
  for (const name of names) {
    const match = /^.+\.json\.(\d+)\.tmp$/.exec(name);
    const pid = Number(match?.[1]);
    if (match && pid !== process.pid && !isProcessAlive(pid)) {
      const file = path.join(journalDir(env), name);
      try {
        rmSync(file, {force: true});
        removed.push(file);
      } catch {}
    }
  }

  return removed;
}

/**
 * The readable journals of one kind, oldest first. Files of other kinds are skipped silently; files
 * that are not journals at all are reported through `onDamaged`.
 */
export function readJournalFiles<T extends JournalBase>(kind: string, isValid: (value: T) => boolean, env?: NodeJS.ProcessEnv, onDamaged?: (file: string) => void): T[] {
  let names: string[];
  try {
    names = readdirSync(journalDir(env)).filter(name => name.endsWith('.json'));
  } catch {
    return [];
  }

  const result: T[] = [];
  for (const name of names) {
    const file = path.join(journalDir(env), name);
    try {
      const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<JournalBase> | null;
      if (value?.version === 1 && typeof value.kind === 'string' && typeof value.id === 'string') {
        if (value.kind === kind && isValid(value as T)) {
          result.push(value as T);
        } else if (value.kind === kind) {
          onDamaged?.(file);
        }
      } else {
        onDamaged?.(file);
      }
    } catch {
      onDamaged?.(file);
    }
  }

  return result.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

/**
 * For fault tests only: with HAWSER_TEST_PAUSE_AFTER=<step> set, a journaled operation stops after
 * that step (journal written), says so on stderr and waits until SIGUSR2 (or cancel), so a test can
 * kill hawser or its engine at a known point.
 */
export async function testPause(step: string, signal?: AbortSignal): Promise<void> {
  if (process.env['HAWSER_TEST_PAUSE_AFTER'] !== step) {
    return;
  }

  process.stderr.write(`hawser: test pause after ${step}\n`);
  await new Promise<void>(resolve => {
    const resume = () => {
      clearTimeout(timer);
      process.off('SIGUSR2', resume);
      resolve();
    };

    const timer = setTimeout(resume, 10 * 60_000);
    process.on('SIGUSR2', resume);
    signal?.addEventListener('abort', resume, {once: true});
  });
}
