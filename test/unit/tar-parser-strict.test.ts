// The tar reader is strict wherever GNU tar, Go's archive/tar (the Docker engine) and libarchive could read
// the same header bytes differently. Every archive here is built byte by byte, so each test shows exactly
// which spelling is refused (with the header's offset in the message) and which one is fine.
import {describe, expect, it} from 'vitest';
import {TarFormatError, type TarEntry} from '../../source/jobs/volume-archive/format/tar-entry.js';
import {TarParser} from '../../source/jobs/volume-archive/format/tar-parser.js';

/** A header field's bytes: text (latin1) padded with NULs, or bytes as they are. */
type Field = string | Buffer;

type HeaderSpec = {
  readonly name?: Field;
  readonly mode?: Field;
  readonly uid?: Field;
  readonly gid?: Field;
  readonly size?: Field;
  readonly mtime?: Field;
  readonly type?: string;
  readonly linkname?: Field;
  /** Magic and version, 8 bytes. */
  readonly magic?: Field;
  readonly prefix?: Field;
  /** The checksum field, given the right sum; GNU's spelling when left out. */
  readonly checksum?: (sum: number) => Field;
  /** Bytes 508–511 (star's trailer). */
  readonly trailer?: Field;
};

function octal(value: number, length: number): string {
  return `${value.toString(8).padStart(length - 1, '0')}\0`;
}

function put(header: Buffer, start: number, length: number, field: Field): void {
  const bytes = typeof field === 'string' ? Buffer.from(field, 'latin1') : field;
  if (bytes.length > length) {
    throw new RangeError(`a field of ${length} bytes cannot hold ${bytes.length}`);
  }

  header.fill(0, start, start + length);
  bytes.copy(header, start);
}

function header(spec: HeaderSpec): Buffer {
  const h = Buffer.alloc(512);
  put(h, 0, 100, spec.name ?? 'a');
  put(h, 100, 8, spec.mode ?? octal(0o644, 8));
  put(h, 108, 8, spec.uid ?? octal(1000, 8));
  put(h, 116, 8, spec.gid ?? octal(1000, 8));
  put(h, 124, 12, spec.size ?? octal(0, 12));
  put(h, 136, 12, spec.mtime ?? octal(1_600_000_000, 12));
  put(h, 156, 1, spec.type ?? '0');
  put(h, 157, 100, spec.linkname ?? '');
  put(h, 257, 8, spec.magic ?? 'ustar\u000000');
  put(h, 345, 155, spec.prefix ?? '');
  if (spec.trailer !== undefined) {
    put(h, 508, 4, spec.trailer);
  }

  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of h) {
    sum += byte;
  }

  put(h, 148, 8, spec.checksum?.(sum) ?? `${sum.toString(8).padStart(6, '0')}\0 `);
  return h;
}

function padded(body: Buffer): Buffer {
  return Buffer.concat([body, Buffer.alloc((512 - (body.length % 512)) % 512)]);
}

/** A header and its data (the size field says the data's length unless the spec says otherwise). */
function entry(spec: HeaderSpec, body: Buffer | string = ''): Buffer {
  const data = typeof body === 'string' ? Buffer.from(body, 'latin1') : body;
  return Buffer.concat([header({size: octal(data.length, 12), ...spec}), padded(data)]);
}

/** One PAX record, its length prefix computed. */
function record(key: string, value: Field): Buffer {
  const rest = Buffer.concat([Buffer.from(` ${key}=`, 'latin1'), typeof value === 'string' ? Buffer.from(value, 'utf8') : value, Buffer.from('\n')]);
  let length = rest.length + 1;
  while (String(length).length + rest.length !== length) {
    length++;
  }

  return Buffer.concat([Buffer.from(String(length)), rest]);
}

/** A meta header ('x', 'g', 'L', 'K') with its data. */
function meta(type: string, body: Buffer): Buffer {
  return entry({name: '././@PaxHeader', type}, body);
}

