// Issue #20 (bounded memory): a scan keeps its entries in a compact table, reads its manifest as its bytes
// arrive and compares it with the archive in one pass over both, a plan keeps per path only what its checks
// need, and a restore's listing is made only when asked. None of it may change what is found: each part is
// checked here against the way that held everything at once (outcomes, not memory figures).
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import {afterAll, describe, expect, it} from 'vitest';
import {scanArchive, type ScanResult} from '../../source/jobs/volume-archive/format/archive-scan.js';
import {planEntries} from '../../source/jobs/volume-archive/format/entry-plan.js';
import {ArchiveChecker, ArchiveRefusal, CommonPrefix, commonPrefixDepth, normalizeEntryName, type CheckedEntry} from '../../source/jobs/volume-archive/format/archive-rules.js';
import {compareListings, describeDifferences} from '../../source/jobs/volume-archive/format/compare.js';
import {toListed, EntryLister, type HashedEntry} from '../../source/jobs/volume-archive/format/entry-lister.js';
import {EntryTable} from '../../source/jobs/volume-archive/format/entry-table.js';
import {ManifestEntries, manifestDifferenceLines, mergedDifferenceLines, pathOrder} from '../../source/jobs/volume-archive/format/manifest-entries.js';
import {ManifestReader} from '../../source/jobs/volume-archive/format/manifest-reader.js';
import {manifestTail, parseManifest, type ListedEntry, type Manifest} from '../../source/jobs/volume-archive/format/manifest.js';
import type {TarEntryType} from '../../source/jobs/volume-archive/format/tar-entry.js';
import {TarParser} from '../../source/jobs/volume-archive/format/tar-parser.js';
import {verifyArchive} from '../../source/jobs/volume-archive/verify-job.js';
import {tarOf} from '../helpers/tar.js';

