// hawser's tar reader against GNU tar's: a small valid archive, made by hand, has its headers mutated
// (odd number spellings, PAX records, type flags, names, magics), and whenever hawser accepts the result
// GNU tar must read the same entries (names, types, file sizes). Refusing what GNU tar reads is fine.
import {spawnSync} from 'node:child_process';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {TarFormatError, type TarEntry, type TarEntryType} from '../../source/jobs/volume-archive/format/tar-entry.js';
import {TarParser} from '../../source/jobs/volume-archive/format/tar-parser.js';

type HeaderFields = {
  name: string;
  mode: Buffer;
  uid: Buffer;
  gid: Buffer;
  size?: Buffer;
  mtime: Buffer;
  type: string;
  linkname: string;
  magic: Buffer;
  prefix: string;
  trailer?: string;
  checksum?: 'gnu' | 'go' | 'spaces' | 'junk';
};

/** One entry before it becomes bytes: its header, data, and the records that go before it. */
type EntrySpec = {header: HeaderFields; body: string; pax: Array<[string, string]>; long: Array<['L' | 'K', string]>};

function octal(value: number, length: number): Buffer {
  return Buffer.from(`${value.toString(8).padStart(length - 1, '0')}\0`, 'latin1');
}

/** Bytes fit to a field: cut, or padded with NULs. */
function fit(bytes: Buffer, length: number): Buffer {
  return Buffer.concat([bytes.subarray(0, length), Buffer.alloc(Math.max(0, length - bytes.length))]);
}

function headerBytes(fields: HeaderFields, size: number): Buffer {
  const h = Buffer.alloc(512);
  const put = (start: number, length: number, bytes: Buffer) => fit(bytes, length).copy(h, start);
  put(0, 100, Buffer.from(fields.name, 'latin1'));
  put(100, 8, fields.mode);
  put(108, 8, fields.uid);
  put(116, 8, fields.gid);
  put(124, 12, fields.size ?? octal(size, 12));
  put(136, 12, fields.mtime);
  put(156, 1, Buffer.from(fields.type, 'latin1'));
  put(157, 100, Buffer.from(fields.linkname, 'latin1'));
  put(257, 8, fields.magic);
  put(345, 155, Buffer.from(fields.prefix, 'latin1'));
  if (fields.trailer !== undefined) {
    put(508, 4, Buffer.from(fields.trailer, 'latin1'));
  }

  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of h) {
    sum += byte;
  }

  const digits = sum.toString(8);
  const checksum = {gnu: `${digits.padStart(6, '0')}\0 `, go: `${digits.padStart(7, '0')}\0`, spaces: ` ${digits.padStart(6, '0')} `, junk: `${digits.padStart(6, '0')}\0x`}[fields.checksum ?? 'gnu'];
  put(148, 8, Buffer.from(checksum, 'latin1'));
  return h;
}

function padded(body: Buffer): Buffer {
  return Buffer.concat([body, Buffer.alloc((512 - (body.length % 512)) % 512)]);
}

function record(key: string, value: string): Buffer {
  const rest = Buffer.from(` ${key}=${value}\n`, 'latin1');
  let length = rest.length + 1;
  while (String(length).length + rest.length !== length) {
    length++;
  }

  return Buffer.concat([Buffer.from(String(length)), rest]);
}

const plain = {mode: octal(0o644, 8), uid: octal(1000, 8), gid: octal(1000, 8), mtime: octal(1_600_000_000, 12), magic: Buffer.from('ustar\u000000', 'latin1'), linkname: '', prefix: ''};

function metaBytes(type: string, body: Buffer): Buffer {
  return Buffer.concat([headerBytes({...plain, name: '././@PaxHeader', type}, body.length), padded(body)]);
}

