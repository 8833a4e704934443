// A streaming tar reader that keeps byte offsets and insists on the end-of-archive blocks: the engine
// can answer 200 with a silently truncated archive, and only a reader that checks for the two zero
// blocks at the end notices. Push-based (write/end) so it can sit inside a Transform at full speed.

/** The kinds of entries hawser understands. */
export type TarEntryType = 'file' | 'hardlink' | 'symlink' | 'directory' | 'fifo' | 'char-device' | 'block-device';

/** One entry's header, after PAX and GNU long-name records have been applied. */
export type TarEntry = {
  readonly name: string;
  readonly type: TarEntryType;
  readonly size: number;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Seconds since the epoch (PAX may give a fraction). */
  readonly mtime: number;
  readonly linkname: string;
  /** Offset of the first header block of this entry, PAX/GNU records included. */
  readonly startOffset: number;
};

/** The bytes are not a (complete) tar archive. */
export class TarFormatError extends Error {
  override readonly name = 'TarFormatError';
}

/** What the parser calls as it reads. */
export type TarHandlers = {
  readonly onEntry?: (entry: TarEntry) => void;
  readonly onData?: (chunk: Buffer) => void;
  readonly onEntryEnd?: (entry: TarEntry) => void;
};

const block = 512;
// PAX and GNU long-name records are read into memory; anything larger is not a real archive.
const maxMetaSize = 1024 * 1024;
const typeOf: Readonly<Record<string, TarEntryType>> = {
  '0': 'file', '\0': 'file', '7': 'file', '1': 'hardlink', '2': 'symlink', '3': 'char-device', '4': 'block-device', '5': 'directory', '6': 'fifo',
};

function readString(header: Buffer, start: number, length: number): string {
  const end = header.indexOf(0, start);
  return header.toString('utf8', start, end === -1 || end > start + length ? start + length : end);
}

/** Reads a numeric header field: octal text, or base-256 when the high bit of the first byte is set. */
export function readNumber(header: Buffer, start: number, length: number): number {
  const first = header[start]!;
  if (first & 0x80) {
    let value = first & 0x7f;
    for (let i = start + 1; i < start + length; i++) {
      value = value * 256 + header[i]!;
    }

    return value;
  }

  const text = header.toString('latin1', start, start + length).replace(/\0.*$/s, '').trim();
  if (text === '') {
    return 0;
  }

  if (!/^[0-7]+$/.test(text)) {
    throw new TarFormatError(`a header field holds "${text.slice(0, 20)}", not a number`);
  }

  return Number.parseInt(text, 8);
}

function checksumMatches(header: Buffer): boolean {
  let stored: number;
  try {
    stored = readNumber(header, 148, 8);
  } catch {
    return false;
  }

  let sum = 0;
  for (let i = 0; i < block; i++) {
    sum += i >= 148 && i < 156 ? 32 : header[i]!;
  }

  return sum === stored;
}

function isZeroBlock(header: Buffer): boolean {
  for (let i = 0; i < block; i++) {
    if (header[i] !== 0) {
      return false;
    }
  }

  return true;
}

/** Parses PAX records ("%d key=value\n"). */
export function parsePax(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    const length = Number.parseInt(data.toString('latin1', offset, space), 10);
    if (space === -1 || !Number.isFinite(length) || length <= 0 || offset + length > data.length) {
      throw new TarFormatError('a PAX header record is malformed');
    }

    const record = data.toString('utf8', space + 1, offset + length - 1);
    const equals = record.indexOf('=');
    if (equals > 0) {
      records.set(record.slice(0, equals), record.slice(equals + 1));
    }

    offset += length;
  }

  return records;
}

type State = 'header' | 'data' | 'meta' | 'eof' | 'done';

/** Reads a tar stream block by block; throws TarFormatError on the first sign it is not a complete tar. */
export class TarParser {
  /** Bytes consumed so far. */
  offset = 0;
  /** Where the end-of-archive blocks start, once seen. */
  endOfArchiveOffset: number | undefined;
  private state: State = 'header';
  private readonly partial = Buffer.alloc(block);
  private partialLength = 0;
  private remaining = 0;
  private padding = 0;
  private entry: TarEntry | undefined;
  private metaType = '';
  private meta: Buffer[] = [];
  private metaLength = 0;
  private pax = new Map<string, string>();
  private globalPax = new Map<string, string>();
  private longName: string | undefined;
  private longLink: string | undefined;
  private entryStart = -1;
  private entryCount = 0;

