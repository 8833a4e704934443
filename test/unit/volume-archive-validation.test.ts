import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {gzipSync} from 'node:zlib';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {ArchiveChecker, ArchiveRefusal, commonPrefixDepth, normalizeEntryName, resolveLinkTarget, stripComponents} from '../../source/jobs/volume-archive/format/archive-rules.js';
import {proveScan, scanArchive} from '../../source/jobs/volume-archive/format/archive-scan.js';
import {planEntries} from '../../source/jobs/volume-archive/format/entry-plan.js';
import {compareListings} from '../../source/jobs/volume-archive/format/compare.js';
import {manifestName, manifestTail, type Manifest} from '../../source/jobs/volume-archive/format/manifest.js';
import {TarFormatError, type TarEntry} from '../../source/jobs/volume-archive/format/tar-entry.js';
import {TarParser} from '../../source/jobs/volume-archive/format/tar-parser.js';
import {InputError} from '../../source/jobs/job.js';
import {planRestore} from '../../source/jobs/volume-archive/restore-plan.js';
import {verifyArchive} from '../../source/jobs/volume-archive/verify-job.js';
import {FakeEngine} from '../helpers/fake-engine.js';
import {tarOf} from '../helpers/tar.js';

/** A fixed time for every entry, so that the archives do not depend on when the test runs. */
const fixedTime = {mtime: new Date(1_600_000_000_000)};

function parseAll(bytes: Buffer, chunkSize = 777): TarEntry[] {
  const entries: TarEntry[] = [];
  const parser = new TarParser({onEntryEnd: e => entries.push(e)});
  for (let i = 0; i < bytes.length; i += chunkSize) {
    parser.write(bytes.subarray(i, i + chunkSize));
  }

  parser.end();
  return entries;
}

function check(entries: readonly Partial<TarEntry>[], strip = 0) {
  const checker = new ArchiveChecker(strip);
  return entries.map(e => checker.check({name: 'x', type: 'file', size: 0, mode: 0o644, uid: 0, gid: 0, mtime: 0, linkname: '', startOffset: 0, ...e}));
}

const dir = mkdtempSync(path.join(tmpdir(), 'hawser-unit-'));
let fileCount = 0;
function tempFile(bytes: Buffer): string {
  const file = path.join(dir, `a${fileCount++}.tar`);
  writeFileSync(file, bytes);
  return file;
}

