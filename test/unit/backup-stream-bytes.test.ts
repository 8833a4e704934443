// What a backup keeps on disk is exactly the engine's archive up to its end-of-archive blocks, then the
// manifest on the next block boundary, whatever the engine's chunks look like. The engine's chunks end
// anywhere: on Docker 28 a chunk sometimes ends inside the first end block (2 of 16 streams of a busy
// volume, at 50 and 442 bytes into it); the piece of that block must not be written before the manifest,
// or the manifest header lands off its block and `verify` finds "the header at byte N is damaged".
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {afterAll, describe, expect, it} from 'vitest';
import {BackupStream} from '../../source/jobs/volume-archive/format/backup-stream.js';
import {DurableFileWriter} from '../../source/jobs/volume-archive/volume/durable-file-writer.js';
import {manifestName} from '../../source/jobs/volume-archive/format/manifest.js';
import {TarParser} from '../../source/jobs/volume-archive/format/tar-parser.js';
import {verifyArchive} from '../../source/jobs/volume-archive/verify-job.js';
import {tarOf} from '../helpers/tar.js';

const dir = mkdtempSync(path.join(tmpdir(), 'hawser-backup-bytes-'));
afterAll(() => {
  rmSync(dir, {recursive: true, force: true});
});

const base = {
  format: 'hawser-volume-archive',
  version: 2,
  volume: {name: 'v', driver: 'local', labels: {}},
  createdAt: '2026-12-07T00:00:00.000Z',
  engine: {version: '28.5.2', apiVersion: '1.51', os: 'linux', name: 'test'},
} as never;

let fileCount = 0;

/** The archive through BackupStream and the file writer, in pieces ending at `cuts`; returns the file's bytes and the stream. */
async function keep(archive: Buffer, cuts: readonly number[]): Promise<{file: string; bytes: Buffer; stream: BackupStream}> {
  const pieces: Buffer[] = [];
  let at = 0;
  for (const cut of [...cuts, archive.length]) {
    // Fresh copies, as the HTTP client hands them out.
    pieces.push(Buffer.from(archive.subarray(at, cut)));
    at = cut;
  }

  const file = path.join(dir, `${fileCount++}.tar`);
  const stream = new BackupStream(base);
  await pipeline(Readable.from(pieces), stream, new DurableFileWriter(file, 0o600));
  return {file, bytes: readFileSync(file), stream};
}

/** The checks every kept file must pass: the engine's bytes unchanged up to its end blocks, then a whole manifest entry on a block boundary. */
function expectKeptWell(archive: Buffer, kept: {bytes: Buffer; stream: BackupStream}, label: string): void {
  const end = archive.length - 1024;
  expect(kept.stream.parser.endOfArchiveOffset, label).toBe(end);
  expect(kept.bytes.subarray(0, end).equals(archive.subarray(0, end)), `${label}: the engine's bytes`).toBe(true);
  expect(kept.bytes.length % 512, `${label}: length`).toBe(0);
  const names: string[] = [];
  const parser = new TarParser({onEntry: entry => names.push(entry.name)});
  parser.write(kept.bytes);
  parser.end();
  expect(names.at(-1), label).toBe(manifestName);
  expect(names.length, label).toBe(kept.stream.lister.entries.length + 1);
}

describe('what a backup writes to disk', () => {
  it('is the engine\'s archive byte for byte, then the manifest on a block boundary, for every cut around the end blocks', async () => {
    const archive = await tarOf([
      {name: './', type: 'directory'},
      {name: './g11', body: Buffer.alloc(100)},
      {name: `./${'long-'.repeat(30)}name`, body: 'x'.repeat(700)},
      {name: './g12', body: Buffer.alloc(0)},
      {name: './g13', body: Buffer.alloc(100)},
    ], {mtime: new Date('2020-01-01')});
    const end = archive.length - 1024;
    for (let cut = end - 600; cut <= archive.length; cut++) {
      const kept = await keep(archive, [cut]);
      expectKeptWell(archive, kept, `one cut at ${cut - end} from the end blocks`);
    }

    // The first end block in three pieces, and the whole tail one byte at a time.
    for (const cuts of [[end + 1, end + 511], [end + 100, end + 200, end + 700], Array.from({length: 1100}, (_, i) => end - 60 + i)]) {
      const kept = await keep(archive, cuts);
      expectKeptWell(archive, kept, `cuts ${cuts.slice(0, 3).map(c => c - end).join(', ')}…`);
    }
  }, 60_000);

  it('verifies cleanly whatever the chunking (random cuts over the whole archive)', async () => {
    const archive = await tarOf(Array.from({length: 12}, (_, i) => ({name: `./f${i}`, body: Buffer.alloc((i * 377) % 1500, i)})), {mtime: new Date('2020-01-01')});
    // A fixed pseudo-random sequence: the same cuts on every run.
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    for (let round = 0; round < 40; round++) {
      const cuts: number[] = [];
      for (let at = Math.floor(next() * 700); at < archive.length; at += 1 + Math.floor(next() * 900)) {
        cuts.push(at);
      }

      const kept = await keep(archive, cuts);
      expectKeptWell(archive, kept, `round ${round}`);
      if (round % 8 === 0) {
        expect((await verifyArchive(kept.file)).problems, `round ${round}`).toEqual([]);
      }
    }
  }, 60_000);
});