  constructor(private readonly handlers: TarHandlers = {}) {}

  /** True once both end-of-archive blocks were read. */
  get isComplete(): boolean {
    return this.state === 'done';
  }

  /**
   * Bytes of a header block (or end-of-archive block) received but not complete yet: whether they start
   * an entry or the end of the archive is not known until the block is whole.
   */
  get pendingHeaderBytes(): number {
    return this.state === 'header' || this.state === 'eof' ? this.partialLength : 0;
  }

  /** Bytes of the current file's data not read yet (0 outside a file's data): a reader of a file may skip them instead of reading. */
  get skippableData(): number {
    return this.state === 'data' ? this.remaining : 0;
  }

  /** Passes over `bytes` of the current file's data unread (no onData); at most `skippableData`. */
  skipData(bytes: number): void {
    if (bytes < 0 || bytes > this.skippableData) {
      throw new RangeError(`cannot skip ${bytes} bytes of data, ${this.skippableData} remain`);
    }

    this.remaining -= bytes;
    this.offset += bytes;
  }

  /** Feeds bytes. */
  write(chunk: Buffer): void {
    let index = 0;
    while (index < chunk.length) {
      if (this.state === 'done') {
        // Readers ignore what follows the end-of-archive blocks (record padding); so does hawser.
        this.offset += chunk.length - index;
        return;
      }

      if (this.state === 'data' || this.state === 'meta') {
        index = this.consumeBody(chunk, index);
        continue;
      }

      const headerOffset = this.offset - this.partialLength;
      const needed = block - this.partialLength;
      const available = Math.min(needed, chunk.length - index);
      let header: Buffer;
      if (this.partialLength === 0 && available === block) {
        header = chunk.subarray(index, index + block);
      } else {
        chunk.copy(this.partial, this.partialLength, index, index + available);
        this.partialLength += available;
        if (this.partialLength < block) {
          this.offset += available;
          return;
        }

        header = this.partial;
      }

      this.partialLength = 0;
      index += available;
      this.offset += available;
      this.onBlock(header, headerOffset);
    }
  }

  /** Signals the end of the stream; throws when the archive stopped early. */
  end(): void {
    if (this.state === 'done') {
      return;
    }

    if (this.state === 'data' || this.state === 'meta') {
      throw new TarFormatError(`the archive ends in the middle of ${this.entry ? `"${this.entry.name}"` : 'an entry'} (truncated at byte ${this.offset})`);
    }

    if (this.entryCount === 0 && this.offset === 0) {
      throw new TarFormatError('the file is empty');
    }

    // Not one whole header: a short file of something else (a note, an error page) rather than a cut archive.
    if (this.entryCount === 0 && this.endOfArchiveOffset === undefined && this.offset < block) {
      throw new TarFormatError(`this is not a tar archive (${this.offset} bytes, shorter than one tar header)`);
    }

    throw new TarFormatError(`the archive has no end-of-archive blocks (truncated at byte ${this.offset})`);
  }

  private onBlock(header: Buffer, headerOffset: number): void {
    if (this.state === 'eof') {
      if (!isZeroBlock(header)) {
        throw new TarFormatError(`a lone zero block at byte ${headerOffset - block} is followed by more data`);
      }

      this.state = 'done';
      return;
    }

    if (isZeroBlock(header)) {
      if (this.entryStart !== -1) {
        throw new TarFormatError('the archive ends after an extended header with no entry');
      }

      this.endOfArchiveOffset = headerOffset;
      this.state = 'eof';
      return;
    }

    if (!checksumMatches(header)) {
      throw new TarFormatError(this.entryCount === 0 && headerOffset === 0 ? 'this is not a tar archive (the first header\'s checksum does not match)' : `the header at byte ${headerOffset} is damaged (checksum mismatch)`);
    }

    if (this.entryStart === -1) {
      this.entryStart = headerOffset;
    }

    const flag = String.fromCharCode(header[156]!);
    const size = readNumber(header, 124, 12);
    if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
      if (size > maxMetaSize) {
        throw new TarFormatError(`an extended header of ${size} bytes is too large`);
      }

      this.metaType = flag;
      this.startBody(size, 'meta');
      return;
    }

