// Where archives go by default and what they are called.
import {randomBytes} from 'node:crypto';
import {closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readSync, statSync, unlinkSync, type Stats} from 'node:fs';
import path from 'node:path';
import {constants as zlib, gunzipSync} from 'node:zlib';
import {readTailManifest} from './format/archive-file.js';
import {TarParser} from './format/tar-parser.js';
import {homeFolder} from '../../model/home.js';

/** The backups folder: $HAWSER_BACKUP_DIR, else $XDG_DATA_HOME/hawser/backups, else ~/.local/share/hawser/backups. */
export function backupsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['HAWSER_BACKUP_DIR']) {
    return path.resolve(env['HAWSER_BACKUP_DIR']);
  }

  const data = env['XDG_DATA_HOME'] || path.join(homeFolder(env), '.local', 'share');
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
 * written to; an existing file is replaced only when it is one of hawser's archives (or empty). A name ending in
 * .gz or .tgz says gzip, one ending in .tar says plain: the choice must agree. A path too long for the system
 * is refused before it is used.
 */
export async function destinationProblem(destination: string, isGzip: boolean): Promise<{readonly message: string; readonly hint: string} | undefined> {
  if (path.basename(destination) === '-') {
    return {message: '-o - would write a file named "-": hawser writes archives to files, not to standard output (an archive is checked and flushed before it gets its name).', hint: 'Give a file name (ending in .tar or .tar.gz), or a folder.'};
  }

  // Before anything looks at the path: the system would refuse it half-way, with nothing a person can act on.
  const tooLong = lengthProblem(destination);
  if (tooLong) {
    return tooLong;
  }

  // The destination itself as it is (a link would be replaced, not followed); the folder it goes in as reached.
  const existing = statOf(destination, lstatSync);
  if (existing && !existing.isFile()) {
    return {message: `${destination} is ${kindOf(existing)}, not a plain file: hawser writes an archive beside it and renames it into place, which would replace it.`, hint: 'Choose a file name (ending in .tar or .tar.gz), or a folder to put the archive in.'};
  }

  // The archive replaces what is there: one of hawser's own archives, or an empty file (mktemp's), never any other file.
  const foreign = existing && existing.size > 0 ? await whyNotHawserArchive(destination) : undefined;
  if (foreign) {
    return {message: `${destination} exists and is not a hawser archive (${foreign}): hawser replaces only its own archives, never other files.`, hint: 'Choose another file name (or a folder, ending in /), or remove that file first if it is no longer needed.'};
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

/** What the temporary file beside the destination adds to its name: `.` before, `.partial-` and 8 hex digits after. */
const partialNameBytes = '.'.length + '.partial-'.length + 8;

/** Linux's limits: a name in a path (NAME_MAX), a whole path with its final NUL (PATH_MAX). */
const nameMaxBytes = 255;
const pathMaxBytes = 4096;

/** The path shortened to be shown: the start and the end of one thousands of characters long. */
function shortened(file: string): string {
  const characters = [...file];
  return characters.length > 80 ? `${characters.slice(0, 50).join('')}…${characters.slice(-20).join('')}` : file;
}

/** Why the system would refuse `destination` (or the temporary file written beside it) as too long, or undefined. */
function lengthProblem(destination: string): {readonly message: string; readonly hint: string} | undefined {
  const hint = 'Give a shorter path (-o): shorter names, or fewer folders.';
  const folders = path.dirname(destination).split(path.sep);
  const longFolder = folders.find(name => Buffer.byteLength(name) > nameMaxBytes);
  if (longFolder !== undefined) {
    return {message: `The archive's path ${shortened(destination)} is too long: a folder name in it is ${Buffer.byteLength(longFolder)} bytes long, and a name can have at most ${nameMaxBytes}.`, hint};
  }

  const nameBytes = Buffer.byteLength(path.basename(destination));
  if (nameBytes + partialNameBytes > nameMaxBytes) {
    return {message: `The archive's file name ${shortened(path.basename(destination))} is too long: ${nameBytes} bytes, and with the temporary name it is written under first (.NAME.partial-…) it can have at most ${nameMaxBytes - partialNameBytes}.`, hint};
  }

  const pathBytes = Buffer.byteLength(destination);
  if (pathBytes + partialNameBytes >= pathMaxBytes) {
    return {message: `The archive's path ${shortened(destination)} is too long: ${pathBytes} bytes, and with its temporary name it can have at most ${pathMaxBytes - 1 - partialNameBytes}.`, hint};
  }

  return undefined;
}

/**
 * Why the plain file at `file` is not one of hawser's archives, or undefined when it is: checked from both ends,
 * without reading the volume's bytes in between. A plain tar must start with a valid tar header and end with
 * hawser's manifest as its last entry, then the end-of-archive blocks, as the archive reader (TarParser) and the
 * manifest's parser read them. A gzip stream cannot be read from its end: a tar.gz is taken when its start
 * unpacks to a valid tar header and its trailer's size is whole tar blocks (to find its manifest, the whole
 * stream would have to be unpacked: minutes for a big archive, with the screen waiting).
 */
async function whyNotHawserArchive(file: string): Promise<string | undefined> {
  let descriptor: number;
  try {
    // Non-blocking: should a pipe have taken the file's place since it was looked at, opening it does not wait.
    descriptor = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return `it cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
  }

  try {
    const {size} = fstatSync(descriptor);
    // 16 KiB of gzip unpack to at most some 16 MiB.
    const head = Buffer.alloc(Math.min(size, 16 * 1024));
    readSync(descriptor, head, 0, head.length, 0);
    if (head[0] === 0x1f && head[1] === 0x8b) {
      let start: Buffer;
      try {
        start = gunzipSync(head, {finishFlush: zlib.Z_SYNC_FLUSH});
      } catch {
        return 'it is gzip-compressed, but its start does not unpack';
      }

      if (!startsWithTarHeader(start)) {
        return 'it is gzip-compressed, but not a tar.gz';
      }

      // The trailer's last four bytes: the unpacked size modulo 2^32, whole 512-byte blocks for any tar.
      const trailer = Buffer.alloc(4);
      readSync(descriptor, trailer, 0, 4, Math.max(0, size - 4));
      return size >= 18 && trailer.readUInt32LE(0) % 512 === 0 ? undefined : 'it is gzip-compressed, but does not unpack to a whole tar';
    }

    if (!startsWithTarHeader(head)) {
      return 'it does not start with a tar header';
    }

    return await readTailManifest(file).catch(() => undefined) ? undefined : 'it is a tar, but does not end with hawser\'s manifest';
  } finally {
    closeSync(descriptor);
  }
}

/** True when `bytes` start with one whole, valid tar header (not the end-of-archive blocks of an empty tar). */
function startsWithTarHeader(bytes: Buffer): boolean {
  if (bytes.length < 512) {
    return false;
  }

  const parser = new TarParser();
  try {
    parser.write(bytes.subarray(0, 512));
  } catch {
    return false;
  }

  return parser.endOfArchiveOffset === undefined;
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