const dir = mkdtempSync(path.join(tmpdir(), 'hawser-archive-memory-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

const mtime = new Date(1_700_000_000_000);

async function sample(): Promise<Buffer> {
  return tarOf([
    {name: 'data/', type: 'directory'},
    {name: 'data/a.txt', body: 'hello\n', pax: {mtime: '1700000000.25'}},
    {name: 'data/b.bin', body: Buffer.alloc(3000, 7), pax: {'SCHILY.xattr.user.note': 'kept'}},
    {name: 'data/link', type: 'symlink', linkname: 'a.txt'},
    {name: 'data/hard', type: 'link', linkname: 'data/a.txt'},
    {name: 'data/sub/', type: 'directory'},
    {name: 'data/sub/c', body: 'c'},
  ], {mtime});
}

/** What the lister alone makes of the archive: the entries the scan used to keep as they were. */
function listed(tar: Buffer): HashedEntry[] {
  const lister = new EntryLister();
  const parser = new TarParser(lister.handlers);
  parser.write(tar);
  return lister.entries;
}

/** An entry with the parser's fields in the parser's order (the lister adds sha256 last). */
function entryOf(fields: Partial<HashedEntry> & {name: string}): HashedEntry {
  const {name, type = 'file', size = 0, mode = 0o644, uid = 0, gid = 0, mtime: seconds = 1_700_000_000, mtimeText, linkname = '', startOffset = 0, extended, sparse, sha256} = fields;
  return {
    name, type, size, mode, uid, gid, mtime: seconds,
    ...(mtimeText === undefined ? {} : {mtimeText}),
    linkname, startOffset,
    ...(extended ? {extended} : {}),
    ...(sparse ? {sparse} : {}),
    ...(sha256 === undefined ? {} : {sha256}),
  };
}

function tableOf(entries: readonly HashedEntry[]): EntryTable {
  const table = new EntryTable();
  for (const entry of entries) {
    table.push(entry);
  }

  return table;
}

/** A scan of `entries` made by hand (what planEntries reads of one). */
function scanOf(entries: readonly HashedEntry[]): ScanResult {
  return {isGzip: false, contentEnd: 0, contentSha256: '', entries: tableOf(entries), fileBytes: 0, tarBytes: 0, proposedStrip: 0};
}

describe('the scan\'s entry table', () => {
  it('gives back the same entries, with their keys in the same order, as the lister makes', async () => {
    const tar = await sample();
    const file = path.join(dir, 'sample.tar');
    writeFileSync(file, tar);
    const scan = await scanArchive(file);
    const expected = listed(tar);
    const entries = [...scan.entries];
    expect(entries).toStrictEqual(expected);
    expect(entries.map(entry => Object.keys(entry))).toEqual(expected.map(entry => Object.keys(entry)));
    expect(entries.find(entry => entry.name === 'data/a.txt')?.mtimeText).toBe('1700000000.25');
    expect(entries.find(entry => entry.name === 'data/b.bin')?.extended?.get('SCHILY.xattr.user.note')?.toString()).toBe('kept');
    expect(scan.entries.fileBytes).toBe(expected.reduce((sum, entry) => sum + entry.size, 0));
  });

  it('keeps any entry exactly, those whose numbers or times do not fit its columns too', () => {
    const sha = fc.stringMatching(/^[0-9a-f]{64}$/);
    const time = fc.oneof(
      fc.constant(undefined),
      fc.tuple(fc.integer({min: 0, max: 2 ** 34}), fc.stringMatching(/^\d{1,12}$/)).map(([seconds, fraction]) => `${seconds}.${fraction}`),
      fc.constantFrom('-5.25', '01700000000.5', '1700000000.999999999', '1e9.5', '1700000000.000000000'),
    );
    const entry = fc.record({
      name: fc.string({maxLength: 20}),
      type: fc.constantFrom<TarEntryType>('file', 'hardlink', 'symlink', 'directory', 'fifo'),
      size: fc.nat(),
      mode: fc.oneof(fc.nat(0o7777), fc.constant(-1), fc.constant(2 ** 33)),
      uid: fc.oneof(fc.nat(), fc.constant(0xff_ff_ff_ff), fc.constant(2 ** 40), fc.constant(Number.NaN)),
      gid: fc.nat(),
      mtimeText: time,
      linkname: fc.constantFrom('', 'target', '/abs'),
      startOffset: fc.nat(),
      sha256: fc.option(sha, {nil: undefined}),
      isExtended: fc.boolean(),
    }).map(({mtimeText, isExtended, ...fields}) => entryOf({
      ...fields,
      ...(mtimeText === undefined ? {} : {mtimeText, mtime: Number(mtimeText)}),
      ...(isExtended ? {extended: new Map([['SCHILY.xattr.user.a', Buffer.from('b')]])} : {}),
    }));
    fc.assert(fc.property(fc.array(entry, {maxLength: 40}), entries => {
      const table = tableOf(entries);
      expect(table.length).toBe(entries.length);
      expect([...table]).toStrictEqual(entries);
      entries.forEach((original, index) => {
        expect([table.name(index), table.type(index), table.size(index), table.linkname(index), table.sha256(index)]).toEqual([original.name, original.type, original.size, original.linkname, original.sha256]);
        expect(table.listed(index)).toStrictEqual(toListed(original));
      });
    }));
  });

  it('fills block after block of rows without mixing them up', () => {
    const entries = Array.from({length: 10_000}, (_, index) => entryOf({name: `./d${index % 7}/f${index}`, size: index, uid: index, mtime: 1_700_000_000 + index, sha256: index % 3 ? undefined : index.toString(16).padStart(64, '0')}));
    const table = tableOf(entries);
    expect([...table]).toStrictEqual(entries);
  });
});

/** The plan as it was made with every entry in memory: the reference for the one-pass plan. */
function referencePlan(entries: readonly HashedEntry[], strip: number) {
  if (strip > 0) {
    const unstripped = new ArchiveChecker(0);
    for (const entry of entries) {
      unstripped.check(entry);
    }
  }

  const checker = new ArchiveChecker(strip);
  const checked: (CheckedEntry | undefined)[] = entries.map(entry => checker.check(entry));
  const lastOf = new Map<string, number>();
  checked.forEach((entry, index) => {
    if (entry) {
      lastOf.set(entry.path, index);
    }
  });
  const lastIndexBefore = (target: string, before: number) => {
    for (let index = before - 1; index >= 0; index--) {
      if (checked[index]?.path === target) {
        return index;
      }
    }

    return -1;
  };

  const skipped = new Set<number>();
  const kept: CheckedEntry[] = [];
  checked.forEach((entry, index) => {
    const isSuperseded = entry !== undefined && entry.type !== 'directory' && lastOf.get(entry.path) !== index;
    if (!entry || isSuperseded) {
      skipped.add(index);
      return;
    }

    if (entry.type === 'hardlink' && entry.linkPath !== undefined && skipped.has(lastIndexBefore(entry.linkPath, index))) {
      throw new ArchiveRefusal(`the hardlink "${entry.name}" points to "${entry.linkname}", which the archive names again later: tar tools disagree on which of the two it means. Re-create the archive without the repeated name`);
    }

    kept.push(entry);
  });
  if (kept.length === 0) {
    throw new ArchiveRefusal(strip > 0 ? `stripping ${strip} leading components leaves nothing to restore` : 'the archive holds no entries');
  }

  const absoluteNames = entries.filter((entry, index) => !skipped.has(index) && entry.name.startsWith('/')).length;
  const listing = [...new Map(kept.map(e => [e.path, toListed(e, e.path, e.linkPath)])).values()];
  return {entries: kept, listing, skipped, absoluteNames};
}

const outcome = <T>(make: () => T): {value: T} | {refusal: string} => {
  try {
    return {value: make()};
  } catch (error) {
    if (error instanceof ArchiveRefusal) {
      return {refusal: error.message};
    }

    throw error;
  }
};

describe('the one-pass plan', () => {
  it('makes a plan\'s listing on first use, the same as before and once', async () => {
    const file = path.join(dir, 'plan.tar');
    writeFileSync(file, await sample());
    const scan = await scanArchive(file);
    const plan = planEntries(scan, 1);
    const eager = [...new Map(plan.entries.map(e => [e.path, toListed(e, e.path, e.linkPath)])).values()];
    expect(plan.listing).toStrictEqual(eager);
    expect(plan.listing).toBe(plan.listing);
    expect(plan.listingCount).toBe(plan.listing.length);
    expect(plan.listing.map(entry => entry.path)).toEqual(['a.txt', 'b.bin', 'link', 'hard', 'sub', 'sub/c']);
    expect(plan.notable().map(entry => entry.path)).toEqual(['b.bin']);
  });

  it('refuses, leaves out and lists exactly as the plan that held every entry, repeated names and hardlinks included', () => {
    const name = fc.tuple(fc.constantFrom('', './', '/'), fc.array(fc.constantFrom('a', 'b', 'c'), {minLength: 1, maxLength: 3}), fc.boolean())
      .map(([lead, parts, isSlash]) => `${lead}${parts.join('/')}${isSlash ? '/' : ''}`);
    const entry = fc.record({name, type: fc.constantFrom<TarEntryType>('file', 'file', 'directory', 'symlink', 'hardlink'), linkname: fc.constantFrom('a', 'b', 'a/b', 'c/a', '/etc', '../x')})
      .map(({name: entryName, type, linkname}) => entryOf({name: type === 'directory' || !entryName.endsWith('/') ? entryName : entryName.slice(0, -1) || 'x', type, linkname: type === 'symlink' || type === 'hardlink' ? linkname : ''}));
    fc.assert(fc.property(fc.array(entry, {maxLength: 14}), fc.integer({min: 0, max: 2}), (entries, strip) => {
      const expected = outcome(() => referencePlan(entries, strip));
      const actual = outcome(() => planEntries(scanOf(entries), strip));
      if ('refusal' in expected) {
        expect(actual).toEqual(expected);
        return;
      }

      expect('value' in actual).toBe(true);
      const plan = (actual as {value: ReturnType<typeof planEntries>}).value;
      expect([...plan.skipped].sort((a, b) => a - b)).toEqual([...expected.value.skipped].sort((a, b) => a - b));
      expect(plan.absoluteNames).toBe(expected.value.absoluteNames);
      expect(plan.entries).toStrictEqual(expected.value.entries);
      expect(plan.listing).toStrictEqual(expected.value.listing);
      expect(plan.listingCount).toBe(expected.value.listing.length);
    }), {numRuns: 2000});
  });

  it('refuses a hardlink to an entry named again later, and not one that is left out itself', () => {
    const file = (name: string) => entryOf({name});
    const hard = (name: string, linkname: string) => entryOf({name, type: 'hardlink', linkname});
    expect(() => planEntries(scanOf([file('a'), hard('h', 'a'), file('a')]), 0)).toThrow('the hardlink "h" points to "a", which the archive names again later');
    expect(() => planEntries(scanOf([file('a'), hard('a', 'a')]), 0)).toThrow('the hardlink "a" points to "a", which the archive names again later');
    expect(planEntries(scanOf([file('a'), hard('h', 'a'), file('h'), file('a')]), 0).listing.map(entry => entry.path)).toEqual(['h', 'a']);
    expect(() => planEntries(scanOf([file('a'), file('b'), hard('h1', 'b'), hard('h2', 'a'), file('a'), file('b')]), 0)).toThrow('the hardlink "h1" points to "b"');
  });
});

describe('the common prefix, path by path', () => {
  it('proposes the strip commonPrefixDepth proposes from all the paths', () => {
    const pathOf = fc.array(fc.constantFrom('a', 'b', 'c', ''), {minLength: 1, maxLength: 4}).map(parts => parts.join('/'));
    fc.assert(fc.property(fc.array(fc.oneof(pathOf, fc.constant('.')), {maxLength: 12}), paths => {
      const prefix = new CommonPrefix();
      for (const each of paths) {
        prefix.add(each);
      }

      expect(prefix.depth).toBe(commonPrefixDepth(paths));
    }), {numRuns: 3000});
  });
});

/** normalizeEntryName as it was: always split and joined. */
function normalizedTheLongWay(name: string): {path: string} | {reason: string} {
  if (name === '') {
    return {reason: 'an entry has an empty name'};
  }

  if (name.includes('\0')) {
    return {reason: 'an entry name holds a NUL byte'};
  }

  if (Buffer.byteLength(name.replaceAll(/[\udc80-\udcff]/g, 'x'), 'utf8') > 4096) {
    return {reason: 'an entry name is longer than 4096 bytes'};
  }

  const parts = name.split('/').filter(part => part !== '' && part !== '.');
  if (parts.includes('..')) {
    return {reason: `"${name}" climbs out of the volume with ".."`};
  }

  return {path: parts.length === 0 ? '.' : parts.join('/')};
}

describe('normalized names', () => {
  it('are what splitting and joining makes of them, for normal names and all others', () => {
    const part = fc.constantFrom('', '.', '..', 'a', 'b.c', '...', '.d', 'é', '\0', 'x'.repeat(700));
    fc.assert(fc.property(fc.array(part, {minLength: 1, maxLength: 8}), parts => {
      const name = parts.join('/');
      expect(normalizeEntryName(name)).toEqual(normalizedTheLongWay(name));
    }), {numRuns: 5000});
  });
});

describe('the manifest, read as it arrives', () => {
  const base = {format: 'hawser-volume-archive', version: 2, volume: {name: 'v', driver: 'local', labels: {a: 'b'}}, createdAt: '2025-01-01T00:00:00.000Z',
    engine: {version: 'x', apiVersion: '1.41', os: 'linux', name: 'n'}, entryCount: 1, totalBytes: 5, contentSha256: 'c'};
  const element = fc.record({path: fc.string({maxLength: 8}), type: fc.constantFrom('file', 'directory'), size: fc.nat(), sha256: fc.option(fc.string({maxLength: 4}), {nil: undefined})});

  /** What the reader makes of `text` given in pieces cut at `cuts`. */
  function read(text: string, cuts: readonly number[]): {header: unknown; entries: unknown[]} {
    let entries: unknown[] = [];
    const reader = new ManifestReader(value => entries.push(value), () => {
      entries = [];
    });
    const bytes = Buffer.from(text, 'utf8');
    let from = 0;
    for (const cut of [...cuts].map(at => at % (bytes.length + 1)).sort((a, b) => a - b)) {
      reader.write(bytes.subarray(from, Math.max(from, cut)));
      from = Math.max(from, cut);
    }

    reader.write(bytes.subarray(from));
    return {header: reader.end(), entries};
  }

  it('accepts what JSON.parse and parseManifest accept, and gives the same members and entries, however the bytes are cut', () => {
    const text = fc.tuple(fc.array(element, {maxLength: 5}), fc.integer({min: 0, max: 2}), fc.boolean(), fc.boolean()).map(([entries, indent, isSecondEntries, isEscapedKey]) => {
      const body = JSON.stringify({...base, entries}, undefined, indent);
      // Spellings JSON.parse reads alike: an escaped key, and a second `entries` (the last one counts).
      const escaped = isEscapedKey ? body.replace('"format"', '"form\\u0061t"') : body;
      return isSecondEntries ? escaped.replace(/^\{/, '{"entries": [1, {"x": [2]}],') : escaped;
    });
    fc.assert(fc.property(text, fc.array(fc.nat(), {maxLength: 6}), (manifestText, cuts) => {
      const expected = parseManifest(manifestText)!;
      const {entries, ...header} = expected;
      expect(read(manifestText, cuts)).toEqual({header, entries});
    }));
  });

  it('refuses what they refuse: damaged text, a missing or non-array entries, another format', () => {
    const valid = JSON.stringify({...base, entries: [{path: 'a', type: 'file', size: 1}]});
    const damaged = fc.tuple(fc.nat(valid.length - 1), fc.constantFrom('', 'x', ',', '}', ']', '"', '\\', ' ', '{', '[', '0')).map(([at, put]) => valid.slice(0, at) + put + valid.slice(at + 1));
    fc.assert(fc.property(damaged, fc.array(fc.nat(), {maxLength: 4}), (text, cuts) => {
      const expected = parseManifest(text);
      const actual = read(text, cuts);
      if (expected === undefined) {
        expect(actual.header).toBeUndefined();
      } else {
        const {entries, ...header} = expected;
        expect(actual).toEqual({header, entries});
      }
    }), {numRuns: 3000});
    for (const text of [JSON.stringify(base), JSON.stringify({...base, entries: {}}), JSON.stringify({...base, entries: [], format: 'other'}), `${valid}x`, `[${valid}]`, '\ufeff' + valid, `${valid.slice(0, -1)},"entries":null}`]) {
      expect(read(text, []).header).toBeUndefined();
    }
  });
});

/** Entries of a volume in hawser's order, and their archive entries (names './…', as hawser's backups write). */
function volume(paths: readonly string[]): HashedEntry[] {
  return paths.map((entryPath, index) => entryOf({
    name: entryPath === '.' ? './' : `./${entryPath}`,
    type: entryPath === '.' || entryPath.endsWith('d') ? 'directory' : 'file',
    size: entryPath.endsWith('d') || entryPath === '.' ? 0 : index + 1,
    mtime: 1_700_000_000 + index,
    mtimeText: `${1_700_000_000 + index}.5`,
    ...(entryPath.endsWith('d') || entryPath === '.' ? {} : {sha256: index.toString(16).padStart(64, '0')}),
  }));
}

/** The lines the whole compare gives for `elements` as the manifest of `entries`. */
function wholeCompare(elements: readonly unknown[], entries: readonly HashedEntry[]): string[] {
  return describeDifferences(compareListings(elements as ListedEntry[], entries.map(entry => toListed(entry))));
}

function manifestOf(entries: readonly HashedEntry[], elements: readonly unknown[]): {table: EntryTable; manifest: ManifestEntries} {
  const table = tableOf(entries);
  const manifest = new ManifestEntries(table);
  for (const value of elements) {
    manifest.add(value);
  }

  return {table, manifest};
}

describe('the archive compared with its manifest in one pass', () => {
  const paths = ['.', 'a-b', 'ad', 'ad/B', 'ad/a', 'a.b', 'b', 'bd', 'bd/x', 'c'];

  it('orders paths as hawser writes them: the root, then each folder before what it holds', () => {
    const sorted = [...paths].sort(pathOrder);
    expect(sorted).toEqual(['.', 'a-b', 'a.b', 'ad', 'ad/B', 'ad/a', 'b', 'bd', 'bd/x', 'c']);
    expect(pathOrder('a', 'a/b')).toBeLessThan(0);
    expect(pathOrder('a/b', 'a.b')).toBeLessThan(0);
    expect(pathOrder('.', '-x')).toBeLessThan(0);
  });

  it('finds nothing when the manifest is the archive\'s listing, and keeps nothing of it but its count', () => {
    const entries = volume([...paths].sort(pathOrder));
    const {table, manifest} = manifestOf(entries, entries.map(entry => JSON.parse(JSON.stringify(toListed(entry))) as unknown));
    expect(mergedDifferenceLines(manifest, table)).toEqual([]);
    expect(manifest.isPlain).toBe(true);
    expect(entries.every((_, index) => manifest.isArchiveRow(index))).toBe(true);
    expect(manifest.toArray()).toStrictEqual(entries.map(entry => toListed(entry)));
  });

  it('names each difference as the whole compare does, in its order, ten of them and how many more', () => {
    const entries = volume([...paths].sort(pathOrder));
    const elements: unknown[] = entries.map(entry => toListed(entry));
    const change = (index: number, fields: Record<string, unknown>) => {
      elements[index] = {...elements[index] as object, ...fields};
    };

    change(1, {size: 999});
    change(2, {sha256: 'f'.repeat(64)});
    change(4, {mode: 0o600, uid: 7});
    change(5, {mtime: 1, mtimeText: '1.5'});
    change(6, {type: 'symlink', link: 'x'});
    change(9, {path: 'bz'});
    change(3, {gid: 5});
    change(8, {mode: 0o700});
    elements.splice(7, 1);
    elements.push({path: 'z', type: 'file', size: 1, mode: 0o644, uid: 0, gid: 0, mtime: 1});
    const {table, manifest} = manifestOf(entries, elements);
    const lines = mergedDifferenceLines(manifest, table);
    expect(lines).toEqual(wholeCompare(elements, entries));
    expect(lines!.length).toBe(11);
    expect(lines!.at(-1)).toMatch(/^… and \d+ more$/);
    expect(lines).toContain('ad/B: expected mode 0600, found 0644');
  });

  it('gives the same lines as the whole compare for any changes to a manifest in order', () => {
    const names = fc.uniqueArray(fc.stringMatching(/^[aAbB.-]{1,3}(\/[ab]{1,2})?$/), {maxLength: 12});
    const edit = fc.record({index: fc.nat(), kind: fc.constantFrom('size', 'mode', 'owner', 'mtime', 'time-text', 'no-time-text', 'content', 'drop', 'type', 'odd')});
    fc.assert(fc.property(names, fc.array(edit, {maxLength: 4}), (unsorted, edits) => {
      const sorted = [...new Set(unsorted.map(name => name.replace(/\/$/, '')))].sort(pathOrder);
      const entries = volume(sorted);
      let elements: unknown[] = entries.map(entry => toListed(entry));
      for (const {index, kind} of edits) {
        if (elements.length === 0) {
          break;
        }

        const at = index % elements.length;
        const old = elements[at] as ListedEntry;
        const changed: Record<string, unknown> = {
          size: {...old, size: old.size + 1},
          mode: {...old, mode: 0o600},
          owner: {...old, gid: 9},
          mtime: {...old, mtime: 5},
          'time-text': {...old, mtimeText: `${Math.floor(old.mtime)}.25`},
          'no-time-text': (({mtimeText: _, ...rest}) => rest)(old),
          content: {...old, sha256: 'e'.repeat(64)},
          type: {...old, type: 'fifo'},
          odd: {...old, extra: true},
        };
        elements = kind === 'drop' ? elements.filter((_, k) => k !== at) : elements.map((value, k) => (k === at ? changed[kind] : value));
      }

      const {table, manifest} = manifestOf(entries, elements);
      expect(manifestDifferenceLines(manifest, table)).toEqual(wholeCompare(elements, entries));
      expect(manifest.toArray()).toEqual(elements);
    }), {numRuns: 1000});
  });

  it('compares the whole way when a path repeats or the order is not hawser\'s', () => {
    const entries = volume(['.', 'b', 'a', 'a']);
    const elements: unknown[] = entries.map(entry => ({...toListed(entry), uid: 3}));
    const {table, manifest} = manifestOf(entries, elements);
    expect(mergedDifferenceLines(manifest, table)).toBeUndefined();
    expect(manifestDifferenceLines(manifest, table)).toEqual(wholeCompare(elements, entries));
    expect(manifestDifferenceLines(manifest, table)).toHaveLength(3);
  });

  it('verify reports a manifest that differs from the archive, line for line as before', async () => {
    const tar = await tarOf([
      {name: './', type: 'directory', mode: 0o755},
      {name: './a', body: 'hello'},
      {name: './d/', type: 'directory'},
      {name: './d/b', body: 'world', pax: {mtime: '1700000000.5'}},
    ], {mtime});
    const content = tar.subarray(0, tar.length - 1024);
    const entries = listed(tar).map(entry => toListed(entry));
    const manifestWith = (listing: readonly ListedEntry[], contentSha256: string): Manifest => ({
      format: 'hawser-volume-archive', version: 2, volume: {name: 'v', driver: 'local', labels: {}}, createdAt: '2025-01-01T00:00:00.000Z',
      engine: {version: 'x', apiVersion: '1.41', os: 'linux', name: 'n'}, entryCount: listing.length, totalBytes: 10, contentSha256, entries: listing,
    });
    const probe = path.join(dir, 'probe.tar');
    writeFileSync(probe, Buffer.concat([content, manifestTail(manifestWith(entries, 'x'))]));
    const treeSha = (await scanArchive(probe)).contentSha256;

    const intact = path.join(dir, 'intact.tar');
    writeFileSync(intact, Buffer.concat([content, manifestTail(manifestWith(entries, treeSha))]));
    expect((await verifyArchive(intact)).problems).toEqual([]);
    const scan = await scanArchive(intact);
    expect(scan.manifest?.entries.isPlain).toBe(true);
    expect(scan.manifest?.entries.toArray()).toEqual(entries);

    const changed = [entries[0]!, {...entries[1]!, size: 6}, entries[2]!, {...entries[3]!, mode: 0o600}, {...entries[1]!, path: 'e'}];
    const altered = path.join(dir, 'altered.tar');
    writeFileSync(altered, Buffer.concat([content, manifestTail(manifestWith(changed, treeSha))]));
    const problems = (await verifyArchive(altered)).problems;
    expect(problems).toEqual(['the manifest counts 5 entries, the archive holds 4', ...describeDifferences(compareListings(changed, entries))]);
    expect(problems.slice(1)).toEqual(['a: expected 6 bytes, found 5', 'd/b: expected mode 0600, found 0644', 'e: file is missing']);
  });
});
