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

/**
 * The volume's directory as the manifest lists it, from lstat. Files take the sha256 the scan computed
 * (valid only once the bytes written were proven to be the scanned ones); a path the archive made a
 * hardlink is listed as one when it is the same inode as its target.
 */
export function listRestoredDir(dir: string, scan: ScanResult): ListedEntry[] {
  const fromArchive = archiveEntries(scan);
  const listed: ListedEntry[] = [];
  const visit = (relative: string, stats: Stats) => {
    const full = relative === '.' ? dir : path.join(dir, relative);
    const base = {path: relative, mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid, mtime: Math.floor(stats.mtimeMs / 1000)};
    if (stats.isDirectory()) {
      listed.push({...base, type: 'directory', size: 0});
      for (const name of readdirSync(full).sort()) {
        const child = relative === '.' ? name : `${relative}/${name}`;
        visit(child, lstatSync(path.join(dir, child)));
      }
    } else if (stats.isSymbolicLink()) {
      listed.push({...base, type: 'symlink', size: 0, link: readlinkSync(full)});
    } else if (stats.isFile()) {
      const known = fromArchive.get(relative);
      const target = known?.link;
      if (target !== undefined && isSameFile(stats, path.join(dir, target))) {
        listed.push({...base, type: 'hardlink', size: 0, link: target});
      } else {
        listed.push({...base, type: 'file', size: stats.size, ...(known?.sha256 ? {sha256: known.sha256} : {})});
      }
    } else {
      listed.push({...base, type: stats.isFIFO() ? 'fifo' : stats.isCharacterDevice() ? 'char-device' : 'block-device', size: 0});
    }
  };

  visit('.', lstatSync(dir));
  return listed;
}

function isSameFile(stats: Stats, other: string): boolean {
  try {
    const target = lstatSync(other);
    return target.ino === stats.ino && target.dev === stats.dev;
  } catch {
    return false;
  }
}
