// One hawser at a time per container: a recreate (and a recovery) holds an exclusive lock on the
// container it changes, so two hawsers switching the same container at once cannot interleave their
// renames and leave a journal nothing can clear. The lock is a file in the journal folder, keyed by
// the engine's address and the container's id, created with O_EXCL and naming its holder (pid, host,
// since). A lock whose holder died on this machine (SIGKILL, power cut) is taken over.
import {createHash, randomBytes} from 'node:crypto';
import {closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync} from 'node:fs';
import {hostname} from 'node:os';
import path from 'node:path';
import {JobError} from '../job.js';
import {isProcessAlive, journalDir} from '../journal-file.js';

/** What a lock file records about its holder. */
export type LockHolder = {
  readonly version: 1;
  readonly kind: 'container-lock';
  readonly engine: string;
  readonly containerId: string;
  /** The container's name when the lock was taken, for messages. */
  readonly name: string;
  /** What the holder is doing, in words. */
  readonly purpose: string;
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  /** Tells this holder's file from a later one of the same pid. */
  readonly token: string;
};

/** A lock taken: `extend` locks one more container for the same operation (the replacement), `release` lets all go. */
export type ContainerLock = {
  readonly extend: (containerId: string) => void;
  readonly release: () => void;
};

/** A lock file being written is never older than this; an unreadable one that is older was left by a writer that died. */
const writeGraceMs = 10_000;

/** Lock files this process holds, with their tokens: the same process asking twice is refused too. */
const heldHere = new Map<string, string>();

/** The lock file of a container on an engine: `container-<id prefix>-<hash of engine and id>.lock`. */
export function lockFileOf(engine: string, containerId: string, env?: NodeJS.ProcessEnv): string {
  const hash = createHash('sha256').update(`${engine}\n${containerId}`).digest('hex').slice(0, 16);
  return path.join(journalDir(env), `container-${containerId.slice(0, 12)}-${hash}.lock`);
}

function readHolder(file: string): LockHolder | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
  }

  try {
    const value = JSON.parse(text) as Partial<LockHolder> | null;
    return value?.kind === 'container-lock' && typeof value.pid === 'number' && typeof value.host === 'string' ? value as LockHolder : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

function ageMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** True when nobody holds the lock any more: its holder is gone from this machine, or the file was never finished. */
function isStale(file: string, holder: LockHolder | 'unreadable'): boolean {
  if (holder === 'unreadable') {
    return ageMs(file) > writeGraceMs;
  }

  if (holder.host !== hostname()) {
    // Another machine sharing this state folder: whether its hawser runs cannot be told from here.
    return false;
  }

  if (holder.pid === process.pid) {
    return heldHere.get(file) !== holder.token;
  }

  return !isProcessAlive(holder.pid);
}

/** Creates the lock file with O_EXCL; false when it exists. */
function tryCreate(file: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return false;
    }

    throw error;
  }

  try {
    writeSync(fd, `${JSON.stringify(holder, undefined, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }

  return true;
}

/**
 * Removes a stale lock file. Two hawsers may find the same stale lock at once: the removal happens
 * under a short-lived guard file (also O_EXCL), and the lock is read again under it, so neither can
 * remove the fresh lock the other has just taken. Returns true when the lock is gone now.
 */
function removeIfStale(file: string): boolean {
  const guard = `${file}.takeover`;
  let fd: number;
  try {
    fd = openSync(guard, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST' && ageMs(guard) > writeGraceMs) {
      // Its writer died between taking the guard and letting it go (a matter of microseconds).
      rmSync(guard, {force: true});
    }

    return false;
  }

  try {
    closeSync(fd);
    const holder = readHolder(file);
    if (holder === 'missing') {
      return true;
    }

    if (isStale(file, holder)) {
      rmSync(file, {force: true});
      return true;
    }

    return false;
  } finally {
    rmSync(guard, {force: true});
  }
}

/** An ISO time as messages show it: `2025-01-02 03:04:05 UTC`. */
export function when(iso: string): string {
  return `${iso.replace('T', ' ').slice(0, 19)} UTC`;
}

/** The refusal for a container someone else is changing, naming who. */
function refusal(name: string, holder: LockHolder | 'unreadable' | undefined): JobError {
  if (holder && holder !== 'unreadable' && holder.host === hostname() && holder.pid === process.pid) {
    return new JobError(`${name} is already being changed by this hawser (${holder.purpose}, since ${when(holder.since)}).`, 'Nothing was changed. Wait until that has finished, then try again.');
  }

  const who = holder && holder !== 'unreadable' ? ` (pid ${holder.pid}${holder.host === hostname() ? '' : ` on ${holder.host}`}, since ${when(holder.since)})` : '';
  return new JobError(`${name} is being changed by another hawser${who}; wait for it, or run hawser recover if it died.`, 'Nothing was changed.');
}

function acquire(file: string, holder: LockHolder): void {
  mkdirSync(path.dirname(file), {recursive: true, mode: 0o700});
  let found: LockHolder | 'unreadable' | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(file, holder)) {
      heldHere.set(file, holder.token);
      return;
    }

    const current = readHolder(file);
    if (current === 'missing') {
      // Released between our try and our look: try again.
      continue;
    }

    found = current;
    if (!isStale(file, current)) {
      break;
    }

    if (!removeIfStale(file)) {
      // Another hawser is taking the same stale lock over right now: give it a moment.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }

  throw refusal(holder.name, found);
}

function releaseFile(file: string, token: string): void {
  if (heldHere.get(file) !== token) {
    return;
  }

  heldHere.delete(file);
  const holder = readHolder(file);
  if (holder !== 'missing' && holder !== 'unreadable' && holder.token === token) {
    rmSync(file, {force: true});
  }
}

/**
 * Takes the exclusive lock on a container before anything changes, or throws a JobError naming who
 * holds it (another hawser, alive, or this one). A lock left by a hawser that died on this machine is
 * taken over. Throws a plain Error when the journal folder cannot be written.
 */
export function lockContainer(engine: string, containerId: string, name: string, purpose: string, env?: NodeJS.ProcessEnv): ContainerLock {
  const token = randomBytes(8).toString('hex');
  const holderFor = (id: string): LockHolder => ({version: 1, kind: 'container-lock', engine, containerId: id, name, purpose, pid: process.pid, host: hostname(), since: new Date().toISOString(), token});
  const files: string[] = [];
  const take = (id: string) => {
    const file = lockFileOf(engine, id, env);
    if (files.includes(file)) {
      return;
    }

    acquire(file, holderFor(id));
    files.push(file);
  };

  take(containerId);
  return {
    extend: take,
    release() {
      for (const file of files.splice(0)) {
        try {
          releaseFile(file, token);
        } catch {}
      }
    },
  };
}

/** Removes the lock files of hawsers that died on this machine (they would be taken over anyway); returns the files removed. */
export function removeStaleLocks(env?: NodeJS.ProcessEnv): string[] {
  let names: string[];
  try {
    names = readdirSync(journalDir(env)).filter(name => name.endsWith('.lock'));
  } catch {
    return [];
  }

  const removed: string[] = [];
  for (const name of names) {
    const file = path.join(journalDir(env), name);
    const holder = readHolder(file);
    if (holder !== 'missing' && isStale(file, holder) && removeIfStale(file)) {
      removed.push(file);
    }
  }

  return removed;
}
