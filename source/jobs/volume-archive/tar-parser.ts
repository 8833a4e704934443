// A streaming tar reader that keeps byte offsets and insists on the end-of-archive blocks: the engine
// can answer 200 with a silently truncated archive, and only a reader that checks for the two zero
// blocks at the end notices. Push-based (write/end) so it can sit inside a Transform at full speed.
import {pathText, printablePath} from './path-bytes.js';
import {checkedMap, gnuSegments, lastValue, mapFromData, mapFromPax, type SparseMap, type SparseRead} from './tar-sparse.js';

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
  /** The PAX mtime record as written (seconds with up to nanoseconds), when it had a fraction: kept exact, as a number cannot. */
  readonly mtimeText?: string;
  readonly linkname: string;
  /**
   * The PAX records that describe the file beyond its header and that hawser keeps on restore: extended
   * attributes (`SCHILY.xattr.*`, also from libarchive's `LIBARCHIVE.xattr.*`) and POSIX ACLs
   * (`SCHILY.acl.access`, `SCHILY.acl.default`), values as bytes.
   */
  readonly extended?: ReadonlyMap<string, Buffer>;
  /**
   * A sparse file's map (see tar-sparse.ts): `size` is then the file's real size, its data arrives as the
   * segments' bytes (onData) with the holes between them as onHole.
   */
  readonly sparse?: SparseMap;
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
  /** A hole of a sparse file: `length` bytes of zeros between the data around it. */
  readonly onHole?: (length: number) => void;
  readonly onEntryEnd?: (entry: TarEntry) => void;
};

const block = 512;
// PAX and GNU long-name records are read into memory; anything larger is not a real archive.
const maxMetaSize = 1024 * 1024;
const typeOf: Readonly<Record<string, TarEntryType>> = {
  '0': 'file', '\0': 'file', '7': 'file', '1': 'hardlink', '2': 'symlink', '3': 'char-device', '4': 'block-device', '5': 'directory', '6': 'fifo',
};

/** A NUL-terminated name field as hawser's text for its bytes (see path-bytes.ts). */
function readString(header: Buffer, start: number, length: number): string {
  const end = header.indexOf(0, start);
  return pathText(header.subarray(start, end === -1 || end > start + length ? start + length : end));
}

// Tar readers disagree on odd spellings of a header's numbers: GNU tar stops an octal field at the first
// space or NUL and ignores what follows, Go's archive/tar (the Docker engine) trims spaces and NULs at
// both ends and refuses what is left if it is not all digits, libarchive skips only leading spaces and
// tabs. hawser accepts just the spelling they all read alike, and refuses the rest.
const convertAdvice = 're-create the archive with GNU tar, or convert it with `bsdtar -cf new.tar @old.tar`';
// Linux ids are 32 bits; GNU tar refuses larger ones where Go reads them.
const maxId = 0xff_ff_ff_ff;

/** Where a header is, for messages: its offset and, once known, the entry it describes. */
type HeaderAt = {readonly offset: number; readonly entry?: string; readonly isExtended?: boolean};

function headerName(at: HeaderAt): string {
  const what = at.isExtended ? 'the extended header' : 'the header';
  return `${what} at byte ${at.offset}${at.entry === undefined ? '' : ` (entry "${printablePath(at.entry)}")`}`;
}

/** The refusal of a header that tar readers could read differently. */
function ambiguous(at: HeaderAt, problem: string, advice = convertAdvice): TarFormatError {
  return new TarFormatError(`${headerName(at)} ${problem}, which tar readers do not all read alike; ${advice}`);
}

/** Bytes as a message may quote them: printable ASCII as is, anything else escaped. */
function shown(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) {
    text += byte === 0 ? '\\0' : byte >= 0x20 && byte < 0x7f && byte !== 0x22 && byte !== 0x5c ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
  }

  return `"${text}"`;
}

type NumberRead = {readonly value: number} | {readonly problem: string};

