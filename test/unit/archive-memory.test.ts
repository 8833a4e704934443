// The scan keeps its entries compact (one shared hidden class per shape instead of one per entry, see
// EntryLister's Object.assign) and a plan makes its listing only when asked: neither may change
// what the entries or the listing hold, nor the order of their keys.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, expect, it} from 'vitest';
import {planEntries, scanArchive} from '../../source/jobs/volume-archive/archive-scan.js';
import {toListed, EntryLister} from '../../source/jobs/volume-archive/entry-lister.js';
import {TarParser} from '../../source/jobs/volume-archive/tar-parser.js';
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
function listed(tar: Buffer) {
  const lister = new EntryLister();
  const parser = new TarParser(lister.handlers);
  parser.write(tar);
  return lister.entries;
}

it('keeps the same entries, with their keys in the same order, as the lister makes', async () => {
  const tar = await sample();
  const file = path.join(dir, 'sample.tar');
  writeFileSync(file, tar);
  const scan = await scanArchive(file);
  const expected = listed(tar);
  expect(scan.entries).toStrictEqual(expected);
  expect(scan.entries.map(entry => Object.keys(entry))).toEqual(expected.map(entry => Object.keys(entry)));
  expect(scan.entries.find(entry => entry.name === 'data/a.txt')?.mtimeText).toBe('1700000000.25');
  expect(scan.entries.find(entry => entry.name === 'data/b.bin')?.extended?.get('SCHILY.xattr.user.note')?.toString()).toBe('kept');
});

it('makes a plan\'s listing on first use, the same as before and once', async () => {
  const file = path.join(dir, 'plan.tar');
  writeFileSync(file, await sample());
  const scan = await scanArchive(file);
  const plan = planEntries(scan, 1);
  const eager = [...new Map(plan.entries.map(e => [e.path, toListed(e, e.path, e.linkPath)])).values()];
  expect(plan.listing).toStrictEqual(eager);
  expect(plan.listing).toBe(plan.listing);
  expect(plan.listing.map(entry => entry.path)).toEqual(['a.txt', 'b.bin', 'link', 'hard', 'sub', 'sub/c']);
});
