// A streaming tar reader that keeps byte offsets and insists on the end-of-archive blocks: the engine
// can answer 200 with a silently truncated archive, and only a reader that checks for the two zero
// blocks at the end notices. Push-based (write/end) so it can sit inside a Transform at full speed.
import {ambiguous, convertAdvice, headerName, TarFormatError, type HeaderAt, type TarEntry, type TarHandlers} from './tar-entry.js';
import {block, checksumMatches, isZeroBlock, readField, readNumbers} from './tar-fields.js';
import {entryOfHeader, metaNames} from './tar-header.js';
import {checkPax, longText, paxRecords} from './tar-pax.js';
import {checkedMap, gnuSegments, lastValue, mapFromData, mapFromPax, type SparseMap, type SparseRead} from './tar-sparse.js';

// PAX and GNU long-name records are read into memory; anything larger is not a real archive.
const maxMetaSize = 1024 * 1024;

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
    const {entry, isSparse} = entryOfHeader(header, flag, headerOffset, {pax: this.pax, globalPax: this.globalPax, longName: this.longName, longLink: this.longLink, entryStart: this.entryStart});
    const at = {offset: headerOffset, entry: entry.name};
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