/** Base-256 (GNU, star, Go): 0x80 then a big-endian value, or 0xff then a negative one in two's complement. */
function readBase256(field: Buffer, isNegativeAllowed: boolean): NumberRead {
  const first = field[0]!;
  if (first !== 0x80 && first !== 0xff) {
    // Go reads any first byte with the high bit set as base-256; GNU tar refuses all but these two.
    return {problem: `a base-256 number that starts with byte 0x${first.toString(16)}`};
  }

  let value = 0n;
  for (let i = 1; i < field.length; i++) {
    value = (value << 8n) | BigInt(field[i]!);
  }

  if (first === 0xff) {
    value -= 1n << BigInt(8 * (field.length - 1));
    if (!isNegativeAllowed) {
      return {problem: 'a negative number'};
    }
  }

  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
    return {problem: 'a number too large to be real'};
  }

  return {value: Number(value)};
}

/**
 * A numeric field: optional leading spaces, octal digits, then the end of the field or a space or NUL
 * and only spaces and NULs after it; or base-256 when the high bit of the first byte is set.
 */
function readField(field: Buffer, isNegativeAllowed = false): NumberRead {
  if (field[0]! & 0x80) {
    return readBase256(field, isNegativeAllowed);
  }

  let index = 0;
  while (index < field.length && field[index] === 0x20) {
    index++;
  }

  const digitsStart = index;
  while (index < field.length && field[index]! >= 0x30 && field[index]! <= 0x37) {
    index++;
  }

  for (let i = index; i < field.length; i++) {
    if (field[i] !== 0 && field[i] !== 0x20) {
      return {problem: `${shown(field)}, not an octal number`};
    }
  }

  if (index === digitsStart) {
    // No digits: zero, as long as a NUL ends the blanks; GNU tar refuses a field of blanks alone
    // (it skips one leading NUL first), where Go and libarchive read zero.
    return field.includes(0, 1) ? {value: 0} : {problem: `${shown(field)}, blanks where a number belongs`};
  }

  return {value: Number.parseInt(field.toString('latin1', digitsStart, index), 8)};
}

/** The numbers of a header, each spelled so that every tar reader reads it alike. */
type HeaderNumbers = {readonly mode: number; readonly uid: number; readonly gid: number; readonly size: number; readonly mtime: number};

const numberFields = [
  {key: 'mode', start: 100, length: 8},
  {key: 'uid', start: 108, length: 8},
  {key: 'gid', start: 116, length: 8},
  {key: 'size', start: 124, length: 12},
  {key: 'mtime', start: 136, length: 12},
] as const;

/** Reads mode, uid, gid, size and mtime; throws when one is spelled oddly (Go refuses such a header outright, GNU tar guesses). */
function readNumbers(header: Buffer, at: HeaderAt): HeaderNumbers {
  const values = {mode: 0, uid: 0, gid: 0, size: 0, mtime: 0};
  for (const {key, start, length} of numberFields) {
    // Only a time may be negative (before 1970); GNU tar refuses a negative size or id.
    const read = readField(header.subarray(start, start + length), key === 'mtime');
    if ('problem' in read) {
      throw ambiguous(at, `has ${read.problem} in its ${key} field`);
    }

    if ((key === 'uid' || key === 'gid') && read.value > maxId) {
      throw ambiguous(at, `has ${read.value} in its ${key} field, beyond what a user or group id can be`);
    }

    values[key] = read.value;
  }

  return values;
}

/** Whether the checksum field is right; throws when it holds the right sum but spelled oddly. */
function checksumMatches(header: Buffer, at: HeaderAt): boolean {
  let sum = 0;
  for (let i = 0; i < block; i++) {
    sum += i >= 148 && i < 156 ? 32 : header[i]!;
  }

  const field = header.subarray(148, 156);
  const read = readField(field);
  if ('value' in read) {
    return read.value === sum;
  }

  // A damaged header says it is damaged; only a right sum in an odd spelling is worth naming as such.
  const digits = /^ *([0-7]+)/.exec(field.toString('latin1'));
  if (digits && Number.parseInt(digits[1]!, 8) === sum) {
    throw ambiguous(at, `has ${read.problem} in its checksum field`);
  }

  return false;
}

function isZeroBlock(header: Buffer): boolean {
  for (let i = 0; i < block; i++) {
    if (header[i] !== 0) {
      return false;
    }
  }

  return true;
}

/** Parses PAX records ("%d key=value\n"); values are bytes (extended attributes are binary). */
export function parsePax(data: Buffer, at: HeaderAt = {offset: 0, isExtended: true}): Map<string, Buffer> {
  // A key set twice: the last one counts, in GNU tar, Go and libarchive alike.
  return new Map(paxRecords(data, at));
}

