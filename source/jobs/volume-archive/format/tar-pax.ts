// PAX extended header records ("%d key=value\n") and GNU long-name and long-link records: read,
// refused where tar readers would read them differently, and the records an entry keeps (TarEntry.extended).
import {pathText} from './path-bytes.js';
import {ambiguous, shown, type HeaderAt} from './tar-entry.js';
import {maxId} from './tar-fields.js';

/** Parses PAX records ("%d key=value\n"); values are bytes (extended attributes are binary). */
export function parsePax(data: Buffer, at: HeaderAt = {offset: 0, isExtended: true}): Map<string, Buffer> {
  // A key set twice: the last one counts, in GNU tar, Go and libarchive alike.
  return new Map(paxRecords(data, at));
}

/** The records in order, repeated keys included (checkPax looks at each: GNU tar refuses a bad value even when a later one replaces it). */
export function paxRecords(data: Buffer, at: HeaderAt): Array<[string, Buffer]> {
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
export function checkPax(records: ReadonlyArray<[string, Buffer]>, at: HeaderAt, isGlobal: boolean): void {
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
export function longText(data: Buffer, at: HeaderAt, what: string): string {
  const end = data.indexOf(0);
  // Go takes an empty one for none (and keeps the header's name), GNU tar for an empty name.
  if (end === 0 || data.length === 0) {
    throw ambiguous(at, `is a ${what} that holds an empty name`);
  }

  return pathText(end === -1 ? data : data.subarray(0, end));
}

/** The records of TarEntry.extended, in a stable order; libarchive's base64 xattrs count where no SCHILY one names the same attribute. */
export function keptRecords(pax: ReadonlyMap<string, Buffer>): Map<string, Buffer> | undefined {
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
