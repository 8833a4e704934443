// The local restore's check, without reading the volume back: tar extracted the very file the scan
// validated and hashed (unchanged since: same inode, size, mtime and ctime), so the per-file checksums
// that scan computed are the checksums of what tar wrote, and only owners, modes, mtimes, sizes, types
// and links need looking at on disk, with lstat.
import {lstatSync, readdirSync, readlinkSync, type BigIntStats} from 'node:fs';
import {splitTime, timeText} from '../format/exact-time.js';
import type {ListedEntry} from '../format/manifest.js';
import {pathText} from '../format/path-bytes.js';

/** A listing read back without checksums, given the plan's file checksums (valid once the bytes sent were proven to be the scanned ones). */
export function withArchiveHashes(listed: readonly ListedEntry[], expected: readonly ListedEntry[]): ListedEntry[] {
  const hashes = expectedFiles(expected);
  return listed.map(entry => {
    const sha256 = entry.type === 'file' ? hashes.get(entry.path)?.sha256 : undefined;
    return sha256 ? {...entry, sha256} : entry;
  });
}

/** The restore's expected files by path: checksum, and the target for a hardlink. */
function expectedFiles(expected: readonly ListedEntry[]): Map<string, {sha256?: string; link?: string}> {
  const files = new Map<string, {sha256?: string; link?: string}>();
  for (const entry of expected) {
    if (entry.type === 'file' || entry.type === 'hardlink') {
      files.set(entry.path, {...(entry.sha256 ? {sha256: entry.sha256} : {}), ...(entry.type === 'hardlink' && entry.link ? {link: entry.link} : {})});
    }
  }

  // A hardlink's name holds its target's contents.
  for (const [path, file] of files) {
    if (file.link !== undefined && file.sha256 === undefined) {
      const target = files.get(file.link)?.sha256;
      if (target) {
        files.set(path, {...file, sha256: target});
      }
    }
  }

  return files;
}

/** One path of a volume as lstat (or `stat` in a helper) sees it: st_mode with its type bits, mtime in whole seconds (and ns past them when seen), a file identity. */
export type StatLine = {
  readonly path: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly mtime: number;
  /** The nanoseconds past `mtime`'s second, when the reader sees them (lstat does; `stat -c %Y` does not). */
  readonly nanos?: number;
  /** Equal for two names of one file (device and inode). */
  readonly inode: string;
  readonly link?: string;
};

/**
 * A volume's stat lines as the manifest lists them. Files take the sha256 the scan computed (valid only
 * once the bytes written were proven to be the scanned ones); a path the archive made a hardlink is
 * listed as one when it is the same file as its target.
 */
export function listedFromStats(stats: readonly StatLine[], expected: readonly ListedEntry[]): ListedEntry[] {
  const fromArchive = expectedFiles(expected);
  const inodes = new Map(stats.map(line => [line.path, line.inode]));
  return stats.map(line => {
    const mtime = Math.floor(line.mtime);
    const base = {path: line.path, mode: line.mode & 0o7777, uid: line.uid, gid: line.gid, mtime, ...(line.nanos ? {mtimeText: timeText(mtime, line.nanos)} : {})};
    switch (line.mode & 0o170000) {
      case 0o040000: {
        return {...base, type: 'directory', size: 0};
      }

      case 0o120000: {
        return {...base, type: 'symlink', size: 0, link: line.link ?? ''};
      }

      case 0o100000: {
        const known = fromArchive.get(line.path);
        const target = known?.link;
        if (target !== undefined && inodes.get(target) === line.inode) {
          return {...base, type: 'hardlink', size: 0, link: target};
        }

        return {...base, type: 'file', size: line.size, ...(known?.sha256 ? {sha256: known.sha256} : {})};
      }

      case 0o010000: {
        return {...base, type: 'fifo', size: 0};
      }

      case 0o020000: {
        return {...base, type: 'char-device', size: 0};
      }

      default: {
        return {...base, type: 'block-device', size: 0};
      }
    }
  });
}

/** The volume's directory as the manifest lists it, from lstat (see listedFromStats; mtimes to the ns); names of any bytes (see path-bytes.ts). */
export function listRestoredDir(dir: string, expected: readonly ListedEntry[]): ListedEntry[] {
  const stats: StatLine[] = [];
  const root = Buffer.from(dir);
  const visit = (relative: string, full: Buffer, info: BigIntStats) => {
    const {seconds, nanos} = splitTime(info.mtimeNs);
    stats.push({path: relative, mode: Number(info.mode), uid: Number(info.uid), gid: Number(info.gid), size: Number(info.size), mtime: Number(seconds), nanos, inode: `${info.dev}:${info.ino}`, ...(info.isSymbolicLink() ? {link: pathText(readlinkSync(full, {encoding: 'buffer'}))} : {})});
    if (info.isDirectory()) {
      const names = readdirSync(full, {encoding: 'buffer'}).sort(Buffer.compare);
      for (const name of names) {
        const child = Buffer.concat([full, Buffer.from('/'), name]);
        const text = pathText(name);
        visit(relative === '.' ? text : `${relative}/${text}`, child, lstatSync(child, {bigint: true}));
      }
    }
  };

  visit('.', root, lstatSync(root, {bigint: true}));
  return listedFromStats(stats, expected);
}