function archiveBytes(specs: readonly EntrySpec[]): Buffer {
  const parts: Buffer[] = [];
  for (const {header, body, pax, long} of specs) {
    for (const [type, text] of long) {
      parts.push(metaBytes(type, Buffer.from(`${text}\0`, 'latin1')));
    }

    if (pax.length > 0) {
      parts.push(metaBytes('x', Buffer.concat(pax.map(([key, value]) => record(key, value)))));
    }

    const data = Buffer.from(body, 'latin1');
    parts.push(headerBytes(header, data.length), padded(data));
  }

  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** The valid archive every case starts from: a directory, a 3-byte file (its directory in the ustar prefix), a symlink. */
function baseArchive(): EntrySpec[] {
  return [
    {header: {...plain, name: 'd/', type: '5', mode: octal(0o755, 8)}, body: '', pax: [], long: []},
    {header: {...plain, name: 'f', prefix: 'd', type: '0'}, body: 'abc', pax: [], long: []},
    {header: {...plain, name: 'd/l', type: '2', linkname: 'f', mode: octal(0o777, 8)}, body: '', pax: [], long: []},
  ];
}

// Field text: each kind renders to the field's length.
type FieldValue =
  | {readonly kind: 'octal'; readonly value: number; readonly lead: number; readonly end: string}
  | {readonly kind: 'junk'; readonly value: number; readonly junk: string; readonly isBefore: boolean}
  | {readonly kind: 'blank'; readonly text: string}
  | {readonly kind: 'base256'; readonly first: number; readonly rest: readonly number[]};

function renderField(value: FieldValue, length: number): Buffer {
  switch (value.kind) {
    case 'octal': {
      const digits = value.value.toString(8);
      return fit(Buffer.from(' '.repeat(value.lead) + digits.padStart(Math.max(digits.length, length - value.lead - value.end.length), '0') + value.end, 'latin1'), length);
    }

    case 'junk': {
      const digits = value.value.toString(8).padStart(4, '0');
      return fit(Buffer.from(value.isBefore ? value.junk + digits : `${digits}${value.junk}`, 'latin1'), length);
    }

    case 'blank': {
      return fit(Buffer.from(value.text.repeat(12), 'latin1'), length);
    }

    default: {
      // The value's bytes end at the field's end (big-endian), zeros between.
      const rest = value.rest.slice(-(length - 1));
      return Buffer.from([value.first, ...Array.from({length: length - 1 - rest.length}, () => 0), ...rest]);
    }
  }
}

const smallNumber = fc.oneof(fc.constantFrom(0, 1, 3, 5, 511, 512, 513, 0o644, 0o755), fc.nat(0o7777777));
const fieldValue: fc.Arbitrary<FieldValue> = fc.oneof(
  fc.record({kind: fc.constant('octal' as const), value: smallNumber, lead: fc.nat(3), end: fc.constantFrom('\0', ' ', ' \0', '\0 ', '')}),
  fc.record({kind: fc.constant('junk' as const), value: smallNumber, junk: fc.constantFrom('8', '9', '+', '-', '\0abc', ' 12', 'x', '\t', 'e0', '\0', ' \0 1'), isBefore: fc.boolean()}),
  fc.record({kind: fc.constant('blank' as const), text: fc.constantFrom(' ', '\0', '\0 ', ' \0', '  \0', '\t')}),
  fc.record({kind: fc.constant('base256' as const), first: fc.constantFrom(0x80, 0xff, 0x81, 0xc0, 0xfe), rest: fc.oneof(fc.array(fc.nat(255), {maxLength: 2}), fc.array(fc.nat(255), {minLength: 11, maxLength: 11}))}),
);

const paxRecord: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.tuple(fc.constant('size'), fc.constantFrom('3', '03', '0', '5', '600', '3 ', ' 3', '+3', '3e0', '0x3', '', '-1', '99999999999999999999')),
  fc.tuple(fc.constant('path'), fc.constantFrom('d/p', 'd/p/', 'd//q', 'a\0b', '', 'd/very-long-'.padEnd(130, 'n'))),
  fc.tuple(fc.constant('linkpath'), fc.constantFrom('f', 'd/f', '', 'a\0b')),
  fc.tuple(fc.constant('mtime'), fc.constantFrom('1', '-1', '1.5', '1.', '+1', '1e3', ' 1', '99999999999999999999', '-1.000000001')),
  fc.tuple(fc.constantFrom('uid', 'gid'), fc.constantFrom('0', '7', '4294967295', '4294967296', '1 ', '+1')),
  fc.tuple(fc.constantFrom('atime', 'comment', 'LIBARCHIVE.xattr.user.%41', 'LIBARCHIVE.xattr.user.%E0%A4%A', 'SCHILY.xattr.user.x'), fc.constantFrom('1', 'eA==', 'x', '')),
);

