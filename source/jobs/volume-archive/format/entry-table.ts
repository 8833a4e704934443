// The entries of a scanned archive, kept compact (issue #20, bounded memory): a name per entry and its
// numbers in typed columns, filled 4,096 entries at a time, instead of one object per entry (with
// its checksum as 64 characters of hex). For 100,000 files that is some 12 MB instead of some 60.
// What only a few entries carry (link targets, extended attributes, sparse maps, times that do not
// fit the columns) is kept beside, by index. An entry is made again, as an object, only when asked.
import type {HashedEntry} from './entry-lister.js';
import {toListed} from './entry-lister.js';
import type {ListedEntry} from './manifest.js';
import type {TarEntry, TarEntryType} from './tar-entry.js';

const chunkRows = 4096;
const types: readonly TarEntryType[] = ['file', 'hardlink', 'symlink', 'directory', 'fifo', 'char-device', 'block-device'];
const typeCode = new Map(types.map((type, code) => [type, code]));

/** One block of rows: each column a view of one ArrayBuffer; the checksums' block only once a row has one. */
type Chunk = {
  /** The names as the archive gives them (arrays of 4,096: no large array copied as it grows). */
  readonly names: string[];
  readonly sizes: Float64Array;
  readonly mtimes: Float64Array;
  readonly offsets: Float64Array;
  readonly modes: Uint32Array;
  readonly uids: Uint32Array;
  readonly gids: Uint32Array;
  readonly nanos: Uint32Array;
  readonly types: Uint8Array;
  /** Digits of the mtime's fraction as written (1–9), 0 for none. */
  readonly digits: Uint8Array;
  sha?: Buffer;
};

/** What a row keeps beside the columns: only the fields its entry has (see EntryTable). */
type Extra = {
  linkname?: string;
  mtimeText?: string;
  extended?: TarEntry['extended'];
  sparse?: TarEntry['sparse'];
  /** An entry whose numbers do not fit the columns (no real archive has one): kept whole. */
  whole?: HashedEntry;
};

function newChunk(): Chunk {
  const buffer = new ArrayBuffer(chunkRows * (3 * 8 + 4 * 4 + 2));
  let at = 0;
  const take = <T>(make: (buffer: ArrayBuffer, offset: number, length: number) => T, bytes: number): T => {
    const view = make(buffer, at, chunkRows);
    at += chunkRows * bytes;
    return view;
  };

  return {
    names: [],
    sizes: take((b, o, l) => new Float64Array(b, o, l), 8),
    mtimes: take((b, o, l) => new Float64Array(b, o, l), 8),
    offsets: take((b, o, l) => new Float64Array(b, o, l), 8),
    modes: take((b, o, l) => new Uint32Array(b, o, l), 4),
    uids: take((b, o, l) => new Uint32Array(b, o, l), 4),
    gids: take((b, o, l) => new Uint32Array(b, o, l), 4),
    nanos: take((b, o, l) => new Uint32Array(b, o, l), 4),
    types: take((b, o, l) => new Uint8Array(b, o, l), 1),
    digits: take((b, o, l) => new Uint8Array(b, o, l), 1),
  };
}

const isU32 = (value: number) => Number.isInteger(value) && value >= 0 && value <= 0xff_ff_ff_ff;
const isHexSha = (text: string) => /^[0-9a-f]{64}$/.test(text);

/** The mtime's fraction as the columns keep it, when the text comes back exactly from them and the mtime. */
function compactTime(mtime: number, text: string): {nanos: number; digits: number} | undefined {
  const match = /^\d+\.(\d{1,9})$/.exec(text);
  if (!match) {
    return undefined;
  }

  const fraction = match[1]!;
  const compact = {nanos: Number(fraction.padEnd(9, '0')), digits: fraction.length};
  return timeText(mtime, compact.nanos, compact.digits) === text ? compact : undefined;
}

function timeText(mtime: number, nanos: number, digits: number): string {
  return `${Math.trunc(mtime)}.${String(nanos).padStart(9, '0').slice(0, digits)}`;
}

/** Entries in archive order, compact (see above). Read-only for its users once the scan has made it. */
export class EntryTable implements Iterable<HashedEntry> {
  private count = 0;
  private readonly chunks: Chunk[] = [];
  private readonly extras = new Map<number, Extra>();
  private bytes = 0;

  get length(): number {
    return this.count;
  }

  /** Sum of the entries' sizes (only regular files have one). */
  get fileBytes(): number {
    return this.bytes;
  }

