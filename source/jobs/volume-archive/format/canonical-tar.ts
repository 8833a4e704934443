// What a restore hands to the extractor (GNU tar on the local path, the engine's archive API on the
// other) is never the user's archive as it is: it is a canonical tar written here from what hawser's
// own parser read and checked, so no second reader can find something else in the same bytes. Each
// entry is written in the one spelling every reader agrees on: a ustar header with octal fields,
// GNU long-name records for names over 100 bytes (their bytes as they are, in any encoding), and a
// PAX header only for what ustar cannot hold: large owners and sizes, times outside 1970–2242 or with
// a fraction, extended attributes and ACLs. Nothing else from the original headers passes.
import {Transform, type TransformCallback} from 'node:stream';
import {pathBytes} from './path-bytes.js';
import {encodeMapData} from './tar-sparse.js';
import type {TarEntry, TarEntryType} from './tar-entry.js';

const block = 512;
const maxOctal7 = 0o7777777;
const maxOctal11 = 0o77777777777;
const typeFlags: Readonly<Record<TarEntryType, string>> = {
  file: '0', hardlink: '1', symlink: '2', 'char-device': '3', 'block-device': '4', directory: '5', fifo: '6',
};

/** One entry as it is to be written: the checked path (relative to the volume's root, after any strip) and link. */
export type CanonicalEntry = {
  readonly entry: TarEntry;
  /** '.' for the root. */
  readonly path: string;
  /** A hardlink's target path, relative to the root like `path`; a symlink's target is the entry's own linkname. */
  readonly linkPath?: string;
};

/** The bytes of an entry's data in the archive: its size, or for a sparse file its map and segments (PAX 1.0). */
function storedSize(entry: TarEntry): number {
  if (entry.type !== 'file') {
    return 0;
  }

  return entry.sparse ? encodeMapData(entry.sparse).length + entry.sparse.segments.reduce((sum, [, length]) => sum + length, 0) : entry.size;
}

/**
 * The header blocks (long-name records, PAX header, ustar header) that precede the entry's data. A
 * sparse file is written as GNU tar's PAX 1.0 sparse entry, which GNU tar and the engine both extract
 * with its holes: its name in GNU.sparse.name, its map at the start of its data (see sparseMapBlocks).
 */
function canonicalHeader({entry, path, linkPath}: CanonicalEntry): Buffer {
  let name = pathBytes(entry.type === 'directory' ? (path === '.' ? './' : `${path}/`) : path);
  const link = entry.type === 'symlink' ? pathBytes(entry.linkname) : entry.type === 'hardlink' ? pathBytes(linkPath ?? entry.linkname) : Buffer.alloc(0);
  const size = storedSize(entry);
  const records: [string, Buffer][] = [];
  if (entry.type === 'file' && entry.sparse) {
    records.push(['GNU.sparse.major', Buffer.from('1')], ['GNU.sparse.minor', Buffer.from('0')], ['GNU.sparse.name', name], ['GNU.sparse.realsize', Buffer.from(String(entry.size))]);
    // What a reader that knows no sparse files would make of it, as GNU tar names it.
    name = Buffer.from('GNUSparseFile.0/sparse');
  }

  const numeric = (key: string, value: number, max: number) => {
    if (value > max) {
      records.push([key, Buffer.from(String(value))]);
      return 0;
    }

    return value;
  };

  const uid = numeric('uid', entry.uid, maxOctal7);
  const gid = numeric('gid', entry.gid, maxOctal7);
  const sizeField = numeric('size', size, maxOctal11);
  let mtime = entry.mtime;
  if (entry.mtimeText !== undefined || !Number.isInteger(mtime) || mtime < 0 || mtime > maxOctal11) {
    records.push(['mtime', Buffer.from(entry.mtimeText ?? String(mtime))]);
    mtime = Math.min(Math.max(Math.floor(mtime), 0), maxOctal11);
  }

  for (const [key, value] of entry.extended ?? []) {
    records.push([key, value]);
  }

  const parts: Buffer[] = [];
  if (name.length > 100) {
    parts.push(...longRecord('L', name));
  }

  if (link.length > 100) {
    parts.push(...longRecord('K', link));
  }

  if (records.length > 0) {
    const body = Buffer.concat(records.map(([key, value]) => paxRecord(key, value)));
    parts.push(ustarHeader({name: Buffer.from('PaxHeader'), flag: 'x', size: body.length}), body, padding(body.length));
  }

  parts.push(ustarHeader({name: name.subarray(0, 100), flag: typeFlags[entry.type], size: sizeField, mode: entry.mode, uid, gid, mtime, link: link.subarray(0, 100)}));
  return Buffer.concat(parts);
}

