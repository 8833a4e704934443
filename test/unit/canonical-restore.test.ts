// The canonical stream a restore hands to GNU tar must make GNU tar write exactly what it writes from
// the user's own archive: same entries, modes (000, setuid, sticky), owners beyond 262143, names over
// 100 bytes and not UTF-8, link targets over 100 bytes, hardlinks, times of 1960 and 2300 with their
// fractions, extended attributes. Compared path by path against GNU tar's own extraction.
import {spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {pipeline} from 'node:stream/promises';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {scanArchive} from '../../source/jobs/volume-archive/format/archive-scan.js';
import {planEntries} from '../../source/jobs/volume-archive/format/entry-plan.js';
import {canonicalBody} from '../../source/jobs/volume-archive/format/restore-streams.js';
import {extractFlags, makeTree, run, treeFacts} from '../helpers/tree-facts.js';

const isRoot = process.getuid?.() === 0;
let work: string;

/** What GNU tar makes of `archive` by itself, and what it makes of hawser's canonical stream of it, as tree facts. */
async function bothExtractions(archive: string, name: string): Promise<{reference: string[]; canonical: string[]}> {
  const reference = path.join(work, `${name}-reference`);
  const canonical = path.join(work, `${name}-canonical`);
  mkdirSync(reference);
  mkdirSync(canonical);
  run('tar', ['--extract', `--file=${archive}`, `--directory=${reference}`, '--strip-components=1', ...extractFlags]);
  const scan = await scanArchive(archive);
  expect(scan.proposedStrip).toBe(1);
  const body = await canonicalBody(archive, scan, 1, planEntries(scan, 1));
  const tar = spawnSync('true');
  expect(tar.status).toBe(0);
  const chunks: Buffer[] = [];
  await pipeline(body, async source => {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      chunks.push(chunk);
    }
  });
  run('tar', ['--extract', '--file=-', `--directory=${canonical}`, ...extractFlags], Buffer.concat(chunks));
  return {reference: treeFacts(reference), canonical: treeFacts(canonical)};
}

describe.runIf(isRoot)('a restore\'s canonical stream, extracted by GNU tar', () => {
  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'hawser-canonical-'));
  });
  afterAll(() => {
    rmSync(work, {recursive: true, force: true});
  });

  for (const format of ['gnu', 'posix', 'ustar'] as const) {
    it(`writes what GNU tar writes from a --format=${format} archive, with a strip`, async () => {
      const source = path.join(work, `${format}-source`);
      makeTree(source, {isUstar: format === 'ustar'});
      const archive = path.join(work, `${format}.tar`);
      run('tar', ['--create', `--format=${format}`, '--xattrs', ...(format === 'posix' ? ['--acls'] : []), '--numeric-owner', `--file=${archive}`, `--directory=${source}`, 'top']);
      const {reference, canonical} = await bothExtractions(archive, format);
      expect(reference.length).toBeGreaterThanOrEqual(8);
      expect(canonical).toEqual(reference);
      if (format === 'posix') {
        // PAX holds it all: the tree comes back as it was, to the nanosecond, xattrs included.
        expect(canonical).toEqual(treeFacts(path.join(source, 'top')));
        expect(canonical.some(line => line.includes('user.note=7600ff'))).toBe(true);
        expect(canonical.some(line => line.includes('system.posix_acl_access=02000000'))).toBe(true);
        expect(canonical.find(line => line.startsWith('old '))).toMatch(/ -310157632750000000 /);
      }
    });
  }

  it('writes what GNU tar writes from Python\'s tarfile archives (PAX and GNU)', async () => {
    const source = path.join(work, 'python-source');
    makeTree(source);
    for (const format of ['PAX_FORMAT', 'GNU_FORMAT']) {
      const archive = path.join(work, `python-${format}.tar`);
      run('python3', ['-c', `import tarfile,sys; t=tarfile.open(sys.argv[1],'w',format=tarfile.${format}); t.add(sys.argv[2], arcname='top'); t.close()`, archive, path.join(source, 'top')]);
      const {reference, canonical} = await bothExtractions(archive, `python-${format}`);
      expect(canonical).toEqual(reference);
    }
  });
});