function pax(records: Readonly<Record<string, Field>>): Buffer {
  return meta('x', Buffer.concat(Object.entries(records).map(([key, value]) => record(key, value))));
}

const end = Buffer.alloc(1024);
/** A plain first entry, so that the header under test sits at byte 1024. */
const first = entry({name: 'first'}, 'abc');

function archive(...parts: Buffer[]): Buffer {
  return Buffer.concat([first, ...parts, end]);
}

function parse(bytes: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  const parser = new TarParser({onEntryEnd: e => entries.push(e)});
  parser.write(bytes);
  parser.end();
  return entries;
}

/** The last entry of an archive that must be accepted. */
function accepted(bytes: Buffer): TarEntry {
  const entries = parse(bytes);
  return entries.at(-1)!;
}

/** The refusal's message; fails unless the archive is refused with a TarFormatError. */
function refusal(bytes: Buffer): string {
  try {
    parse(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(TarFormatError);
    return (error as Error).message;
  }

  throw new Error('the archive was accepted');
}

const advice = 're-create the archive with GNU tar, or convert it with `bsdtar -cf new.tar @old.tar`';

describe('numeric header fields', () => {
  it.each([
    ['mode', {mode: '0000758\0'}],
    ['mode', {mode: '+0000644'}],
    ['uid', {uid: '-000001\0'}],
    ['mode', {mode: '00750\0ab'}],
    ['size', {size: '0000003\0abc\0'}],
    ['mtime', {mtime: '1372702400x\0'}],
    ['mode', {mode: '\t000644\0'}],
    ['mode', {mode: '\u00000000644'}],
    ['mode', {mode: '        '}],
    ['gid', {gid: '\0       '}],
    ['mode', {mode: '0644 12\0'}],
    ['size', {size: Buffer.from([0x81, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3])}],
    ['size', {size: Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfd])}],
    ['uid', {uid: Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])}],
    ['size', {size: Buffer.from([0x80, 0, 0, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])}],
    ['uid', {uid: Buffer.from([0x80, 0, 0, 1, 0, 0, 0, 0])}],
  ] as const)('refuses an odd %s field: %j', (field, spec) => {
    const message = refusal(archive(entry({name: 'odd', ...spec}, 'abc')));
    expect(message).toContain('the header at byte 1024 (entry "odd")');
    expect(message).toContain(`in its ${field} field`);
    expect(message).toContain(advice);
  });

  it('accepts the spellings every reader reads alike', () => {
    expect(accepted(archive(entry({name: 'b', mode: '   0644 '}, 'abc'))).mode).toBe(0o644);
    expect(accepted(archive(entry({name: 'b', mode: '000644 \0'}, 'abc'))).mode).toBe(0o644);
    expect(accepted(archive(entry({name: 'b', mode: '00000644'}, 'abc'))).mode).toBe(0o644);
    expect(accepted(archive(entry({name: 'b', uid: '\0\0\0\0\0\0\0\0'}, 'abc'))).uid).toBe(0);
    expect(accepted(archive(entry({name: 'b', uid: '   \0    '}, 'abc'))).uid).toBe(0);
    expect(accepted(archive(entry({name: 'b', size: '000000000003'}, 'abc'))).size).toBe(3);
    expect(accepted(archive(entry({name: 'b', size: Buffer.from([0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3])}, 'abc'))).size).toBe(3);
    expect(accepted(archive(entry({name: 'b', uid: Buffer.from([0x80, 0, 0, 0, 0x7f, 0xff, 0xff, 0xfe])}, 'abc'))).uid).toBe(0x7f_ff_ff_fe);
    // A negative time (before 1970) is fine, in base-256 two's complement.
    expect(accepted(archive(entry({name: 'b', mtime: Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])}, 'abc'))).mtime).toBe(-1);
  });

  it('refuses a right checksum in an odd spelling, accepts the usual ones', () => {
    const odd = archive(entry({name: 'odd', checksum: sum => `${sum.toString(8).padStart(6, '0')}\0x`}));
    const message = refusal(odd);
    expect(message).toContain('the header at byte 1024');
    expect(message).toContain('checksum field');
    expect(accepted(archive(entry({name: 'b', checksum: sum => octal(sum, 8)}))).name).toBe('b');
    expect(accepted(archive(entry({name: 'b', checksum: sum => ` ${sum.toString(8).padStart(6, '0')} `}))).name).toBe('b');
    // A wrong sum is damage, not an odd spelling.
    expect(refusal(archive(entry({name: 'b', checksum: sum => octal(sum + 1, 8)})))).toBe('the header at byte 1024 is damaged (checksum mismatch)');
  });
});