/** The NUL bytes that fill the last block of `size` bytes of data. */
export function padding(size: number): Buffer {
  return Buffer.alloc((block - (size % block)) % block);
}

/** The two zero blocks that end every tar. */
const endOfArchive = (): Buffer => Buffer.alloc(2 * block);

/** "%d key=value\n", the length counting itself. */
function paxRecord(key: string, value: Buffer): Buffer {
  const keyBytes = pathBytes(key);
  const rest = keyBytes.length + value.length + 3;
  let length = rest + String(rest).length;
  if (String(length).length !== String(rest).length) {
    length = rest + String(length).length;
  }

  return Buffer.concat([Buffer.from(`${length} `), keyBytes, Buffer.from('='), value, Buffer.from('\n')]);
}

/** A GNU long name ('L') or long link ('K') record: the bytes, NUL-terminated, as GNU tar writes them. */
function longRecord(flag: 'L' | 'K', bytes: Buffer): Buffer[] {
  const body = Buffer.concat([bytes, Buffer.alloc(1)]);
  return [ustarHeader({name: Buffer.from('././@LongLink'), flag, size: body.length, isGnu: true}), body, padding(body.length)];
}

export type HeaderFields = {
  readonly name: Buffer;
  readonly flag: string;
  readonly size: number;
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly mtime?: number;
  readonly link?: Buffer;
  /** GNU magic, for long-name records; POSIX ustar otherwise. */
  readonly isGnu?: boolean;
};

/** One ustar header block: octal fields, POSIX magic (GNU's for long-name records), its checksum. */
export function ustarHeader(fields: HeaderFields): Buffer {
  const header = Buffer.alloc(block);
  fields.name.copy(header, 0);
  const octal = (value: number, offset: number, width: number) => {
    header.write(`${value.toString(8).padStart(width - 1, '0')}\0`, offset, 'latin1');
  };

  octal(fields.mode ?? 0o644, 100, 8);
  octal(fields.uid ?? 0, 108, 8);
  octal(fields.gid ?? 0, 116, 8);
  octal(fields.size, 124, 12);
  octal(fields.mtime ?? 0, 136, 12);
  header.write(fields.flag, 156, 'latin1');
  fields.link?.copy(header, 157);
  header.write(fields.isGnu ? 'ustar  \0' : 'ustar\x0000', 257, 'latin1');
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of header) {
    sum += byte;
  }

  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return header;
}

/**
 * A transform from the tar bytes the parser reads to canonical ones: `pick` says, for each entry
 * in order, how it is written (or undefined to leave it out); its data follows it unchanged.
 * The caller feeds the parser; this only writes.
 */
class CanonicalWriter {
  private isKept = false;

  constructor(private readonly push: (bytes: Buffer) => void) {}

  /** Starts an entry: written when `canonical` is given, skipped (its data too) otherwise. */
  entry(canonical: CanonicalEntry | undefined): void {
    this.isKept = canonical !== undefined;
    if (canonical) {
      this.push(canonicalHeader(canonical));
      if (canonical.entry.type === 'file' && canonical.entry.sparse) {
        this.push(encodeMapData(canonical.entry.sparse));
      }
    }
  }

  data(chunk: Buffer): void {
    if (this.isKept) {
      this.push(chunk);
    }
  }

  entryEnd(entry: TarEntry): void {
    const size = storedSize(entry);
    if (this.isKept && size % block !== 0) {
      this.push(padding(size));
    }

    this.isKept = false;
  }

  end(): void {
    this.push(endOfArchive());
  }
}

/** A Transform stream around a parser-driven CanonicalWriter. */
export function canonicalTransform(feed: (chunk: Buffer, writer: CanonicalWriter) => void, finish: (writer: CanonicalWriter) => void): Transform {
  let writer: CanonicalWriter | undefined;
  return new Transform({
    highWaterMark: 1024 * 1024,
    transform(this: Transform, chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      writer ??= new CanonicalWriter(bytes => this.push(bytes));
      try {
        feed(chunk, writer);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(this: Transform, callback: TransformCallback) {
      writer ??= new CanonicalWriter(bytes => this.push(bytes));
      try {
        finish(writer);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}
