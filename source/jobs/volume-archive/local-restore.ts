// The local restore's check, without reading the volume back: tar extracted the very file the scan
// validated and hashed (unchanged since: same inode, size, mtime and ctime), so the per-file checksums
// that scan computed are the checksums of what tar wrote, and only owners, modes, mtimes, sizes, types
// and links need looking at on disk, with lstat.
import {lstatSync, readdirSync, readlinkSync, type Stats} from 'node:fs';
import path from 'node:path';
import {normalizeEntryName} from './archive-rules.js';
import type {ScanResult} from './archive-scan.js';
import type {ListedEntry} from './manifest.js';

/** A listing read back without checksums, given the scan's file checksums (valid once the bytes sent were proven to be the scanned ones). */
export function withArchiveHashes(listed: readonly ListedEntry[], scan: ScanResult): ListedEntry[] {
  const hashes = archiveEntries(scan);
  return listed.map(entry => {
    const sha256 = entry.type === 'file' ? hashes.get(entry.path)?.sha256 : undefined;
    return sha256 ? {...entry, sha256} : entry;
  });
}

function archiveEntries(scan: ScanResult): Map<string, {sha256?: string; link?: string}> {
  const fromArchive = new Map<string, {sha256?: string; link?: string}>();
  for (const entry of scan.entries) {
    const name = normalizeEntryName(entry.name);
    if ('path' in name) {
      const link = entry.type === 'hardlink' ? normalizeEntryName(entry.linkname) : undefined;
      fromArchive.set(name.path, {sha256: entry.sha256, ...(link && 'path' in link ? {link: link.path} : {})});
    }
  }

  return fromArchive;
}

/** One path of a volume as lstat (or `stat` in a helper) sees it: st_mode with its type bits, mtime in seconds, a file identity. */
export type StatLine = {
  readonly path: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly mtime: number;
  /** Equal for two names of one file (device and inode). */
  readonly inode: string;
  readonly link?: string;
};

/**
 * A volume's stat lines as the manifest lists them. Files take the sha256 the scan computed (valid only
 * once the bytes written were proven to be the scanned ones); a path the archive made a hardlink is
 * listed as one when it is the same file as its target.
 */
export function listedFromStats(stats: readonly StatLine[], scan: ScanResult): ListedEntry[] {
  const fromArchive = archiveEntries(scan);
  const inodes = new Map(stats.map(line => [line.path, line.inode]));
  return stats.map(line => {
    const base = {path: line.path, mode: line.mode & 0o7777, uid: line.uid, gid: line.gid, mtime: Math.floor(line.mtime)};
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

/** The volume's directory as the manifest lists it, from lstat (see listedFromStats). */
export function listRestoredDir(dir: string, scan: ScanResult): ListedEntry[] {
  const stats: StatLine[] = [];
  const visit = (relative: string, info: Stats) => {
    const full = relative === '.' ? dir : path.join(dir, relative);
    stats.push({path: relative, mode: info.mode, uid: info.uid, gid: info.gid, size: info.size, mtime: info.mtimeMs / 1000, inode: `${info.dev}:${info.ino}`, ...(info.isSymbolicLink() ? {link: readlinkSync(full)} : {})});
    if (info.isDirectory()) {
      for (const name of readdirSync(full).sort()) {
        const child = relative === '.' ? name : `${relative}/${name}`;
        visit(child, lstatSync(path.join(dir, child)));
      }
    }
  };

  visit('.', lstatSync(dir));
  return listedFromStats(stats, scan);
}
