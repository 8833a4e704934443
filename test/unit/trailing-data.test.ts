// What follows the end-of-archive blocks (appended junk, a gzip of a tar plus zeros) is skipped and
// reported, never part of the checksum and never kept: a 3 MB .tar.gz of zeros took 3.2 GB before.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {gzipSync} from 'node:zlib';
import {afterAll, expect, it} from 'vitest';
import {scanArchive} from '../../source/jobs/volume-archive/format/archive-scan.js';
import {tarOf} from '../helpers/tar.js';

const dir = mkdtempSync(path.join(tmpdir(), 'hawser-trailing-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

it('skips and reports the bytes after the end blocks of a tar.gz, with the same entries and checksum as without them', async () => {
  const tar = await tarOf([{name: './', type: 'directory'}, {name: './a.txt', body: 'hello\n'}]);
  const plain = path.join(dir, 'plain.tar.gz');
  const padded = path.join(dir, 'padded.tar.gz');
  writeFileSync(plain, gzipSync(tar));
  writeFileSync(padded, gzipSync(Buffer.concat([tar, Buffer.alloc(8 * 1024 * 1024)])));
  const [clean, trailing] = [await scanArchive(plain), await scanArchive(padded)];
  expect([...trailing.entries].map(entry => entry.name)).toEqual([...clean.entries].map(entry => entry.name));
  expect(trailing.contentSha256).toBe(clean.contentSha256);
  expect(trailing.trailingBytes).toBe(8 * 1024 * 1024 + (clean.trailingBytes ?? 0));
});
