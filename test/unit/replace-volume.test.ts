// The swap of `restore --replace`, stopped at the awkward places a crash can leave it: between a step
// and its journal entry, after the cleanup began, between removing the target and recording it. Real
// folders, a fake engine: finish must never take the new contents away, and rollback must never claim
// the old ones back once they are gone.
import {mkdirSync, mkdtempSync, readdirSync, writeFileSync} from 'node:fs';
import {hostname, tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {EnginePort} from '../../source/engine/port.js';
import {finishReplace, readReplaceJournals, rollbackReplace, type VolumeReplaceJournal} from '../../source/jobs/volume-archive/replace-volume.js';
import {writeJournalFile} from '../../source/jobs/journal-file.js';

/** The engine calls the swap makes, with failures on demand; everything else is not needed here. */
function fakeEngine(failures: {removeVolume?: number; createVolume?: number} = {}): EnginePort & {removed: string[]} {
  const left = {...failures};
  const removed: string[] = [];
  const engine = {
    address: 'unix:///fake.sock',
    removed,
    async listContainers() {
      return [];
    },
    async removeVolume(name: string) {
      if ((left.removeVolume ?? 0) > 0) {
        left.removeVolume!--;
        throw new Error('the engine is restarting');
      }

      removed.push(name);
    },
    async createVolume() {
      if ((left.createVolume ?? 0) > 0) {
        left.createVolume!--;
        throw new Error('the engine is restarting');
      }

      return {name: 'target', driver: 'local', mountpoint: '', scope: 'local', labels: {}};
    },
  };
  // A deliberate partial fake: the swap uses only these calls.
  return engine as unknown as EnginePort & {removed: string[]};
}

async function drain(events: AsyncGenerator<unknown>): Promise<void> {
  for await (const _event of events) {
    // The events are not what these tests look at.
  }
}

describe('the replace swap after a crash or a failure', () => {
  let root: string;
  let journal: VolumeReplaceJournal;
  const previousStateDir = process.env['HAWSER_STATE_DIR'];

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'hawser-swap-'));
    process.env['HAWSER_STATE_DIR'] = path.join(root, 'state');
    const targetDir = path.join(root, 'volumes', 'target', '_data');
    const stagingDir = path.join(root, 'volumes', 'target.hawser-replace-1', '_data');
    mkdirSync(targetDir, {recursive: true});
    mkdirSync(stagingDir, {recursive: true});
    writeFileSync(path.join(targetDir, 'old'), 'old');
    writeFileSync(path.join(stagingDir, 'new'), 'new');
    const now = new Date().toISOString();
    journal = {
      version: 1, kind: 'volume-replace', id: 'volume-replace-target-1', engine: 'unix:///fake.sock', pid: process.pid, host: hostname(), startedAt: now, updatedAt: now,
      volume: 'target', staging: 'target.hawser-replace-1', file: '/backups/target.tar', via: 'local',
      targetDir, stagingDir, asideDir: `${targetDir}.hawser-old-1`, labels: {}, step: 'staged',
    };
    writeJournalFile(journal);
  });

  afterEach(() => {
    process.env['HAWSER_STATE_DIR'] = previousStateDir;
  });

  const target = () => readdirSync(journal.targetDir!).sort();

  it('local: a finish cut short after the swap (the staging volume not removed) is finished again without losing the new contents', async () => {
    await expect(drain(finishReplace(fakeEngine({removeVolume: 1}), journal))).rejects.toThrow(/restarting/);
    expect(target()).toEqual(['new']);
    const [left] = readReplaceJournals();
    expect(left?.step).toBe('swapped');

    const engine = fakeEngine();
    await drain(finishReplace(engine, left!));
    expect(target()).toEqual(['new']);
    expect(engine.removed).toEqual(['target.hawser-replace-1']);
    expect(readReplaceJournals()).toEqual([]);
  });

  it('local: rollback refuses once the old contents are deleted, and leaves the new ones', async () => {
    await expect(drain(finishReplace(fakeEngine({removeVolume: 1}), journal))).rejects.toThrow(/restarting/);
    const [left] = readReplaceJournals();
    await expect(drain(rollbackReplace(fakeEngine(), left!))).rejects.toThrow(/already deleted/);
    expect(target()).toEqual(['new']);
    expect(readReplaceJournals()).toHaveLength(1);
  });

  it('local: killed between moving the old contents aside and writing it down, rollback puts them back', async () => {
    // What a crash right after the first rename leaves: the journal still says "staged".
    const {renameSync} = await import('node:fs');
    renameSync(journal.targetDir!, journal.asideDir!);
    await drain(rollbackReplace(fakeEngine(), journal));
    expect(target()).toEqual(['old']);
    expect(readReplaceJournals()).toEqual([]);
  });

  it('archive API: the step is written before the target is removed, so a rollback after that is refused', async () => {
    const api: VolumeReplaceJournal = {...journal, via: 'api', targetDir: undefined, stagingDir: undefined, asideDir: undefined};
    writeJournalFile(api);
    await expect(drain(finishReplace(fakeEngine({createVolume: 1}), api))).rejects.toThrow(/restarting/);
    const [left] = readReplaceJournals();
    expect(left?.step).toBe('emptying');
    await expect(drain(rollbackReplace(fakeEngine(), left!))).rejects.toThrow(/already deleted/);
    expect(readReplaceJournals()).toHaveLength(1);
  });
});