/** The records in order, repeated keys included (checkPax looks at each: GNU tar refuses a bad value even when a later one replaces it). */
function paxRecords(data: Buffer, at: HeaderAt): Array<[string, Buffer]> {
  const records: Array<[string, Buffer]> = [];
  let offset = 0;
  while (offset < data.length) {
    const malformed = (problem: string) => ambiguous(at, `has a record at byte ${offset} of its data ${problem}`);
    let index = offset;
    while (index < data.length && data[index]! >= 0x30 && data[index]! <= 0x39) {
      index++;
    }

    // GNU tar skips blanks before and after the length (and stops at a NUL), Go takes "+12" for 12: digits and one space only.
    if (index === offset || data[index] !== 0x20) {
      throw malformed('whose length is not a decimal number followed by a space');
    }

    const end = offset + Number(data.toString('latin1', offset, index));
    if (end <= index + 1 || end > data.length) {
      throw malformed('whose length does not fit the header');
    }

    if (data[end - 1] !== 0x0a) {
      throw malformed('that does not end with a newline where its length says');
    }

    const record = data.subarray(index + 1, end - 1);
    const equals = record.indexOf(0x3d);
    if (equals <= 0) {
      throw malformed(equals === 0 ? 'with an empty key' : 'with no "=" between key and value');
    }

    const key = record.subarray(0, equals);
    if (key.includes(0) || key[0] === 0x20 || key[0] === 0x09) {
      // Go refuses a NUL in a key, GNU tar cuts the key there; GNU skips blanks before a key, Go keeps them.
      throw malformed(`whose key ${shown(key)} holds a NUL or starts with a blank`);
    }

    // A key of any bytes (an attribute's name need not be UTF-8), kept exactly: see path-bytes.ts.
    records.push([pathText(key), Buffer.from(record.subarray(equals + 1))]);
    offset = end;
  }

  return records;
}

const decimal = /^[0-9]+$/;
// Seconds, maybe negative, maybe with a fraction: GNU tar's and Go's spellings of a time agree on these.
const time = /^-?[0-9]+(\.[0-9]+)?$/;
// A global header applies to every entry after it in GNU tar and libarchive, but Go's archive/tar (the
// Docker engine) reads it as an entry of its own and applies nothing: only a comment is safe there.
const globalKeys = new Set(['comment']);

/** Refuses PAX records whose values tar readers read differently (or that some refuse outright). */
function checkPax(records: ReadonlyArray<[string, Buffer]>, at: HeaderAt, isGlobal: boolean): void {
  for (const [key, value] of records) {
    const odd = (what: string) => ambiguous(at, `has ${key}=${shown(value.subarray(0, 40))}, ${what}`);
    if (isGlobal && !globalKeys.has(key)) {
      throw ambiguous(at, `is a global header that sets "${key}" for the entries after it, which Go's archive/tar (the Docker engine) ignores`);
    }

    const text = value.toString('latin1');
    if ((key === 'size' || key === 'uid' || key === 'gid') && !(decimal.test(text) && Number(text) <= (key === 'size' ? Number.MAX_SAFE_INTEGER : maxId))) {
      throw odd('not a plain decimal number in range');
    }

    if ((key === 'mtime' || key === 'atime' || key === 'ctime') && !(time.test(text) && Math.abs(Number.parseInt(text, 10)) <= Number.MAX_SAFE_INTEGER)) {
      throw odd('not a plain time in seconds');
    }

    // Go refuses a NUL in these, GNU tar cuts the name there.
    if ((key === 'path' || key === 'linkpath' || key === 'uname' || key === 'gname') && value.includes(0)) {
      throw odd('a name with a NUL in it');
    }

    // An empty one means "use the header's field" to libarchive (as POSIX says), but an empty name to Go.
    if ((key === 'path' || key === 'linkpath') && value.length === 0) {
      throw odd('an empty name');
    }

    if (key.startsWith('LIBARCHIVE.xattr.')) {
      checkXattrName(key, at);
    }

    // GNU tar decodes %-escapes in an attribute's name, Go does not: a name with "%" is read two ways.
    if (key.startsWith('SCHILY.xattr.') && key.includes('%')) {
      throw ambiguous(at, `has the record "${key.slice(0, 60)}", whose attribute name holds a "%" that GNU tar decodes and Go does not`);
    }
  }
}