    const type = typeOf[flag];
    if (!type) {
      throw new TarFormatError(`entry "${readString(header, 0, 100)}" has type "${flag}", which hawser does not restore (sparse, multi-volume or unknown)`);
    }

    const magic = header.toString('latin1', 257, 263);
    const prefix = magic === 'ustar\0' ? readString(header, 345, 155) : '';
    const rawName = readString(header, 0, 100);
    const pax = new Map([...this.globalPax, ...this.pax]);
    // GNU's PAX sparse files: tar expands them from a map, so what it writes is not the bytes read here.
    if ([...pax.keys()].some(key => key.startsWith('GNU.sparse.'))) {
      throw new TarFormatError(`entry "${pax.get('path') ?? readString(header, 0, 100)}" is a sparse file (GNU.sparse PAX records), which hawser does not restore`);
    }

    const name = pax.get('path') ?? this.longName ?? (prefix ? `${prefix}/${rawName}` : rawName);
    const paxSize = pax.get('size');
    const paxMtime = pax.get('mtime');
    const entry: TarEntry = {
      name,
      type,
      // Hardlinks, symlinks and directories carry no data whatever their size field says.
      size: type === 'file' ? (paxSize === undefined ? size : Number(paxSize)) : 0,
      mode: readNumber(header, 100, 8) & 0o7777,
      uid: pax.has('uid') ? Number(pax.get('uid')) : readNumber(header, 108, 8),
      gid: pax.has('gid') ? Number(pax.get('gid')) : readNumber(header, 116, 8),
      mtime: paxMtime === undefined ? readNumber(header, 136, 12) : Number(paxMtime),
      linkname: pax.get('linkpath') ?? this.longLink ?? readString(header, 157, 100),
      startOffset: this.entryStart,
    };
    if (!Number.isSafeInteger(entry.size) || entry.size < 0) {
      throw new TarFormatError(`entry "${name}" has an impossible size`);
    }

    this.pax = new Map();
    this.longName = undefined;
    this.longLink = undefined;
    this.entryStart = -1;
    this.entryCount++;
    this.entry = entry;
    this.handlers.onEntry?.(entry);
    this.startBody(entry.size, 'data');
  }

  private startBody(size: number, state: 'data' | 'meta'): void {
    this.remaining = size;
    this.padding = (block - (size % block)) % block;
    this.state = state;
    this.meta = [];
    this.metaLength = 0;
    if (size === 0) {
      this.finishBody();
    }
  }

  private consumeBody(chunk: Buffer, index: number): number {
    if (this.remaining > 0) {
      const take = Math.min(this.remaining, chunk.length - index);
      const piece = chunk.subarray(index, index + take);
      if (this.state === 'data') {
        this.handlers.onData?.(piece);
      } else {
        this.meta.push(Buffer.from(piece));
        this.metaLength += take;
      }

      this.remaining -= take;
      this.offset += take;
      index += take;
      if (this.remaining > 0) {
        return index;
      }
    }

    const skip = Math.min(this.padding, chunk.length - index);
    this.padding -= skip;
    this.offset += skip;
    index += skip;
    if (this.padding === 0) {
      this.finishBody();
    }

    return index;
  }

  private finishBody(): void {
    if (this.padding > 0 || this.remaining > 0) {
      return;
    }

    if (this.state === 'data') {
      const entry = this.entry!;
      this.entry = undefined;
      this.state = 'header';
      this.handlers.onEntryEnd?.(entry);
      return;
    }

    const data = Buffer.concat(this.meta, this.metaLength);
    this.state = 'header';
    switch (this.metaType) {
      case 'x': {
        this.pax = parsePax(data);
        break;
      }

      case 'g': {
        this.globalPax = new Map([...this.globalPax, ...parsePax(data)]);
        // A global header applies to what follows; it does not belong to the next entry's start.
        this.entryStart = -1;
        break;
      }

      case 'L': {
        this.longName = data.toString('utf8').replace(/\0+$/, '');
        break;
      }

      default: {
        this.longLink = data.toString('utf8').replace(/\0+$/, '');
      }
    }
  }
}