describe('PAX records', () => {
  it.each([
    ['a length that is not a number', Buffer.from('1a path=x\n')],
    ['a length with a sign', Buffer.from('+10 path=x\n')],
    ['a blank before the length', Buffer.from(' 10 path=x\n')],
    ['a length too short for its newline', Buffer.from('11 path=abcd\n')],
    ['a length past the end', Buffer.from('99 path=x\n')],
    ['NUL padding after the records', Buffer.concat([record('path', 'x'), Buffer.alloc(4)])],
    ['an empty key', Buffer.from('7 =abc\n')],
    ['no "="', Buffer.from('8 pathx\n')],
    ['a NUL in the key', record('pa\0th', 'x')],
    ['two spaces after the length', Buffer.from('12  path=ab\n')],
  ])('refuses %s', (_what, body) => {
    const message = refusal(archive(meta('x', body), entry({name: 'b'})));
    expect(message).toContain('the extended header at byte 1024');
    expect(message).toContain(advice);
  });

  it.each([
    ['size', '1024e0'], ['size', '0x400'], ['size', '+1024'], ['size', ' 1024'], ['size', '1024 '], ['size', ''], ['size', '-1'],
    ['size', '99999999999999999999'], ['uid', 'abc'], ['uid', '4294967296'], ['gid', '+1'],
    ['mtime', '1.5e9'], ['mtime', '1600000000.'], ['mtime', '+1'], ['mtime', '.5'], ['mtime', ''], ['mtime', ' 1'], ['atime', 'x'], ['ctime', '1,5'],
    ['path', 'a\0b'], ['linkpath', 'a\0b'], ['path', ''], ['uname', 'r\0oot'],
  ])('refuses %s=%j', (key, value) => {
    const message = refusal(archive(pax({[key]: value}), entry({name: 'b'})));
    expect(message).toContain('the extended header at byte 1024');
    expect(message).toContain(key);
  });

  it('refuses a libarchive xattr whose name does not %-decode, as a TarFormatError', () => {
    const message = refusal(archive(pax({'LIBARCHIVE.xattr.user.%E0%A4%A': 'eA=='}), entry({name: 'b'})));
    expect(message).toContain('the extended header at byte 1024');
    expect(message).toContain('LIBARCHIVE.xattr.user.%E0%A4%A');
  });

  it('refuses a global header that sets what Go ignores, and one between an extended header and its entry', () => {
    expect(refusal(archive(meta('g', record('path', 'x')), entry({name: 'b'})))).toContain('the extended header at byte 1024 is a global header that sets "path"');
    expect(refusal(archive(pax({path: 'x'}), meta('g', record('comment', 'x')), entry({name: 'b'})))).toContain('the extended header at byte 2048 is a PAX global header between');
    expect(accepted(archive(meta('g', record('comment', 'made by git')), entry({name: 'b'}))).name).toBe('b');
  });

  it('reads well-formed records: sizes with leading zeros, exact times, names, escaped xattr names; the last of a key counts', () => {
    const body = Buffer.concat([record('size', '0003'), record('mtime', '-1.25'), record('path', 'dir/ünïcode'), record('LIBARCHIVE.xattr.user.a%20b', 'eA=='), record('uid', '1'), record('uid', '4294967295')]);
    const read = accepted(archive(meta('x', body), entry({name: 'b'}, 'xyz')));
    expect(read).toMatchObject({name: 'dir/ünïcode', size: 3, mtime: -1.25, mtimeText: '-1.25', uid: 4_294_967_295});
    expect(read.extended).toEqual(new Map([['SCHILY.xattr.user.a b', Buffer.from('x')]]));
    expect(accepted(archive(pax({mtime: '1600000000.123456789'}), entry({name: 'b'}))).mtimeText).toBe('1600000000.123456789');
  });
});

