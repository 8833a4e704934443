// A volume counts as "partly restored" — and `hawser recover` removes it — only while the journal of
// the restore that was filling it stands and its hawser is gone: a restore that finished while its
// engine was away leaves its helper labelled, over a complete volume the user may have written to since.
import {mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {hostname, tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {ContainerSummary} from '../../source/engine/types.js';
import {writeJournalFile} from '../../source/jobs/journal-file.js';
import {helperLabel, helperOwnerLabel, leftoversIn, partialVolumeLabel, startPartialRestore} from '../../source/jobs/helpers/leftovers.js';

const deadPid = 2 ** 22 + 12_345;
const helper = (volume: string) => ({id: 'h1', name: 'hawser-helper-restore-1', labels: {[helperLabel]: '1', [helperOwnerLabel]: `${hostname()}:${deadPid}`, [partialVolumeLabel]: volume}}) as unknown as ContainerSummary;

describe('partly restored volumes', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hawser-partial-'));
    process.env['HAWSER_STATE_DIR'] = dir;
  });

  afterEach(() => {
    delete process.env['HAWSER_STATE_DIR'];
    rmSync(dir, {recursive: true, force: true});
  });

  it('leaves a finished restore\'s volume alone, though its helper is left', () => {
    const restore = startPartialRestore('unix:///e.sock', 'data');
    restore.close();
    expect(readdirSync(path.join(dir, 'journal')).filter(name => name.endsWith('.json'))).toEqual([]);
    expect(leftoversIn([helper('data')], [])).toEqual({containers: [{id: 'h1', name: 'hawser-helper-restore-1'}], volumes: [], files: []});
  });

  it('names the volume of a restore whose hawser died half-way', () => {
    writeJournalFile({version: 1, kind: 'restore-new', id: 'restore-new-data-1', engine: 'unix:///e.sock', volume: 'data', pid: deadPid, host: hostname(), startedAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z'} as never);
    expect(leftoversIn([helper('data')], []).containers).toEqual([{id: 'h1', name: 'hawser-helper-restore-1', partialVolume: 'data'}]);
  });

  it('does not judge a restore still running in another hawser', () => {
    writeJournalFile({version: 1, kind: 'restore-new', id: 'restore-new-data-2', engine: 'unix:///e.sock', volume: 'data', pid: process.ppid, host: hostname(), startedAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z'} as never);
    expect(leftoversIn([helper('data')], []).containers[0]).not.toHaveProperty('partialVolume');
  });

  it('names the half-written archive of a backup whose hawser died, and not one still being written', () => {
    const written = path.join(dir, '.db.tar.partial-0123abcd');
    writeFileSync(written, 'half');
    writeJournalFile({version: 1, kind: 'backup-partial', id: 'backup-partial-1', engine: 'unix:///e.sock', file: written, pid: deadPid, host: hostname(), startedAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z'} as never);
    writeJournalFile({version: 1, kind: 'backup-partial', id: 'backup-partial-2', engine: 'unix:///e.sock', file: path.join(dir, '.other.tar.partial-89abcdef'), pid: process.ppid, host: hostname(), startedAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z'} as never);
    // A journal naming something that is not a temporary archive's name is no reason to remove it.
    writeJournalFile({version: 1, kind: 'backup-partial', id: 'backup-partial-3', engine: 'unix:///e.sock', file: path.join(dir, 'notes.txt'), pid: deadPid, host: hostname(), startedAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z'} as never);
    expect(leftoversIn([], []).files).toEqual([{file: written, bytes: 4}]);
  });
});