describe('TarParser', () => {
  it('reads names, types, sizes, owners, modes and long names (PAX) in any chunking', async () => {
    const long = `${'d'.repeat(120)}/${'f'.repeat(150)}`;
    const bytes = await tarOf([
      {name: './', type: 'directory', mode: 0o755},
      {name: './a', body: 'hello', uid: 12, gid: 34, mode: 0o4750},
      {name: './l', type: 'symlink', linkname: 'a'},
      {name: './h', type: 'link', linkname: './a'},
      {name: long, body: 'x'.repeat(1000)},
    ], fixedTime);
    for (const size of [1, 511, 512, 513, 4096, bytes.length]) {
      const entries = parseAll(bytes, size);
      expect(entries.map(e => [e.name, e.type, e.size])).toEqual([['./', 'directory', 0], ['./a', 'file', 5], ['./l', 'symlink', 0], ['./h', 'hardlink', 0], [long, 'file', 1000]]);
      expect(entries[1]).toMatchObject({uid: 12, gid: 34, mode: 0o4750, mtime: 1_600_000_000});
      expect(entries[3]!.linkname).toBe('./a');
    }
  });

  it('refuses every truncation of an archive, whatever the cut', async () => {
    const bytes = await tarOf([{name: 'a', body: 'x'.repeat(700)}, {name: 'b', body: 'y'}, {name: 'c/', type: 'directory'}], fixedTime);
    // tar-stream writes exactly two zero blocks: any shorter prefix is incomplete.
    fc.assert(fc.property(fc.integer({min: 0, max: bytes.length - 1}), fc.integer({min: 1, max: 2000}), (cut, chunk) => {
      expect(() => parseAll(bytes.subarray(0, cut), chunk)).toThrow(TarFormatError);
    }));
    expect(parseAll(bytes)).toHaveLength(3);
  });

  it('passes over file data it is told to skip, and finds the same entries and the same end', async () => {
    const bytes = await tarOf([{name: './a', body: 'x'.repeat(70_000)}, {name: `./${'p'.repeat(150)}`, body: 'y'.repeat(1000)}, {name: './d/', type: 'directory'}, {name: './e', body: ''}], fixedTime);
    const full = parseAll(bytes);
    for (const chunk of [512, 777, 65_536]) {
      const entries: TarEntry[] = [];
      let data = 0;
      const parser = new TarParser({onEntryEnd: e => entries.push(e), onData: piece => (data += piece.length)});
      while (parser.offset < bytes.length) {
        parser.skipData(parser.skippableData);
        parser.write(bytes.subarray(parser.offset, parser.offset + chunk));
      }

      parser.end();
      expect(entries).toEqual(full);
      expect(parser.endOfArchiveOffset).toBe(bytes.length - 1024);
      // Whatever data was handed over came in the chunk that held the header; the rest was never read.
      expect(data).toBeLessThan(2 * chunk);
    }

    const parser = new TarParser();
    parser.write(bytes.subarray(0, 512));
    expect(parser.skippableData).toBe(70_000);
    expect(() => parser.skipData(70_001)).toThrow(RangeError);
  });

  it('refuses what is not a tar, and damaged headers', async () => {
    expect(() => parseAll(Buffer.from('just some text, not an archive at all'.repeat(40)))).toThrow(/not a tar archive/);
    expect(() => parseAll(Buffer.alloc(0))).toThrow(/empty/);
    // Shorter than one header: a note, not an archive cut short.
    expect(() => parseAll(Buffer.from('hello, not a tar\n'))).toThrow('this is not a tar archive (17 bytes, shorter than one tar header)');
    const bytes = await tarOf([{name: 'a', body: 'x'}, {name: 'b', body: 'y'}], fixedTime);
    const damaged = Buffer.from(bytes);
    damaged[1024 + 3] = damaged.readUInt8(1024 + 3) ^ 0xff;
    expect(() => parseAll(damaged)).toThrow(/checksum/);
    fc.assert(fc.property(fc.uint8Array({minLength: 512, maxLength: 4096}), random => {
      expect(() => parseAll(Buffer.from(random))).toThrow(TarFormatError);
    }));
  });
});