describe('sizes of entries that carry no data', () => {
  it.each([['1', 'hardlink'], ['2', 'symlink'], ['5', 'directory'], ['6', 'fifo'], ['3', 'char-device'], ['4', 'block-device']])('refuses type %s (%s) with a size', (type, word) => {
    const message = refusal(archive(entry({name: 'odd', type, linkname: 'first'}, 'x')));
    expect(message).toContain(`the header at byte 1024 (entry "odd") is a ${word} whose size is 1, not 0 (tar readers disagree on whether data follows)`);
  });

  it('refuses a link whose PAX size is not 0, and reads a size of 0 either way', () => {
    expect(refusal(archive(pax({size: '5'}), entry({name: 'l', type: '2', linkname: 'first'})))).toContain('the header at byte 2048 (entry "l") is a symlink whose size is 5, not 0');
    expect(accepted(archive(pax({size: '0'}), entry({name: 'l', type: '2', linkname: 'first'})))).toMatchObject({type: 'symlink', size: 0, linkname: 'first'});
    expect(accepted(archive(entry({name: 'd/', type: '5'})))).toMatchObject({type: 'directory', size: 0});
    expect(accepted(archive(entry({name: 'f'}, 'hello')))).toMatchObject({type: 'file', size: 5});
  });
});

describe('names ending in "/"', () => {
  it.each([['0', 'file'], ['\0', 'file'], ['7', 'file'], ['1', 'hardlink'], ['2', 'symlink'], ['6', 'fifo']])('refuses type %j (%s) named "x/"', (type, word) => {
    const message = refusal(archive(entry({name: 'x/', type, linkname: 'first'})));
    expect(message).toContain(`the header at byte 1024 (entry "x/") is a ${word} whose name ends in "/"`);
  });

  it('refuses a PAX path ending in "/" for a file; accepts directories with or without the "/"', () => {
    expect(refusal(archive(pax({path: 'p/'}), entry({name: 'p'})))).toContain('the header at byte 2048 (entry "p/") is a file whose name ends in "/"');
    expect(accepted(archive(entry({name: 'd', type: '5'})))).toMatchObject({name: 'd', type: 'directory'});
    expect(accepted(archive(entry({name: 'd/', type: '5'})))).toMatchObject({name: 'd/', type: 'directory'});
  });
});

describe('empty names', () => {
  it('refuses an entry with no name (GNU tar reads it as ".")', () => {
    expect(refusal(archive(entry({name: '', type: '2', linkname: 'first'})))).toContain('the header at byte 1024 (entry "") has an empty name');
    expect(accepted(archive(entry({name: '.', type: '5'}))).name).toBe('.');
  });
});

describe('type flags', () => {
  it.each([
    ['D', 'a GNU incremental-backup directory listing (dumpdir)', 'without --listed-incremental'],
    ['V', 'a GNU tar volume label', 'without --label (-V)'],
    ['M', 'the rest of a file begun on the previous volume of a multi-volume archive', '`tar -xMf`'],
    ['N', 'an old GNU tar record of long names (type N)', '`tar --format=posix -cf`'],
    ['X', 'a Solaris extended header (type X)', '`bsdtar -cf new.tar @old.tar`'],
    ['Q', 'of the vendor-specific type "Q"', 're-create the archive with GNU tar'],
    ['8', 'of the unknown type "8"', 're-create the archive with GNU tar'],
    ['\x01', 'of the unknown type "\\x01"', 're-create the archive with GNU tar'],
  ])('refuses type %j in words', (type, words, advice) => {
    const message = refusal(archive(entry({name: 'odd', type})));
    expect(message).toContain(`the header at byte 1024 (entry "odd") is ${words}, which hawser does not restore`);
    expect(message).toContain(advice);
  });

  it('reads "7" (contiguous) and NUL as files', () => {
    expect(accepted(archive(entry({name: 'c', type: '7'}, 'xy')))).toMatchObject({type: 'file', size: 2});
    expect(accepted(archive(entry({name: 'n', type: '\0'}, 'xy')))).toMatchObject({type: 'file', size: 2});
  });
});