type Mutation =
  | {readonly kind: 'field'; readonly target: number; readonly field: 'mode' | 'uid' | 'gid' | 'size' | 'mtime'; readonly value: FieldValue}
  | {readonly kind: 'type'; readonly target: number; readonly type: string}
  | {readonly kind: 'name'; readonly target: number; readonly name: string}
  | {readonly kind: 'magic'; readonly target: number; readonly magic: string}
  | {readonly kind: 'pax'; readonly target: number; readonly records: ReadonlyArray<[string, string]>}
  | {readonly kind: 'long'; readonly target: number; readonly records: ReadonlyArray<['L' | 'K', string]>}
  | {readonly kind: 'checksum'; readonly target: number; readonly style: 'gnu' | 'go' | 'spaces' | 'junk'}
  | {readonly kind: 'star'; readonly target: number; readonly prefix: string};

const target = fc.nat(2);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {arbitrary: fc.record({kind: fc.constant('field' as const), target, field: fc.constantFrom('mode' as const, 'uid' as const, 'gid' as const, 'size' as const, 'mtime' as const), value: fieldValue}), weight: 4},
  {arbitrary: fc.record({kind: fc.constant('type' as const), target, type: fc.constantFrom('0', '\0', '1', '2', '3', '4', '5', '6', '7', 'S', 'D', 'V', 'M', 'N', 'X', 'Q', '8', 'x', 'g', 'L', 'K')}), weight: 2},
  {arbitrary: fc.record({kind: fc.constant('name' as const), target, name: fc.constantFrom('d', 'd/', 'd/f', 'd/f/', 'f/', 'd//', 'l', 'x y', '', './d', 'd/./f')}), weight: 2},
  {arbitrary: fc.record({kind: fc.constant('magic' as const), target, magic: fc.constantFrom('ustar\u000000', 'ustar  \0', 'ustar 00', '\0\0\0\0\0\0\0\0', 'ustar\0\0\0', 'ustar\0  ', 'ustarX00', 'USTAR\u000000')}), weight: 1},
  {arbitrary: fc.record({kind: fc.constant('pax' as const), target, records: fc.array(paxRecord, {minLength: 1, maxLength: 3})}), weight: 3},
  {arbitrary: fc.record({kind: fc.constant('long' as const), target, records: fc.array(fc.tuple(fc.constantFrom('L' as const, 'K' as const), fc.constantFrom('d/long', 'd/long/', '', 'f', 'x'.repeat(120))), {minLength: 1, maxLength: 2})}), weight: 1},
  {arbitrary: fc.record({kind: fc.constant('checksum' as const), target, style: fc.constantFrom('gnu' as const, 'go' as const, 'spaces' as const, 'junk' as const)}), weight: 1},
  {arbitrary: fc.record({kind: fc.constant('star' as const), target, prefix: fc.constantFrom('d', 'p'.repeat(140))}), weight: 1},
);

function mutated(mutations: readonly Mutation[]): Buffer {
  const specs = baseArchive();
  for (const m of mutations) {
    const spec = specs[m.target]!;
    switch (m.kind) {
      case 'field': {
        spec.header[m.field] = renderField(m.value, m.field === 'size' || m.field === 'mtime' ? 12 : 8);
        break;
      }

      case 'type': {
        spec.header.type = m.type;
        break;
      }

      case 'name': {
        spec.header.name = m.name;
        break;
      }

      case 'magic': {
        spec.header.magic = Buffer.from(m.magic, 'latin1');
        break;
      }

      case 'pax': {
        spec.pax.push(...m.records);
        break;
      }

      case 'long': {
        spec.long.push(...m.records);
        break;
      }

      case 'checksum': {
        spec.header.checksum = m.style;
        break;
      }

      default: {
        spec.header.prefix = m.prefix;
        spec.header.trailer = 'tar\0';
      }
    }
  }

  return archiveBytes(specs);
}