/** libarchive escapes an extended attribute's name as a URI component; one that does not decode is not its output. */
function checkXattrName(key: string, at: HeaderAt): void {
  let name: string;
  try {
    name = decodeURIComponent(key.slice('LIBARCHIVE.xattr.'.length));
  } catch {
    throw ambiguous(at, `has the record "${key.slice(0, 60)}", whose attribute name is not valid %-escaped text`);
  }

  if (name === '' || name.includes('\0')) {
    throw ambiguous(at, `has the record "${key.slice(0, 60)}", whose attribute name is empty or holds a NUL`);
  }

  // Written as a SCHILY.xattr record, "=" would end the key and "%" be decoded by GNU tar only.
  if (name.includes('=') || name.includes('%')) {
    throw ambiguous(at, `has the record "${key.slice(0, 60)}", whose attribute name holds "=" or "%", which the other spelling of the record cannot carry alike`);
  }
}

/** A GNU long name or link record: the bytes up to the first NUL. */
function longText(data: Buffer, at: HeaderAt, what: string): string {
  const end = data.indexOf(0);
  // Go takes an empty one for none (and keeps the header's name), GNU tar for an empty name.
  if (end === 0 || data.length === 0) {
    throw ambiguous(at, `is a ${what} that holds an empty name`);
  }

  return pathText(end === -1 ? data : data.subarray(0, end));
}