describe('sparse files', () => {
  it('reads a PAX 0.1 map and a 1.0 map in the data; refuses a map that is not plain numbers, does not add up, or is not in whole blocks', () => {
    const data = Buffer.concat([Buffer.alloc(512, 0x61), Buffer.from('yz')]);
    const segments = pax({'GNU.sparse.size': '4096', 'GNU.sparse.map': '512,512,3000,2', 'GNU.sparse.name': 'holes'});
    expect(accepted(archive(segments, entry({name: 'GNUSparseFile.0/holes'}, data)))).toMatchObject({name: 'holes', size: 4096, sparse: {realSize: 4096, segments: [[512, 512], [3000, 2]]}});
    const map = padded(Buffer.from('2\n512\n512\n3000\n2\n'));
    expect(accepted(archive(pax({'GNU.sparse.major': '1', 'GNU.sparse.minor': '0', 'GNU.sparse.realsize': '4096', 'GNU.sparse.name': 'h'}), entry({name: 'x'}, Buffer.concat([map, data]))))).toMatchObject({name: 'h', size: 4096});
    expect(refusal(archive(pax({'GNU.sparse.size': '100', 'GNU.sparse.map': '10,0x3'}), entry({name: 'x'}, 'abc')))).toContain('the header at byte 2048 (entry "x") is a sparse file whose map tar readers could read differently: its sparse map is not pairs of plain decimal numbers');
    expect(refusal(archive(pax({'GNU.sparse.size': '100', 'GNU.sparse.map': '10,3'}), entry({name: 'x'}, 'abcdef')))).toContain('its sparse map covers 3 bytes but the archive stores 6');
    expect(refusal(archive(pax({'GNU.sparse.size': '4096', 'GNU.sparse.map': '2048,512,0,2'}), entry({name: 'x'}, data)))).toContain('out of order');
    // GNU tar reads each segment from blocks of its own, Go and libarchive back to back: "ab" then "c" reads two ways.
    expect(refusal(archive(pax({'GNU.sparse.size': '4096', 'GNU.sparse.map': '0,2,2048,1'}), entry({name: 'x'}, 'abc')))).toContain('a segment of 2 bytes, not whole 512-byte blocks, before the last');
    expect(refusal(archive(pax({'GNU.sparse.major': '1', 'GNU.sparse.minor': '0', 'GNU.sparse.realsize': '100'}), entry({name: 'x'}, Buffer.concat([padded(Buffer.from('1\n+5\n3\n')), Buffer.from('abc')]))))).toContain('its sparse map holds "+5", not a number');
  });

  it('reads a 1.0 map of many blocks once, not again with each block', () => {
    const count = 20_000;
    const lines = [String(count), ...Array.from({length: count}, (_, index) => [String(index * 1024), '512']).flat()];
    const map = padded(Buffer.from(`${lines.join('\n')}\n`));
    const started = process.hrtime.bigint();
    const read = accepted(archive(pax({'GNU.sparse.major': '1', 'GNU.sparse.minor': '0', 'GNU.sparse.realsize': String(count * 1024), 'GNU.sparse.name': 'many'}), entry({name: 'x'}, Buffer.concat([map, Buffer.alloc(count * 512, 1)]))));
    expect(read.sparse?.segments.length).toBe(count);
    // Linear: some milliseconds. Re-reading the map with each of its 470 blocks took seconds.
    expect(Number(process.hrtime.bigint() - started) / 1e9).toBeLessThan(2);
  });
});