  push(entry: HashedEntry): void {
    const index = this.count++;
    const row = index % chunkRows;
    if (row === 0) {
      this.chunks.push(newChunk());
    }

    const chunk = this.chunks.at(-1)!;
    chunk.names.push(entry.name);
    this.bytes += entry.size;
    const code = typeCode.get(entry.type);
    const time = entry.mtimeText === undefined ? undefined : compactTime(entry.mtime, entry.mtimeText);
    if (code === undefined || !isU32(entry.mode) || !isU32(entry.uid) || !isU32(entry.gid) || (entry.sha256 !== undefined && !isHexSha(entry.sha256))) {
      chunk.types[row] = 255;
      this.extras.set(index, {whole: entry});
      return;
    }

    chunk.types[row] = code;
    chunk.sizes[row] = entry.size;
    chunk.mtimes[row] = entry.mtime;
    chunk.offsets[row] = entry.startOffset;
    chunk.modes[row] = entry.mode;
    chunk.uids[row] = entry.uid;
    chunk.gids[row] = entry.gid;
    chunk.nanos[row] = time?.nanos ?? 0;
    chunk.digits[row] = time?.digits ?? 0;
    if (entry.sha256 !== undefined) {
      this.setSha256(index, entry.sha256);
    }

    const extra: Extra = {
      ...(entry.linkname === '' ? {} : {linkname: entry.linkname}),
      ...(entry.mtimeText !== undefined && !time ? {mtimeText: entry.mtimeText} : {}),
      ...(entry.extended ? {extended: entry.extended} : {}),
      ...(entry.sparse ? {sparse: entry.sparse} : {}),
    };
    if (Object.keys(extra).length > 0) {
      this.extras.set(index, extra);
    }
  }

  /** Sets a row's checksum (hex, as the lister makes it); a whole entry kept beside gets it too. */
  setSha256(index: number, sha256: string): void {
    const whole = this.extras.get(index)?.whole;
    if (whole) {
      this.extras.set(index, {whole: {...whole, sha256}});
      return;
    }

    const chunk = this.chunks[Math.floor(index / chunkRows)]!;
    chunk.sha ??= Buffer.alloc(chunkRows * 33);
    const row = index % chunkRows;
    chunk.sha.write(sha256, row * 33 + 1, 32, 'hex');
    chunk.sha[row * 33] = 1;
  }

  /** The entry's name as the archive gives it. */
  name(index: number): string {
    return this.chunks[Math.floor(index / chunkRows)]!.names[index % chunkRows]!;
  }

  type(index: number): TarEntryType {
    const code = this.chunks[Math.floor(index / chunkRows)]!.types[index % chunkRows]!;
    return code === 255 ? this.extras.get(index)!.whole!.type : types[code]!;
  }

  size(index: number): number {
    const whole = this.extras.get(index)?.whole;
    return whole ? whole.size : this.chunks[Math.floor(index / chunkRows)]!.sizes[index % chunkRows]!;
  }

  linkname(index: number): string {
    const extra = this.extras.get(index);
    return extra?.whole?.linkname ?? extra?.linkname ?? '';
  }

  sha256(index: number): string | undefined {
    const whole = this.extras.get(index)?.whole;
    if (whole) {
      return whole.sha256;
    }

    const sha = this.chunks[Math.floor(index / chunkRows)]!.sha;
    const at = (index % chunkRows) * 33;
    return sha?.[at] === 1 ? sha.toString('hex', at + 1, at + 33) : undefined;
  }

  /** Whether the entry carries extended attributes or ACLs, or is sparse: what only some entries have. */
  isNotable(index: number): boolean {
    const extra = this.extras.get(index);
    const entry = extra?.whole ?? extra;
    return Boolean(entry?.extended ?? entry?.sparse);
  }

  /** The entry as the lister made it (the same fields, in the same order). */
  at(index: number): HashedEntry {
    const extra = this.extras.get(index);
    if (extra?.whole) {
      return extra.whole;
    }

    const chunk = this.chunks[Math.floor(index / chunkRows)]!;
    const row = index % chunkRows;
    const mtime = chunk.mtimes[row]!;
    const digits = chunk.digits[row]!;
    const mtimeText = digits > 0 ? timeText(mtime, chunk.nanos[row]!, digits) : extra?.mtimeText;
    const sha256 = this.sha256(index);
    const entry: HashedEntry = {
      name: chunk.names[row]!,
      type: types[chunk.types[row]!]!,
      size: chunk.sizes[row]!,
      mode: chunk.modes[row]!,
      uid: chunk.uids[row]!,
      gid: chunk.gids[row]!,
      mtime,
      ...(mtimeText === undefined ? {} : {mtimeText}),
      linkname: extra?.linkname ?? '',
      startOffset: chunk.offsets[row]!,
      ...(extra?.extended ? {extended: extra.extended} : {}),
      ...(extra?.sparse ? {sparse: extra.sparse} : {}),
      ...(sha256 === undefined ? {} : {sha256}),
    };
    return entry;
  }

  /** The entry as the manifest lists it (see toListed). */
  listed(index: number): ListedEntry {
    return toListed(this.at(index));
  }

  * [Symbol.iterator](): Iterator<HashedEntry> {
    for (let index = 0; index < this.length; index++) {
      yield this.at(index);
    }
  }
}