function hawserEntries(bytes: Buffer): TarEntry[] | undefined {
  const entries: TarEntry[] = [];
  const parser = new TarParser({onEntryEnd: e => entries.push(e)});
  try {
    parser.write(bytes);
    parser.end();
  } catch (error) {
    // Anything but a TarFormatError (a URIError, a RangeError) is a bug in the reader.
    if (error instanceof TarFormatError) {
      return undefined;
    }

    throw error;
  }

  return entries;
}

type Listed = {readonly name: string; readonly type: string; readonly size: string};

// `-rw-r--r-- 1000/1000 3 2020-09-13 12:26:40 d/f`; a time GNU tar cannot break down is printed as seconds,
// and times are padded to the widest one (a fraction of a second widens the column). No name here starts with a space.
const line = /^(\S)\S{9} \S+ +(\S+) +(-?\d+-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?|-?\d+(?:\.\d+)?) +(.*)$/s;

/** What GNU tar lists, or why it failed. */
function gnuListing(bytes: Buffer): {readonly entries: Listed[]} | {readonly failure: string} {
  const result = spawnSync('tar', ['-tv', '--numeric-owner', '--full-time', '-f', '-'], {input: bytes, env: {...process.env, LC_ALL: 'C', TZ: 'UTC'}, encoding: 'latin1'});
  if (result.status !== 0) {
    return {failure: `exit ${result.status}: ${result.stderr}`};
  }

  const entries: Listed[] = [];
  for (const text of result.stdout.split('\n').filter(Boolean)) {
    const match = line.exec(text);
    if (!match) {
      return {failure: `unreadable line ${JSON.stringify(text)}`};
    }

    const [, type, size, , rest] = match as unknown as [string, string, string, string, string];
    const name = type === 'l' ? rest.split(' -> ')[0]! : type === 'h' ? rest.split(' link to ')[0]! : rest;
    entries.push({name, type, size});
  }

  return {entries};
}

const letters: Readonly<Record<TarEntryType, string>> = {'file': '-', 'directory': 'd', 'symlink': 'l', 'hardlink': 'h', 'fifo': 'p', 'char-device': 'c', 'block-device': 'b'};

/** An entry as compared: GNU tar shows a contiguous file as 'C', a directory with whatever slash its name has. */
function normalised({name, type, size}: Listed): Listed {
  const letter = type === 'C' ? '-' : type;
  return {name: letter === 'd' ? name.replace(/\/+$/, '') : name, type: letter, size: letter === '-' ? size : ''};
}

// 150 cases keep the unit run short; TAR_FUZZ_RUNS=20000 searches harder.
const runs = Number(process.env['TAR_FUZZ_RUNS'] ?? 150);

describe('TarParser against GNU tar', () => {
  it('reads every archive it accepts as GNU tar does (names, types, file sizes)', {timeout: Math.max(60_000, runs * 20)}, () => {
    expect(hawserEntries(archiveBytes(baseArchive()))?.map(e => e.name)).toEqual(['d/', 'd/f', 'd/l']);
    let acceptedCount = 0;
    fc.assert(fc.property(fc.array(mutation, {minLength: 1, maxLength: 3}), mutations => {
      const bytes = mutated(mutations);
      const entries = hawserEntries(bytes);
      if (!entries) {
        return;
      }

      acceptedCount++;
      const gnu = gnuListing(bytes);
      expect('failure' in gnu ? gnu.failure : 'GNU tar read it').toBe('GNU tar read it');
      const listed = 'entries' in gnu ? gnu.entries.map(e => normalised(e)) : [];
      expect(listed).toEqual(entries.map(e => normalised({name: e.name, type: letters[e.type], size: String(e.size)})));
    }), {numRuns: runs});
    // The mutations are not so wild that nothing gets through.
    expect(acceptedCount).toBeGreaterThan(runs / 15);
  });
});
