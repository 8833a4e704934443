// The fields of a 512-byte tar header block: names, numbers (octal or base-256, spelled so that every
// tar reader reads them alike), the checksum, and the all-zero blocks that end an archive.
import {pathText} from './path-bytes.js';
import {ambiguous, shown, type HeaderAt} from './tar-entry.js';

/** A tar block: every header is one, and every entry's data is padded to a whole number of them. */
export const block = 512;

/** A NUL-terminated name field as hawser's text for its bytes (see path-bytes.ts). */
export function readString(header: Buffer, start: number, length: number): string {
  const end = header.indexOf(0, start);
  return pathText(header.subarray(start, end === -1 || end > start + length ? start + length : end));
}

// Tar readers disagree on odd spellings of a header's numbers: GNU tar stops an octal field at the first
// space or NUL and ignores what follows, Go's archive/tar (the Docker engine) trims spaces and NULs at
// both ends and refuses what is left if it is not all digits, libarchive skips only leading spaces and
// tabs. hawser accepts just the spelling they all read alike, and refuses the rest.

// Linux ids are 32 bits; GNU tar refuses larger ones where Go reads them.
export const maxId = 0xff_ff_ff_ff;

export type NumberRead = {readonly value: number} | {readonly problem: string};

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
export function readField(field: Buffer, isNegativeAllowed = false): NumberRead {
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
export type HeaderNumbers = {readonly mode: number; readonly uid: number; readonly gid: number; readonly size: number; readonly mtime: number};

const numberFields = [
  {key: 'mode', start: 100, length: 8},
  {key: 'uid', start: 108, length: 8},
  {key: 'gid', start: 116, length: 8},
  {key: 'size', start: 124, length: 12},
  {key: 'mtime', start: 136, length: 12},
] as const;

/** Reads mode, uid, gid, size and mtime; throws when one is spelled oddly (Go refuses such a header outright, GNU tar guesses). */
export function readNumbers(header: Buffer, at: HeaderAt): HeaderNumbers {
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
export function checksumMatches(header: Buffer, at: HeaderAt): boolean {
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

export function isZeroBlock(header: Buffer): boolean {
  for (let i = 0; i < block; i++) {
    if (header[i] !== 0) {
      return false;
    }
  }

  return true;
}