describe('extended attribute names', () => {
  it('refuses a name with "%" (GNU tar decodes it, Go does not) and a libarchive name holding "=" or "%"', () => {
    expect(refusal(archive(pax({'SCHILY.xattr.user.a%3Db': 'v'}), entry({name: 'x'})))).toContain('holds a "%" that GNU tar decodes and Go does not');
    expect(refusal(archive(pax({'LIBARCHIVE.xattr.user.a%3Db': 'dg=='}), entry({name: 'x'})))).toContain('holds "=" or "%"');
    expect(accepted(archive(pax({'SCHILY.xattr.user.plain': 'v'}), entry({name: 'x'}))).extended?.get('SCHILY.xattr.user.plain')?.toString()).toBe('v');
  });
});

describe('long names and extended headers', () => {
  it('refuses one that the end of the archive follows instead of an entry', () => {
    expect(refusal(archive(meta('L', Buffer.from('long\0'))))).toContain('the archive ends after the GNU long-name record at byte 1024, with no entry for it to describe');
    expect(refusal(archive(pax({path: 'x'})))).toContain('the archive ends after the PAX extended header at byte 1024');
  });

  it('refuses two of a kind for one entry, an empty long name, and a PAX name beside a GNU long name', () => {
    expect(refusal(archive(meta('L', Buffer.from('one\0')), meta('L', Buffer.from('two\0')), entry({name: 'b'})))).toContain('the extended header at byte 2048 is a second GNU long-name record for one entry');
    expect(refusal(archive(meta('K', Buffer.from('one\0')), meta('K', Buffer.from('two\0')), entry({name: 'b', type: '2'})))).toContain('at byte 2048 is a second GNU long-link record');
    expect(refusal(archive(pax({path: 'one'}), pax({path: 'two'}), entry({name: 'b'})))).toContain('at byte 2048 is a second PAX extended header');
    expect(refusal(archive(meta('L', Buffer.alloc(10)), entry({name: 'b'})))).toContain('the extended header at byte 1024 is a GNU long-name record that holds an empty name');
    expect(refusal(archive(meta('L', Buffer.from('one\0')), pax({path: 'two'}), entry({name: 'b'})))).toContain('the header at byte 3072 (entry "two") has both a PAX name and a GNU long name');
  });

  it('reads a long name, then a long link, for one entry', () => {
    const name = 'n'.repeat(150);
    const read = accepted(archive(meta('L', Buffer.from(`${name}\0`)), meta('K', Buffer.from('t'.repeat(120))), entry({name: 'short', type: '2'})));
    expect(read).toMatchObject({name, linkname: 't'.repeat(120), type: 'symlink', startOffset: 1024});
  });
});

describe('magic and name prefix', () => {
  it('refuses a "ustar" magic other than POSIX\'s and GNU\'s', () => {
    const message = refusal(archive(entry({name: 'b', magic: 'ustar 00', prefix: 'p'})));
    expect(message).toContain('the header at byte 1024 has the magic "ustar 00"');
  });

  it('refuses a prefix longer than star\'s when star\'s trailer is there', () => {
    expect(refusal(archive(entry({name: 'b', prefix: 'p'.repeat(140), trailer: 'tar\0'})))).toContain('the header at byte 1024 has star\'s trailer');
    expect(accepted(archive(entry({name: 'b', prefix: 'p', trailer: 'tar\0'}))).name).toBe('p/b');
  });

  it('reads the prefix for POSIX ustar only', () => {
    expect(accepted(archive(entry({name: 'b', prefix: 'p'}))).name).toBe('p/b');
    expect(accepted(archive(entry({name: 'b', magic: 'ustar  \0', prefix: 'p'}))).name).toBe('b');
    expect(accepted(archive(entry({name: 'b', magic: '', prefix: 'p'}))).name).toBe('b');
  });
});
