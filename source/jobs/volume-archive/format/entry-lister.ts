// Turns a tar stream's entries into a listing with a sha256 per regular file, as the parser reads
// them: used by backup (to write the manifest), by scan/verify, and to read back a restored volume.
import {createHash, type Hash} from 'node:crypto';
import type {ListedEntry} from './manifest.js';
import {normalizeEntryName} from './archive-rules.js';
import type {TarEntry, TarHandlers} from './tar-entry.js';

const zeros = Buffer.alloc(1024 * 1024);

/** A header with the sha256 of its data (regular files only). */
export type HashedEntry = TarEntry & {readonly sha256?: string};

/** Collects entries and hashes file contents; `handlers` goes to a TarParser. */
export class EntryLister {
  /** Every entry in archive order. */
  readonly entries: HashedEntry[] = [];
  /** Bytes of file data read so far. */
  dataBytes = 0;
  /** The entry being read. */
  current: TarEntry | undefined;
  private hash: Hash | undefined;

  /**
   * `isHashing` false lists without file checksums (a read-back whose bytes were proven otherwise).
   * `onListed`: each entry goes there instead of into `entries` (an archive's scan keeps them compact).
   */
  constructor(private readonly isHashing = true, private readonly onListed?: (entry: HashedEntry) => void) {}

  readonly handlers: TarHandlers = {
    onEntry: entry => {
      this.current = entry;
      this.hash = entry.type === 'file' && this.isHashing ? createHash('sha256') : undefined;
    },
    onData: chunk => {
      this.dataBytes += chunk.length;
      this.hash?.update(chunk);
    },
    // A sparse file's hole reads as zeros: its checksum is the whole file's, as a dense copy would have.
    onHole: length => {
      this.dataBytes += length;
      if (this.hash) {
        for (let left = length; left > 0; left -= zeros.length) {
          this.hash.update(left >= zeros.length ? zeros : zeros.subarray(0, left));
        }
      }
    },
    onEntryEnd: entry => {
      // Object.assign, not a spread: on Node 20 a spread of many entries gives most copies a hidden class of
      // their own (some 360 bytes each, 36 MB for 100,000 files); these all share one.
      const listed = this.hash ? Object.assign({}, entry, {sha256: this.hash.digest('hex')}) : entry;
      if (this.onListed) {
        this.onListed(listed);
      } else {
        this.entries.push(listed);
      }

      this.hash = undefined;
    },
  };
}

/** The manifest's view of a header: path relative to the root, link target normalized for hardlinks. */
export function toListed(entry: HashedEntry, path?: string, linkPath?: string): ListedEntry {
  const resolved = path ?? normalizedOrRaw(entry.name);
  const link = entry.type === 'symlink' ? entry.linkname : entry.type === 'hardlink' ? (linkPath ?? normalizedOrRaw(entry.linkname)) : undefined;
  return {
    path: resolved,
    type: entry.type,
    size: entry.size,
    mode: entry.mode,
    uid: entry.uid,
    gid: entry.gid,
    mtime: entry.mtime,
    ...(entry.mtimeText === undefined ? {} : {mtimeText: entry.mtimeText}),
    ...(link === undefined ? {} : {link}),
    ...(entry.sha256 === undefined ? {} : {sha256: entry.sha256}),
  };
}

function normalizedOrRaw(name: string): string {
  const normalized = normalizeEntryName(name);
  return 'path' in normalized ? normalized.path : name;
}