describe('archive rules', () => {
  it('refuses ../x, writes through symlinks, escaping links and hardlinks outside; takes absolute names inside, as tar does', () => {
    expect(() => check([{name: '../x'}])).toThrow(/climbs/);
    expect(() => check([{name: 'a/../../x'}])).toThrow(/climbs/);
    expect(check([{name: '/etc/passwd'}]).map(e => e?.path)).toEqual(['etc/passwd']);
    expect(() => check([{name: 'link', type: 'symlink', linkname: '/etc'}, {name: 'link/x'}])).toThrow(/through the symlink "link"/);
    expect(() => check([{name: 'd', type: 'directory'}, {name: 'd/s', type: 'symlink', linkname: '..'}, {name: 'd/s/x'}])).toThrow(/through the symlink/);
    expect(() => check([{name: 'up', type: 'symlink', linkname: '../../etc'}])).toThrow(/points outside/);
    // An absolute hardlink target means the archive's own etc/shadow, as for tar: none came earlier here.
    expect(() => check([{name: 'h', type: 'hardlink', linkname: '/etc/shadow'}])).toThrow(/not a file earlier/);
    expect(() => check([{name: 'h', type: 'hardlink', linkname: '../x'}])).toThrow(/points outside/);
    expect(() => check([{name: 'h', type: 'hardlink', linkname: 'never-seen'}])).toThrow(/not a file earlier/);
    expect(() => check([{name: 'f'}, {name: 'f/x'}])).toThrow(/not a directory/);
    // The folder "a" that a/b implies: GNU tar cannot put a file in its place, the engine would delete a/b for it.
    expect(() => check([{name: 'a/b'}, {name: 'a'}])).toThrow(/would replace a directory/);
    expect(() => check([{name: 'dev', type: 'char-device'}])).toThrow(/device/);
    expect(() => check([{name: 'big', size: 2 ** 50}])).toThrow(/sane/);
  });

  it('accepts ordinary volumes, absolute symlinks kept as they are', () => {
    const checked = check([
      {name: './', type: 'directory'}, {name: './a'}, {name: './abs', type: 'symlink', linkname: '/var/lib/x'},
      {name: './rel', type: 'symlink', linkname: 'sub/../a'}, {name: './h', type: 'hardlink', linkname: './a'}, {name: './sub/', type: 'directory'},
    ]);
    expect(checked.map(e => e?.path)).toEqual(['.', 'a', 'abs', 'rel', 'h', 'sub']);
    expect(checked[4]?.linkPath).toBe('a');
  });

  it('strips like tar --strip-components, hardlink targets included', () => {
    const checked = check([{name: 'vol/', type: 'directory'}, {name: 'vol/a'}, {name: 'vol/h', type: 'hardlink', linkname: 'vol/a'}], 1);
    expect(checked.map(e => e?.path)).toEqual([undefined, 'a', 'h']);
    expect(checked[2]?.linkPath).toBe('a');
    expect(stripComponents('a/b/c', 2)).toBe('c');
    expect(stripComponents('a/b', 2)).toBeUndefined();
  });

  it('never lets a normalized name climb or start at / (an absolute name lands inside, as with tar)', () => {
    const segment = fc.constantFrom('..', '.', 'a', 'b', '', 'c.d', '...');
    fc.assert(fc.property(fc.array(segment, {minLength: 1, maxLength: 8}), fc.boolean(), (parts, isAbsolute) => {
      const name = (isAbsolute ? '/' : '') + parts.join('/');
      const result = normalizeEntryName(name);
      if ('path' in result) {
        expect(result.path.startsWith('/')).toBe(false);
        expect(result.path.split('/')).not.toContain('..');
      }
    }));
  });

  it('never accepts an entry below an accepted symlink, in any order of entries', () => {
    const name = fc.array(fc.constantFrom('a', 'b', 'c'), {minLength: 1, maxLength: 3}).map(parts => parts.join('/'));
    const entry = fc.record({name, type: fc.constantFrom('file', 'directory', 'symlink', 'hardlink'), linkname: fc.constantFrom('a', '/etc', '../x', 'b/c', 'a/b')});
    fc.assert(fc.property(fc.array(entry, {maxLength: 12}), entries => {
      const checker = new ArchiveChecker();
      const symlinks = new Set<string>();
      for (const e of entries) {
        try {
          const checked = checker.check({size: 0, mode: 0o644, uid: 0, gid: 0, mtime: 0, startOffset: 0, ...e} as TarEntry);
          if (!checked) {
            continue;
          }

          const parts = checked.path.split('/');
          for (let i = 1; i < parts.length; i++) {
            expect(symlinks.has(parts.slice(0, i).join('/'))).toBe(false);
          }

          if (checked.type === 'symlink') {
            expect(checked.linkname.startsWith('/') || resolveLinkTarget(checked.path, checked.linkname) !== undefined).toBe(true);
            symlinks.add(checked.path);
          } else {
            symlinks.delete(checked.path);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(ArchiveRefusal);
        }
      }
    }));
  });

  it('proposes the strip of the classic recipe, and none for a rooted archive', () => {
    expect(commonPrefixDepth(['path', 'path/to', 'path/to/data', 'path/to/data/a', 'path/to/data/b/c'])).toBe(3);
    expect(commonPrefixDepth(['vol/a', 'vol/b'])).toBe(1);
    expect(commonPrefixDepth(['a', 'b'])).toBe(0);
    expect(commonPrefixDepth(['only-file'])).toBe(0);
    expect(commonPrefixDepth(['d/e/f'])).toBe(2);
  });
});

describe('scanArchive', () => {
  const manifestFor = (entries: Manifest['entries'], contentSha256: string): Manifest => ({
    format: 'hawser-volume-archive', version: 1, volume: {name: 'v1', driver: 'local', labels: {a: 'b'}}, createdAt: '2025-01-01T00:00:00.000Z',
    engine: {version: 'x', apiVersion: '1.41', os: 'linux', name: 'n'}, entryCount: entries.length, totalBytes: 5, contentSha256, entries,
  });

  it('finds the manifest as the last entry, its content checksum, in tar and tar.gz', async () => {
    const bytes = await tarOf([{name: './', type: 'directory', mode: 0o755}, {name: './a', body: 'hello'}], fixedTime);
    const content = bytes.subarray(0, bytes.length - 1024);
    const {createHash} = await import('node:crypto');
    const sha = createHash('sha256').update(content).digest('hex');
    const archive = Buffer.concat([content, manifestTail(manifestFor([], sha))]);
    for (const file of [tempFile(archive), tempFile(gzipSync(archive))]) {
      const scan = await scanArchive(file);
      expect(scan.manifest?.volume.name).toBe('v1');
      expect(scan.contentSha256).toBe(sha);
      expect(scan.contentEnd).toBe(content.length);
      expect([...scan.entries].map(e => e.name)).toEqual(['./', './a']);
      expect(scan.proposedStrip).toBe(0);
    }
  });

  it('a manifest with entries after it (tar -r on a hawser archive) is damage: verify fails it, restore refuses it', async () => {
    const bytes = await tarOf([{name: './', type: 'directory', mode: 0o755}, {name: './a', body: 'hello'}], fixedTime);
    const content = bytes.subarray(0, bytes.length - 1024);
    const {createHash} = await import('node:crypto');
    const withManifest = Buffer.concat([content, manifestTail(manifestFor([], createHash('sha256').update(content).digest('hex')))]);
    const appended = await tarOf([{name: './extra', body: 'added later'}], fixedTime);
    // The manifest's own end-of-archive blocks dropped, as tar -r does, and an entry written after it.
    const file = tempFile(Buffer.concat([withManifest.subarray(0, withManifest.length - 1024), appended]));
    const scan = await scanArchive(file);
    expect(scan.isManifestMisplaced).toBe(true);
    expect(scan.manifest).toBeUndefined();
    expect((await verifyArchive(file)).problems.join('\n')).toMatch(/a hawser manifest is in it but not at its end/);
    // Refused before the engine is asked anything (a fake engine that knows nothing would fail any request).
    const refused = await planRestore(new FakeEngine(), {file, volume: 'target'}).then(() => undefined, (error: unknown) => error);
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as InputError).message).toMatch(/a hawser manifest is in it but not at its end, .*Nothing was written/);
    expect((await scanArchive(tempFile(withManifest))).isManifestMisplaced).toBeUndefined();
  });

  it('reads only the structure of a version 2 archive when asked, and proves its checksum later from the same file', async () => {
    const bytes = await tarOf([{name: './', type: 'directory', mode: 0o755}, {name: './big', body: 'b'.repeat(300_000)}, {name: `./${'n'.repeat(120)}/x`, body: 'hello'}], fixedTime);
    const content = bytes.subarray(0, bytes.length - 1024);
    const v2 = (sha: string): Manifest => ({...manifestFor([], sha), version: 2});
    const treeSha = (await scanArchive(tempFile(Buffer.concat([content, manifestTail(v2('unknown'))])))).contentSha256;
    const file = tempFile(Buffer.concat([content, manifestTail(v2(treeSha))]));
    const full = await scanArchive(file);
    const structure = await scanArchive(file, {isStructureOnly: true});
    expect(structure.isChecksumPending).toBe(true);
    expect(structure.contentSha256).toBe('');
    expect([...structure.entries].map(({sha256: _, ...entry}) => entry)).toEqual([...full.entries].map(({sha256: _, ...entry}) => entry));
    expect([...structure.entries].some(entry => entry.sha256 !== undefined)).toBe(false);
    const manifestOf = (scan: typeof full) => scan.manifest && {...scan.manifest, entries: scan.manifest.entries.toArray()};
    expect([structure.contentEnd, manifestOf(structure), structure.identity]).toEqual([full.contentEnd, manifestOf(full), full.identity]);
    const proven = await proveScan(file, structure);
    expect(proven.isChecksumPending).toBeUndefined();
    expect(proven.contentSha256).toBe(treeSha);
    expect([...proven.entries]).toEqual([...full.entries]);

    // One byte changed inside a file: the structure is the same, the proof's checksum is not the manifest's.
    const flipped = Buffer.concat([content, manifestTail(v2(treeSha))]);
    flipped[flipped.indexOf('hello')] = 'j'.charCodeAt(0);
    const flippedFile = tempFile(flipped);
    const flippedStructure = await scanArchive(flippedFile, {isStructureOnly: true});
    expect(flippedStructure.entries).toHaveLength(3);
    expect((await proveScan(flippedFile, flippedStructure)).contentSha256).not.toBe(treeSha);
    // Written to after the structure scan: the proof refuses it.
    writeFileSync(flippedFile, flipped);
    await expect(proveScan(flippedFile, flippedStructure)).rejects.toThrow(/changed after it was checked/);

    // A manifest at the end that the headers do not lead to (the archive ends before it): read whole, and no manifest.
    const hidden = await scanArchive(tempFile(Buffer.concat([bytes, manifestTail(v2(treeSha))])), {isStructureOnly: true});
    expect(hidden.isChecksumPending).toBeUndefined();
    expect(hidden.manifest).toBeUndefined();
    expect(hidden.entries).toHaveLength(3);

    // Version 1 manifests and archives without one are read whole, structure-only or not.
    expect((await scanArchive(tempFile(Buffer.concat([content, manifestTail(manifestFor([], 'x'))])), {isStructureOnly: true})).isChecksumPending).toBeUndefined();
    expect((await scanArchive(tempFile(bytes), {isStructureOnly: true})).isChecksumPending).toBeUndefined();
  });

  it('treats a manifest-named entry followed by more entries as an ordinary file', async () => {
    const bytes = await tarOf([{name: manifestName, body: '{}'}, {name: 'b', body: 'x'}], fixedTime);
    const scan = await scanArchive(tempFile(bytes));
    expect(scan.manifest).toBeUndefined();
    expect(scan.entries).toHaveLength(2);
  });

  it('refuses a GNU PAX sparse file: tar would write bytes other than the ones read', async () => {
    const bytes = await tarOf([{name: './sparse', body: 'xyz', pax: {'GNU.sparse.major': '1', 'GNU.sparse.minor': '0', 'GNU.sparse.realsize': '1000000'}}], fixedTime);
    await expect(scanArchive(tempFile(bytes))).rejects.toThrow(/sparse file/);
  });

  it('refuses a truncated gzip and a plain-text file', async () => {
    const bytes = gzipSync(await tarOf([{name: 'a', body: 'x'.repeat(100_000)}], fixedTime));
    await expect(scanArchive(tempFile(bytes.subarray(0, bytes.length - 50)))).rejects.toThrow(TarFormatError);
    await expect(scanArchive(tempFile(Buffer.from('hello\n')))).rejects.toThrow(TarFormatError);
  });

  it('plans a classic-recipe archive with its proposed strip', async () => {
    const bytes = await tarOf([{name: 'path/to/data/', type: 'directory'}, {name: 'path/to/data/a', body: 'x'}, {name: 'path/to/data/s/', type: 'directory'}, {name: 'path/to/data/s/b', body: 'y'}], fixedTime);
    const scan = await scanArchive(tempFile(bytes));
    expect(scan.proposedStrip).toBe(3);
    expect(planEntries(scan, 3).listing.map(e => e.path)).toEqual(['a', 's', 's/b']);
    expect(() => planEntries(scan, 9)).toThrow(/nothing to restore/);
  });

  it('never lets a strip turn an entry through a symlink into an acceptable one', async () => {
    const bytes = await tarOf([{name: 'link', type: 'symlink', linkname: '/etc'}, {name: 'link/x', body: 'evil'}], fixedTime);
    const scan = await scanArchive(tempFile(bytes));
    expect(() => planEntries(scan, 1)).toThrow(/through the symlink "link"/);
    expect(() => planEntries(scan, scan.proposedStrip)).toThrow(ArchiveRefusal);
  });
});

describe('compareListings', () => {
  const file = {path: 'a', type: 'file' as const, size: 1, mode: 0o644, uid: 0, gid: 0, mtime: 10, sha256: 'aa'};
  it('names each kind of difference', () => {
    const differences = compareListings(
      [file, {...file, path: 'b'}, {...file, path: 'c'}, {path: 's', type: 'symlink', size: 0, mode: 0o777, uid: 0, gid: 0, mtime: 1, link: 'a'}],
      [{...file, sha256: 'bb', mode: 0o600}, {...file, path: 'c', uid: 5, mtime: 99}, {...file, path: 'x'}, {path: 's', type: 'symlink', size: 0, mode: 0o777, uid: 0, gid: 0, mtime: 1, link: 'b'}],
    );
    expect(differences.map(d => `${d.path}:${d.kind}`)).toEqual(['a:content', 'a:mode', 'b:missing', 'c:owner', 'c:mtime', 's:link', 'x:extra']);
    expect(compareListings([file], [file])).toEqual([]);
  });
});
