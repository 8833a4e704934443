// Where archives go by default and what they are called.
import {randomBytes} from 'node:crypto';
import {closeSync, existsSync, lstatSync, openSync, statSync, unlinkSync, type Stats} from 'node:fs';
import {homedir} from 'node:os';
import path from 'node:path';

/** The backups folder: $HAWSER_BACKUP_DIR, else $XDG_DATA_HOME/hawser/backups, else ~/.local/share/hawser/backups. */
export function backupsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['HAWSER_BACKUP_DIR']) {
    return path.resolve(env['HAWSER_BACKUP_DIR']);
  }

  const data = env['XDG_DATA_HOME'] || path.join(env['HOME'] || homedir(), '.local', 'share');
  return path.join(data, 'hawser', 'backups');
}

function stamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
}

/** `<volume>-<YYYYMMDD-HHMMSS>.tar[.gz]`. */
export function defaultArchiveName(volume: string, isGzip: boolean, date = new Date()): string {
  return `${volume}-${stamp(date)}.tar${isGzip ? '.gz' : ''}`;
}

/** Resolves -o: nothing → the backups folder; an existing folder or a name ending in '/' → a default name inside it; else the file itself. */
export function resolveDestination(volume: string, output: string | undefined, isGzip: boolean, env: NodeJS.ProcessEnv = process.env, date = new Date()): string {
  if (!output) {
    return path.join(backupsDir(env), defaultArchiveName(volume, isGzip, date));
  }

  const resolved = path.resolve(output);
  if (output.endsWith('/') || (existsSync(resolved) && statSync(resolved).isDirectory())) {
    return path.join(resolved, defaultArchiveName(volume, isGzip, date));
  }

  return resolved;
}

/** The path's stats, or undefined when there is nothing there to see (missing, or a file on the way). */
function statOf(file: string, read: typeof statSync | typeof lstatSync): Stats | undefined {
  try {
    return read(file);
  } catch {
    return undefined;
  }
}

/** What a path is, for a message. */
function kindOf(stats: Stats): string {
  return stats.isFile() ? 'a file' : stats.isDirectory() ? 'a folder' : stats.isSymbolicLink() ? 'a symbolic link' : stats.isFIFO() ? 'a named pipe' : stats.isSocket() ? 'a socket' : 'a device';
}

/**
 * Why an archive may not be written to `destination`, or undefined when it may. An archive is written beside it
 * and renamed over it, so anything there but a plain file (a pipe, /dev/null, a link) would be replaced, not
 * written to. A name ending in .gz or .tgz says gzip, one ending in .tar says plain: the choice must agree.
 */
export function destinationProblem(destination: string, isGzip: boolean): {readonly message: string; readonly hint: string} | undefined {
  if (path.basename(destination) === '-') {
    return {message: '-o - would write a file named "-": hawser writes archives to files, not to standard output (an archive is checked and flushed before it gets its name).', hint: 'Give a file name (ending in .tar or .tar.gz), or a folder.'};
  }

  // The destination itself as it is (a link would be replaced, not followed); the folder it goes in as reached.
  const existing = statOf(destination, lstatSync);
  if (existing && !existing.isFile()) {
    return {message: `${destination} is ${kindOf(existing)}, not a plain file: hawser writes an archive beside it and renames it into place, which would replace it.`, hint: 'Choose a file name (ending in .tar or .tar.gz), or a folder to put the archive in.'};
  }

  // The nearest folder above that exists: where the archive is written, or its missing folders made.
  let folder = path.dirname(destination);
  let above = statOf(folder, statSync);
  while (!above && folder !== path.dirname(folder)) {
    folder = path.dirname(folder);
    above = statOf(folder, statSync);
  }

  if (above && !above.isDirectory()) {
    return {message: `${folder} is ${kindOf(above)}, not a folder, so ${destination} cannot be made.`, hint: 'Choose a path in an existing folder, or a new one.'};
  }

  const unwritable = folderProblem(folder);
  if (unwritable) {
    return unwritable;
  }

  const name = path.basename(destination);
  if (!isGzip && /\.(gz|tgz)$/i.test(name)) {
    return {message: `${name} names a gzip archive, but compression is off.`, hint: `Turn gzip on (--gzip), or name the file ${name.replace(/\.(tar\.gz|tgz|gz)$/i, '.tar')}.`};
  }

  if (isGzip && /\.tar$/i.test(name)) {
    return {message: `${name} names a plain tar, but gzip is on.`, hint: `Name the file ${name}.gz, or turn gzip off (no --gzip).`};
  }

  return undefined;
}

/** A name for a fresh volume restored from an archive of `volume`. */
export function restoredVolumeName(volume: string, date = new Date()): string {
  return `${volume}-restored-${stamp(date)}`;
}

/**
 * Why nothing can be written in `folder`, found by making (and removing) an empty file there: permission bits
 * do not tell (root passes them; /proc, a read-only mount or a full quota do not), an attempt does. Undefined
 * when it can.
 */
function folderProblem(folder: string): {readonly message: string; readonly hint: string} | undefined {
  const probe = path.join(folder, `.hawser-write-check-${randomBytes(4).toString('hex')}`);
  try {
    closeSync(openSync(probe, 'wx', 0o600));
    unlinkSync(probe);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'an error';
    const why = {EACCES: 'permission denied', EPERM: 'not permitted', EROFS: 'a read-only file system', ENOSPC: 'no space left', EDQUOT: 'over quota'}[code] ?? `it refuses new files (${code})`;
    return {message: `Cannot write an archive in ${folder}: ${why}.`, hint: 'Choose a folder you can write to (the default is the backups folder).'};
  }
}

