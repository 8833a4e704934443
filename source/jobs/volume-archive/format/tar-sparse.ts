// Sparse files in tar: a file with holes is stored as its data segments and a map of where each
// segment lies in the file; the holes read as zeros. Four spellings exist, all read here:
// - GNU's old type 'S' (tar --format=gnu --sparse): the map in the header, more in extension blocks;
// - PAX 0.0: GNU.sparse.size, then GNU.sparse.offset/GNU.sparse.numbytes record pairs in order;
// - PAX 0.1: GNU.sparse.size and GNU.sparse.map "offset,size,offset,size";
// - PAX 1.0 (GNU tar --format=posix --sparse, and bsdtar whenever a file has holes): GNU.sparse.major=1,
//   GNU.sparse.realsize, GNU.sparse.name, and the map as decimal lines at the start of the data.
// Pure: the parser feeds the pieces and keeps the state.

/** Where a sparse file's stored bytes go: [offset, length] segments in order, and the file's size. */
export type SparseMap = {readonly realSize: number; readonly segments: ReadonlyArray<readonly [offset: number, length: number]>};

/** A map read, or why it cannot be (a message for the caller's error). */
export type SparseRead = {readonly map: SparseMap} | {readonly problem: string};

const decimal = /^[0-9]+$/;
// A map larger than this is not a real file's (a million segments).
const maxSparseSegments = 1_000_000;

/** Checks a map: segments in order, not overlapping, inside the file, their lengths adding up to the stored bytes. */
export function checkedMap(realSize: number, segments: Array<readonly [number, number]>, stored: number): SparseRead {
  if (!Number.isSafeInteger(realSize) || realSize < 0) {
    return {problem: `its real size ${realSize} is not a size`};
  }

  let end = 0;
  let total = 0;
  let last = segments.length - 1;
  while (last > 0 && segments[last]![1] === 0) {
    last--;
  }

  for (const [index, [offset, length]] of segments.entries()) {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < end || offset + length > realSize) {
      return {problem: `its sparse map has a segment (${offset}, ${length}) out of order or beyond the file's ${realSize} bytes`};
    }

    // GNU tar reads each segment's data from a block of its own, Go and libarchive back to back: they agree only
    // when every segment but the last fills whole blocks, as every tool that writes sparse files makes them.
    if (index < last && length % 512 !== 0) {
      return {problem: `its sparse map has a segment of ${length} bytes, not whole 512-byte blocks, before the last`};
    }

    end = offset + length;
    total += length;
  }

  if (total !== stored) {
    return {problem: `its sparse map covers ${total} bytes but the archive stores ${stored}`};
  }

  // GNU tar ends every map with an empty segment at the file's end; it says nothing the size does not.
  return {map: {realSize, segments: segments.filter(([, length]) => length > 0)}};
}

/** The map of a PAX 0.0 or 0.1 entry, from its records in order; undefined when the records are not a sparse entry's. */
export function mapFromPax(records: ReadonlyArray<readonly [string, string]>, stored: number): SparseRead | undefined {
  const value = (key: string) => lastValue(records, key);
  const size = value('GNU.sparse.size') ?? value('GNU.sparse.realsize');
  const mapText = value('GNU.sparse.map');
  const offsets = records.filter(([name]) => name === 'GNU.sparse.offset').map(([, text]) => text);
  const lengths = records.filter(([name]) => name === 'GNU.sparse.numbytes').map(([, text]) => text);
  if (size === undefined) {
    return undefined;
  }

  let numbers: string[];
  if (mapText !== undefined) {
    numbers = mapText === '' ? [] : mapText.split(',');
  } else {
    if (offsets.length !== lengths.length) {
      return {problem: 'its GNU.sparse.offset and GNU.sparse.numbytes records do not pair up'};
    }

    numbers = offsets.flatMap((offset, index) => [offset, lengths[index]!]);
  }

  if (![size, ...numbers].every(text => decimal.test(text)) || numbers.length % 2 !== 0 || numbers.length / 2 > maxSparseSegments) {
    return {problem: 'its sparse map is not pairs of plain decimal numbers'};
  }

  return checkedMap(Number(size), pairs(numbers.map(Number)), stored);
}

/**
 * The map of a PAX 1.0 entry from the start of its data (decimal lines: the count, then an offset and a
 * length each; padded to whole blocks): undefined while more blocks are needed, else the map and how
 * many bytes of data it took.
 */
export function mapFromData(data: Buffer, realSize: number, storedWithMap: number): (SparseRead & {readonly bytes?: number}) | undefined {
  const lines: string[] = [];
  let start = 0;
  let count: number | undefined;
  while (true) {
    const newline = data.indexOf(0x0a, start);
    if (newline === -1) {
      return data.length - start > 40 ? {problem: 'its sparse map holds a number longer than any size'} : undefined;
    }

    const line = data.toString('latin1', start, newline);
    if (!decimal.test(line)) {
      return {problem: `its sparse map holds "${line.slice(0, 20)}", not a number`};
    }

    lines.push(line);
    start = newline + 1;
    count ??= Number(lines[0]);
    if (count > maxSparseSegments) {
      return {problem: `its sparse map claims ${count} segments`};
    }

    if (lines.length === 1 + 2 * count) {
      const bytes = Math.ceil(start / 512) * 512;
      if (data.subarray(start, Math.min(bytes, data.length)).some(byte => byte !== 0)) {
        return {problem: 'its sparse map is followed by something other than padding'};
      }

      if (bytes > data.length) {
        return undefined;
      }

      const read = checkedMap(realSize, pairs(lines.slice(1).map(Number)), storedWithMap - bytes);
      return 'map' in read ? {...read, bytes} : read;
    }
  }
}

/** The map entries of an old GNU sparse header (four at byte 386) or extension block (21 at byte 0): [offset, length] pairs, empty ones left out. */
export function gnuSegments(block: Buffer, start: number, count: number, read: (field: Buffer) => number): Array<readonly [number, number]> {
  const segments: Array<readonly [number, number]> = [];
  for (let i = 0; i < count; i++) {
    const at = start + i * 24;
    if (block[at] === 0) {
      break;
    }

    segments.push([read(block.subarray(at, at + 12)), read(block.subarray(at + 12, at + 24))]);
  }

  return segments;
}

/** The value of the last record named `key` (a repeated PAX key: the last counts). */
export function lastValue(records: ReadonlyArray<readonly [string, string]>, key: string): string | undefined {
  for (let index = records.length - 1; index >= 0; index--) {
    if (records[index]![0] === key) {
      return records[index]![1];
    }
  }

  return undefined;
}

function pairs(numbers: readonly number[]): Array<readonly [number, number]> {
  const result: Array<readonly [number, number]> = [];
  for (let i = 0; i + 1 < numbers.length; i += 2) {
    result.push([numbers[i]!, numbers[i + 1]!]);
  }

  return result;
}

/** The 1.0 map as written at the start of a canonical sparse entry's data: decimal lines, padded to a block. */
export function encodeMapData(map: SparseMap): Buffer {
  // As GNU tar writes it: a last, empty segment at the file's end, so every reader makes the file that long.
  const segments = [...map.segments, [map.realSize, 0] as const];
  const text = `${[segments.length, ...segments.flat()].join('\n')}\n`;
  const bytes = Buffer.alloc(Math.ceil(Buffer.byteLength(text) / 512) * 512);
  bytes.write(text, 'latin1');
  return bytes;
}