/** The records of TarEntry.extended, in a stable order; libarchive's base64 xattrs count where no SCHILY one names the same attribute. */
function keptRecords(pax: ReadonlyMap<string, Buffer>): Map<string, Buffer> | undefined {
  let kept: Map<string, Buffer> | undefined;
  const keep = (key: string, value: Buffer) => {
    kept ??= new Map();
    if (!kept.has(key)) {
      kept.set(key, value);
    }
  };

  for (const [key, value] of pax) {
    if (key.startsWith('SCHILY.xattr.') || key === 'SCHILY.acl.access' || key === 'SCHILY.acl.default') {
      keep(key, value);
    }
  }

  for (const [key, value] of pax) {
    if (key.startsWith('LIBARCHIVE.xattr.')) {
      keep(`SCHILY.xattr.${decodeURIComponent(key.slice('LIBARCHIVE.xattr.'.length))}`, Buffer.from(value.toString('latin1'), 'base64'));
    }
  }

  return kept && new Map([...kept].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

// Types hawser refuses, in words, with what to do instead. GNU tar, Go and libarchive each treat these
// their own way (or not at all), so hawser cannot say what a restore would write.
const unsupportedTypes: Readonly<Record<string, readonly [what: string, advice: string]>> = {
  D: ['a GNU incremental-backup directory listing (dumpdir)', 'extract it with GNU tar, then create a plain archive with `tar --format=posix -cf` (without --listed-incremental)'],
  V: ['a GNU tar volume label', 're-create the archive without --label (-V), or convert it with `bsdtar -cf new.tar @old.tar`'],
  M: ['the rest of a file begun on the previous volume of a multi-volume archive', 'extract all the volumes with GNU tar (`tar -xMf`), then create one archive with `tar --format=posix -cf`'],
  N: ['an old GNU tar record of long names (type N)', 'extract it with GNU tar, then create the archive again with `tar --format=posix -cf`'],
  X: ['a Solaris extended header (type X)', 'convert it with `bsdtar -cf new.tar @old.tar`'],
};

function unsupportedType(flag: string, at: HeaderAt): TarFormatError {
  const shownFlag = shown(Buffer.from(flag, 'latin1'));
  const [what, advice] = unsupportedTypes[flag] ?? [flag >= 'A' && flag <= 'Z' ? `of the vendor-specific type ${shownFlag}` : `of the unknown type ${shownFlag}`, 're-create the archive with GNU tar'];
  return new TarFormatError(`${headerName(at)} is ${what}, which hawser does not restore; ${advice}`);
}

/** What a meta header is, for messages. */
const metaNames: Readonly<Record<string, string>> = {x: 'PAX extended header', g: 'PAX global header', L: 'GNU long-name record', K: 'GNU long-link record'};

/** The header's layout: ustar (with a name prefix at byte 345), GNU (no prefix) or old v7; refuses a magic readers tell apart differently. */
function headerLayout(header: Buffer, at: HeaderAt): 'ustar' | 'gnu' | 'v7' {
  const magic = header.toString('latin1', 257, 263);
  if (magic === 'ustar\0') {
    // star's layout ("tar\0" at the end) has a 131-byte prefix: Go stops there, GNU tar and libarchive read on to a NUL.
    if (header.toString('latin1', 508, 512) === 'tar\0' && !header.subarray(345, 476).includes(0)) {
      throw ambiguous(at, 'has star\'s trailer and a name prefix longer than star\'s');
    }

    return 'ustar';
  }

  if (magic === 'ustar ' && header.toString('latin1', 263, 265) === ' \0') {
    return 'gnu';
  }

  // libarchive takes any "ustar" as ustar (and reads a name prefix); GNU tar and Go take only these two.
  if (magic.startsWith('ustar')) {
    throw ambiguous(at, `has the magic ${shown(header.subarray(257, 265))}, an old v7 header to GNU tar and Go but ustar (with a name prefix) to libarchive`);
  }

  return 'v7';
}

type State = 'header' | 'data' | 'meta' | 'eof' | 'done' | 'sparse-map' | 'sparse-blocks';

/** Where a sparse entry's data has got to: the segment being read and the file offset reached. */
type SparseProgress = {readonly map: SparseMap; segment: number; left: number; position: number; isSkipped: boolean};

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
  private metaOffset = 0;
  /** The meta headers ('x', 'L', 'K') read for the coming entry. */
  private pendingMeta = new Set<string>();
  private meta: Buffer[] = [];
  private metaLength = 0;
  private pax = new Map<string, Buffer>();
  /** The last extended header's records in order (PAX 0.0 sparse maps repeat their keys). */
  private paxList: Array<[string, Buffer]> = [];
  /** A sparse entry read up to its map (PAX 1.0: in the data; GNU 'S': in extension blocks). */
  private sparseDraft: {readonly entry: TarEntry; readonly stored: number; readonly segments: Array<readonly [number, number]>; readonly at: HeaderAt} | undefined;
  private sparse: SparseProgress | undefined;
  /** A PAX 1.0 map being read: meta pieces counted so far, the line breaks in them, and how many lines it has (once known). */
  private mapCounted = 0;
  private mapNewlines = 0;
  private mapLinesNeeded: number | undefined;
  private globalPax = new Map<string, Buffer>();
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
    if (this.sparse && bytes > 0) {
      // A reader that skips data does not want the file's bytes: no holes either.
      this.sparse.isSkipped = true;
    }
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

      if (this.state === 'data' || this.state === 'meta' || this.state === 'sparse-map') {
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

    if (this.state === 'data' || this.state === 'meta' || this.state === 'sparse-map' || this.state === 'sparse-blocks') {
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
    if (this.state === 'sparse-blocks') {
      this.onSparseBlock(header);
      return;
    }

    if (this.state === 'eof') {
      if (!isZeroBlock(header)) {
        throw new TarFormatError(`a lone zero block at byte ${headerOffset - block} is followed by more data`);
      }

      this.state = 'done';
      return;
    }

    if (isZeroBlock(header)) {
      if (this.entryStart !== -1) {
        throw new TarFormatError(`the archive ends after the ${metaNames[this.metaType]} at byte ${this.metaOffset}, with no entry for it to describe; ${convertAdvice}`);
      }

      this.endOfArchiveOffset = headerOffset;
      this.state = 'eof';
      return;
    }

    if (!checksumMatches(header, {offset: headerOffset})) {
      throw new TarFormatError(this.entryCount === 0 && headerOffset === 0 ? 'this is not a tar archive (the first header\'s checksum does not match)' : `the header at byte ${headerOffset} is damaged (checksum mismatch)`);
    }

    const flag = String.fromCharCode(header[156]!);
    if (Object.hasOwn(metaNames, flag)) {
      this.onMetaHeader(header, flag, headerOffset);
    } else {
      this.onEntryHeader(header, flag, headerOffset);
    }
  }

  private onMetaHeader(header: Buffer, flag: string, headerOffset: number): void {
    const at = {offset: headerOffset, isExtended: true};
    if (flag === 'g' && this.entryStart !== -1) {
      throw ambiguous(at, 'is a PAX global header between an entry\'s extended header and the entry');
    }

    // Two for one entry: GNU tar and Go keep the last, libarchive applies both.
    if (this.pendingMeta.has(flag)) {
      throw ambiguous(at, `is a second ${metaNames[flag]} for one entry`);
    }

    const {size} = readNumbers(header, at);
    if (size > maxMetaSize) {
      throw new TarFormatError(`${headerName(at)} is ${size} bytes, too large to be real`);
    }

    if (flag !== 'g') {
      this.pendingMeta.add(flag);
      if (this.entryStart === -1) {
        this.entryStart = headerOffset;
      }
    }

    this.metaType = flag;
    this.metaOffset = headerOffset;
    this.startBody(size, 'meta');
  }

  private onEntryHeader(header: Buffer, flag: string, headerOffset: number): void {
    const type = flag === 'S' ? 'file' : typeOf[flag];
    if (!type) {
      throw unsupportedType(flag, {offset: headerOffset, entry: this.longName ?? readString(header, 0, 100)});
    }

    const prefix = headerLayout(header, {offset: headerOffset}) === 'ustar' ? readString(header, 345, 155) : '';
    const rawName = readString(header, 0, 100);
    const pax = new Map([...this.globalPax, ...this.pax]);
    const text = (key: string) => pax.get(key)?.toString('utf8');
    const isSparse = flag === 'S' || [...pax.keys()].some(key => key.startsWith('GNU.sparse.'));
    // A sparse file's own name: GNU tar and bsdtar put a made-up one (…/GNUSparseFile.N/…) in the header.
    const paxPath = pax.get('GNU.sparse.name') ?? pax.get('path');
    const paxLink = pax.get('linkpath');
    const name = (paxPath && pathText(paxPath)) ?? this.longName ?? (prefix ? `${prefix}/${rawName}` : rawName);
    const at = {offset: headerOffset, entry: name};
    // GNU tar takes the PAX name over a GNU long name, Go the other way round.
    if ((paxPath && this.longName !== undefined) || (paxLink && this.longLink !== undefined)) {
      throw ambiguous(at, 'has both a PAX name and a GNU long name');
    }

    // GNU tar reads an empty name as "." (the directory restored into), Go as a name of its own.
    if (name === '') {
      throw ambiguous(at, 'has an empty name');
    }

    const numbers = readNumbers(header, at);
    const paxSize = text('size');
    // Go and libarchive skip no data after a link, directory or device whatever its size says; GNU tar skips
    // it (but not a directory's), so one reads the data as the next headers and the others do not.
    if (type !== 'file' && (numbers.size !== 0 || (paxSize !== undefined && Number(paxSize) !== 0))) {
      throw ambiguous(at, `is a ${type} whose size is ${paxSize ?? numbers.size}, not 0 (tar readers disagree on whether data follows)`);
    }

    // GNU tar (and Go, for type '\0') makes a directory of a file whose name ends in "/", others a file.
    if (type !== 'directory' && name.endsWith('/')) {
      throw ambiguous(at, `is a ${type} whose name ends in "/"`);
    }

    const paxMtime = text('mtime');
    const extended = keptRecords(pax);
    const stored = type === 'file' && paxSize !== undefined ? Number(paxSize) : numbers.size;
    const entry: TarEntry = {
      name,
      type,
      size: stored,
      mode: numbers.mode & 0o7777,
      uid: pax.has('uid') ? Number(text('uid')) : numbers.uid,
      gid: pax.has('gid') ? Number(text('gid')) : numbers.gid,
      mtime: paxMtime === undefined ? numbers.mtime : Number(paxMtime),
      ...(paxMtime?.includes('.') ? {mtimeText: paxMtime} : {}),
      linkname: (paxLink && pathText(paxLink)) ?? this.longLink ?? readString(header, 157, 100),
      startOffset: this.entryStart === -1 ? headerOffset : this.entryStart,
      ...(extended ? {extended} : {}),
    };
    if (!Number.isSafeInteger(entry.size) || entry.size < 0) {
      throw new TarFormatError(`entry "${name}" has an impossible size`);
    }

    const paxList = this.paxList;
    this.pax = new Map();
    this.paxList = [];
    this.pendingMeta = new Set();
    this.longName = undefined;
    this.longLink = undefined;
    this.entryStart = -1;
    this.entryCount++;
    if (isSparse) {
      this.startSparse(entry, header, flag, paxList, at);
      return;
    }

    this.startEntry(entry, entry.size);
  }

  /** Hands the entry over and reads `stored` bytes of data for it. */
  private startEntry(entry: TarEntry, stored: number): void {
    this.entry = entry;
    this.handlers.onEntry?.(entry);
    this.startBody(stored, 'data');
  }

  /** A sparse entry: its map from the header and PAX records (old GNU, PAX 0.x), or read first from its data (PAX 1.0) or extension blocks (old GNU). */
  private startSparse(entry: TarEntry, header: Buffer, flag: string, records: ReadonlyArray<[string, Buffer]>, at: HeaderAt): void {
    const texts = records.map(([key, value]) => [key, value.toString('latin1')] as const);
    const value = (key: string) => lastValue(texts, key);
    const refuse = (problem: string) => ambiguous(at, `is a sparse file whose map tar readers could read differently: ${problem}`);
    if (flag === 'S') {
      const read = (field: Buffer) => {
        const number = readField(field);
        if ('problem' in number) {
          throw refuse(`its map holds ${number.problem}`);
        }

        return number.value;
      };

      const realSize = read(header.subarray(483, 495));
      this.sparseDraft = {entry: {...entry, size: realSize}, stored: entry.size, segments: gnuSegments(header, 386, 4, read), at};
      if (header[482] !== 0) {
        this.state = 'sparse-blocks';
        return;
      }

      this.beginSparse(checkedMap(realSize, this.sparseDraft.segments, entry.size));
      return;
    }

    if (value('GNU.sparse.major') === '1' && value('GNU.sparse.minor') === '0') {
      const realSize = value('GNU.sparse.realsize');
      if (realSize === undefined || !/^[0-9]+$/.test(realSize)) {
        throw refuse('its GNU.sparse.realsize is missing or not a number');
      }

      this.sparseDraft = {entry: {...entry, size: Number(realSize)}, stored: entry.size, segments: [], at};
      this.mapCounted = 0;
      this.mapNewlines = 0;
      this.mapLinesNeeded = undefined;
      this.startBody(entry.size, 'sparse-map');
      return;
    }

    const read = mapFromPax(texts, entry.size);
    if (!read) {
      throw refuse('its GNU.sparse records are of no version hawser knows (0.0, 0.1, 1.0)');
    }

    this.sparseDraft = {entry: {...entry, size: 'map' in read ? read.map.realSize : 0}, stored: entry.size, segments: [], at};
    this.beginSparse(read);
  }

  /** An old GNU sparse extension block: 21 more segments, and whether another block follows. */
  private onSparseBlock(extension: Buffer): void {
    const draft = this.sparseDraft!;
    draft.segments.push(...gnuSegments(extension, 0, 21, field => {
      const number = readField(field);
      if ('problem' in number) {
        throw ambiguous(draft.at, `is a sparse file whose map holds ${number.problem}`);
      }

      return number.value;
    }));
    if (extension[504] === 0) {
      this.beginSparse(checkedMap(draft.entry.size, draft.segments, draft.stored));
    }
  }

  /** The map is known: the entry is handed over and its stored bytes read, `consumed` of them already (a PAX 1.0 map). */
  private beginSparse(read: SparseRead, consumed = 0): void {
    const draft = this.sparseDraft!;
    this.sparseDraft = undefined;
    if ('problem' in read) {
      throw ambiguous(draft.at, `is a sparse file whose map tar readers could read differently: ${read.problem}`);
    }

    const entry = {...draft.entry, sparse: read.map};
    this.sparse = {map: read.map, segment: 0, left: 0, position: 0, isSkipped: false};
    this.entry = entry;
    this.handlers.onEntry?.(entry);
    if (consumed === 0) {
      this.startBody(draft.stored, 'data');
    } else {
      // The map's blocks were part of the data (being read now): what is left of it is the segments' bytes.
      this.state = 'data';
    }
  }

  private startBody(size: number, state: 'data' | 'meta' | 'sparse-map'): void {
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
      let take = Math.min(this.remaining, chunk.length - index);
      if (this.state === 'sparse-map') {
        // Block by block, until the map is whole.
        take = Math.min(take, block - (this.metaLength % block));
      } else if (this.state === 'data' && this.sparse) {
        take = Math.min(take, this.nextSegment());
      }

      const piece = chunk.subarray(index, index + take);
      if (this.state === 'data') {
        this.handlers.onData?.(piece);
        if (this.sparse) {
          this.sparse.left -= take;
          this.sparse.position += take;
        }
      } else {
        this.meta.push(Buffer.from(piece));
        this.metaLength += take;
      }

      this.remaining -= take;
      this.offset += take;
      index += take;
      if (this.state === 'sparse-map' && this.metaLength % block === 0) {
        this.readSparseMap();
      }

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

    if (this.state === 'sparse-map') {
      // The data ended before the map did.
      throw ambiguous(this.sparseDraft!.at, 'is a sparse file whose map does not end inside its data');
    }

    if (this.state === 'data') {
      const entry = this.entry!;
      const sparse = this.sparse;
      this.entry = undefined;
      this.sparse = undefined;
      this.state = 'header';
      if (sparse && !sparse.isSkipped && sparse.position < sparse.map.realSize) {
        this.handlers.onHole?.(sparse.map.realSize - sparse.position);
      }

      this.handlers.onEntryEnd?.(entry);
      return;
    }

    const data = Buffer.concat(this.meta, this.metaLength);
    const at = {offset: this.metaOffset, isExtended: true};
    this.state = 'header';
    switch (this.metaType) {
      case 'x': {
        const records = paxRecords(data, at);
        checkPax(records, at, false);
        this.pax = new Map(records);
        this.paxList = records;
        break;
      }

      case 'g': {
        const records = paxRecords(data, at);
        checkPax(records, at, true);
        this.globalPax = new Map([...this.globalPax, ...records]);
        break;
      }

      case 'L': {
        this.longName = longText(data, at, metaNames['L']!);
        break;
      }

      default: {
        this.longLink = longText(data, at, metaNames['K']!);
      }
    }
  }

  /** The bytes that can be read before the current segment ends; a hole before the next segment is announced first. */
  private nextSegment(): number {
    const sparse = this.sparse!;
    while (sparse.left === 0) {
      const segment = sparse.map.segments[sparse.segment++];
      if (!segment) {
        // The map's lengths add up to the stored bytes (checked), so data never outruns it.
        throw new TarFormatError('a sparse file has more data than its map');
      }

      if (segment[0] > sparse.position && !sparse.isSkipped) {
        this.handlers.onHole?.(segment[0] - sparse.position);
      }

      sparse.position = segment[0];
      sparse.left = segment[1];
    }

    return sparse.left;
  }

  /**
   * A PAX 1.0 map, read a block at a time from the start of the data: once whole, the entry begins. Its
   * lines are counted as blocks come (the first says how many follow); it is parsed once, when all are in.
   */
  private readSparseMap(): void {
    const draft = this.sparseDraft!;
    for (; this.mapCounted < this.meta.length; this.mapCounted++) {
      for (const byte of this.meta[this.mapCounted]!) {
        if (byte === 0x0a) {
          this.mapNewlines++;
        }
      }
    }

    if (this.mapLinesNeeded === undefined && this.mapNewlines > 0) {
      const first = Buffer.concat(this.meta, this.metaLength);
      this.meta = [first];
      this.mapCounted = 1;
      const count = first.toString('latin1', 0, first.indexOf(0x0a));
      // Not a number: mapFromData says why.
      this.mapLinesNeeded = /^[0-9]{1,7}$/.test(count) ? 1 + 2 * Number(count) : 0;
    }

    if (this.mapLinesNeeded !== undefined && this.mapNewlines >= this.mapLinesNeeded) {
      const read = mapFromData(Buffer.concat(this.meta, this.metaLength), draft.entry.size, draft.stored);
      if (read) {
        this.meta = [];
        this.metaLength = 0;
        this.beginSparse(read, read.bytes ?? 0);
        return;
      }
    }

    if (this.metaLength > 64 * 1024 * 1024) {
      throw ambiguous(draft.at, 'is a sparse file whose map is larger than 64 MiB');
    }
  }
}