describe.runIf(isRoot)('sparse files, in every spelling, extracted from the canonical stream', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hawser-sparse-'));
    const top = path.join(dir, 'source', 'top');
    mkdirSync(top, {recursive: true});
    // 64 MiB with three bits of data: at the start, in the middle, and at the very end.
    const file = path.join(top, 'holes');
    run('truncate', ['-s', '64M', file]);
    run('sh', ['-c', `printf start | dd of=${file} conv=notrunc 2>/dev/null; printf middle | dd of=${file} bs=1 seek=33554432 conv=notrunc 2>/dev/null; printf end | dd of=${file} bs=1 seek=67108861 conv=notrunc 2>/dev/null`]);
    run('truncate', ['-s', '8M', path.join(top, 'only-a-hole')]);
    // 30 islands: more than the four an old GNU sparse header holds, so its extension blocks are read too.
    const many = path.join(top, 'many');
    run('truncate', ['-s', '40M', many]);
    run('sh', ['-c', `for i in $(seq 1 30); do printf "island $i" | dd of=${many} bs=1M seek=$i conv=notrunc 2>/dev/null; done`]);
  });
  afterAll(() => {
    rmSync(dir, {recursive: true, force: true});
  });

  const allocatedKiB = (file: string) => Number(run('du', ['-k', file]).split('\t')[0]);

  const spellings: Array<[string, string, string[]]> = [
    ['GNU old sparse (type S)', 'tar', ['--create', '--format=gnu', '--sparse']],
    ['PAX 0.0', 'tar', ['--create', '--format=posix', '--sparse', '--sparse-version=0.0']],
    ['PAX 0.1', 'tar', ['--create', '--format=posix', '--sparse', '--sparse-version=0.1']],
    ['PAX 1.0', 'tar', ['--create', '--format=posix', '--sparse', '--sparse-version=1.0']],
    ['bsdtar (PAX 1.0 by default)', 'bsdtar', ['--create', '--format=pax']],
  ];
  for (const [name, tool, args] of spellings) {
    it(`${name}: the same bytes, the holes kept`, async () => {
      const archive = path.join(dir, `${name.replaceAll(/\W/g, '-')}.tar`);
      run(tool, [...args, '-f', archive, '-C', path.join(dir, 'source'), 'top']);
      const scan = await scanArchive(archive);
      const holes = [...scan.entries].find(entry => entry.name.endsWith('holes'));
      expect(holes?.size).toBe(64 * 1024 * 1024);
      expect(holes?.sparse?.segments.length).toBeGreaterThan(0);
      const out = path.join(dir, `${name.replaceAll(/\W/g, '-')}-out`);
      mkdirSync(out);
      const chunks: Buffer[] = [];
      for await (const chunk of await canonicalBody(archive, scan, 1, planEntries(scan, 1)) as AsyncIterable<Buffer>) {
        chunks.push(chunk);
      }

      run('tar', ['--extract', '--file=-', `--directory=${out}`, ...extractFlags], Buffer.concat(chunks));
      expect(run('sha256sum', [path.join(out, 'holes')]).split(' ')[0]).toBe(run('sha256sum', [path.join(dir, 'source', 'top', 'holes')]).split(' ')[0]);
      expect(holes?.sha256).toBe(run('sha256sum', [path.join(dir, 'source', 'top', 'holes')]).split(' ')[0]);
      expect(allocatedKiB(path.join(out, 'holes'))).toBeLessThan(200);
      expect(run('stat', ['-c', '%s', path.join(out, 'only-a-hole')]).trim()).toBe(String(8 * 1024 * 1024));
      expect(allocatedKiB(path.join(out, 'only-a-hole'))).toBeLessThan(16);
      expect([...scan.entries].find(entry => entry.name.endsWith('many'))?.sparse?.segments.length).toBe(30);
      expect(run('sha256sum', [path.join(out, 'many')]).split(' ')[0]).toBe(run('sha256sum', [path.join(dir, 'source', 'top', 'many')]).split(' ')[0]);
      expect(allocatedKiB(path.join(out, 'many'))).toBeLessThan(30 * 8 + 64);
    });
  }
});
