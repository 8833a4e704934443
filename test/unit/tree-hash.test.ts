// The tree checksum of manifest version 2: the same whatever the chunking, equal to a direct reading
// of its definition, changed by any change of a file's bytes or of a header, and what scan, verify and
// restore check a version 2 archive against.
import {createHash} from 'node:crypto';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {gzipSync} from 'node:zlib';
import {describe, expect, it} from 'vitest';
import {scanArchive} from '../../source/jobs/volume-archive/format/archive-scan.js';
import {hashingParser, manifestOf} from '../../source/jobs/volume-archive/format/backup-stream.js';
import {manifestTail, type Manifest} from '../../source/jobs/volume-archive/format/manifest.js';
import {TarParser} from '../../source/jobs/volume-archive/format/tar-parser.js';
import {verifyArchive} from '../../source/jobs/volume-archive/verify-job.js';
import {tarOf, type TarEntrySpec} from '../helpers/tar.js';

/** A fixed time for every entry, so that the archives do not depend on when the test runs. */
const fixedTime = {mtime: new Date(1_700_000_000_000)};

const entries: TarEntrySpec[] = [
  {name: './', type: 'directory', mode: 0o755},
  {name: './empty', body: ''},
  {name: './small', body: 'hello'},
  {name: './big', body: Buffer.alloc(70_000, 7)},
  // Longer than ustar's 100 characters: a PAX record carries the name.
  {name: `./${'deep/'.repeat(30)}file`, body: 'x'.repeat(1000)},
  {name: './link', type: 'symlink', linkname: 'small'},
  {name: './owned', body: 'o', uid: 999, gid: 999, mode: 0o600},
];

/** The definition, read directly: every byte before `end`, each regular file's data left out and its sha256 after its padding. */
function reference(bytes: Buffer, end: number): string {
  const files: {start: number; size: number}[] = [];
  const parser = new TarParser({onEntry: entry => {
    if (entry.type === 'file') {
      files.push({start: parser.offset, size: entry.size});
    }
  }});
  parser.write(bytes);
  const hash = createHash('sha256');
  let at = 0;
  for (const {start, size} of files.filter(f => f.start < end)) {
    const padded = start + Math.ceil(size / 512) * 512;
    hash.update(bytes.subarray(at, start));
    hash.update(bytes.subarray(start + size, padded));
    hash.update(createHash('sha256').update(bytes.subarray(start, start + size)).digest());
    at = padded;
  }

  hash.update(bytes.subarray(at, end));
  return hash.digest('hex');
}

function treeOf(bytes: Buffer, chunkSize: number): {sha: string; end: number} {
  const {lister, parser, tree} = hashingParser();
  for (let at = 0; at < bytes.length; at += chunkSize) {
    // A reused buffer, as the readers use: what the checksum keeps must be copies.
    const chunk = Buffer.from(bytes.subarray(at, at + chunkSize));
    tree.write(chunk);
    chunk.fill(0xee);
  }

  parser.end();
  const manifest = manifestOf({format: 'hawser-volume-archive', version: 2, volume: {name: 'v', driver: 'local', labels: {}}, createdAt: '2026-01-01T00:00:00.000Z', engine: {version: '', apiVersion: '', os: '', name: ''}}, lister, parser, tree);
  return {sha: manifest.contentSha256, end: parser.endOfArchiveOffset!};
}

describe('the tree checksum (manifest version 2)', () => {
  it('is the same for every chunking, and matches its definition', async () => {
    const bytes = await tarOf(entries, fixedTime);
    const results = [1, 7, 511, 512, 513, 4096, 65_536, bytes.length].map(size => treeOf(bytes, size));
    expect(new Set(results.map(r => r.sha)).size).toBe(1);
    expect(results[0]!.sha).toBe(reference(bytes, results[0]!.end));
  });

  it('changes with any byte of a file, and with a header field (owner, mode, name, link)', async () => {
    const base = treeOf(await tarOf(entries, fixedTime), 4096).sha;
    const variants: TarEntrySpec[][] = [
      entries.map(e => e.name === './big' ? {...e, body: Buffer.concat([Buffer.alloc(69_999, 7), Buffer.from([8])])} : e),
      entries.map(e => e.name === './owned' ? {...e, uid: 0} : e),
      entries.map(e => e.name === './owned' ? {...e, mode: 0o4755} : e),
      entries.map(e => e.name === './small' ? {...e, name: './Small'} : e),
      entries.map(e => e.name === './link' ? {...e, linkname: '/etc'} : e),
    ];
    for (const variant of variants) {
      expect(treeOf(await tarOf(variant, fixedTime), 4096).sha).not.toBe(base);
    }
  });

  it('is what a version 2 archive is checked against: verify passes it, and names the one file that changed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hawser-tree-'));
    const bytes = await tarOf(entries, fixedTime);
    const {lister, parser, tree} = hashingParser();
    tree.write(bytes);
    parser.end();
    const manifest: Manifest = manifestOf({format: 'hawser-volume-archive', version: 2, volume: {name: 'v', driver: 'local', labels: {}}, createdAt: '2026-01-01T00:00:00.000Z', engine: {version: '', apiVersion: '', os: '', name: ''}}, lister, parser, tree);
    const archive = Buffer.concat([bytes.subarray(0, parser.endOfArchiveOffset), manifestTail(manifest)]);
    for (const [name, data] of [['plain.tar', archive], ['gzip.tar.gz', gzipSync(archive)]] as const) {
      const file = path.join(dir, name);
      writeFileSync(file, data);
      const scan = await scanArchive(file);
      expect(scan.manifest?.version).toBe(2);
      expect(scan.contentSha256).toBe(manifest.contentSha256);
      expect((await verifyArchive(file)).problems).toEqual([]);
    }

    const damaged = Buffer.from(archive);
    damaged[damaged.indexOf('hello')] = 'j'.charCodeAt(0);
    const file = path.join(dir, 'damaged.tar');
    writeFileSync(file, damaged);
    const problems = (await verifyArchive(file)).problems.join('\n');
    expect(problems).toMatch(/checksum of the whole differs/);
    expect(problems).toMatch(/small/);
    expect(problems).not.toMatch(/big|owned/);

    // A manifest whose text is damaged does not make it a foreign archive that passes unchecked.
    const unreadable = Buffer.from(archive);
    unreadable[unreadable.indexOf('{"format"')] = 'X'.charCodeAt(0);
    const broken = path.join(dir, 'unreadable-manifest.tar');
    writeFileSync(broken, unreadable);
    expect((await verifyArchive(broken)).problems.join('\n')).toMatch(/manifest that cannot be read/);
  });
});
