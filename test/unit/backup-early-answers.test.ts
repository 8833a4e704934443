import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, describe, expect, it, vi} from 'vitest';
import {EngineError} from '../../source/engine/errors.js';
import type {EngineInfo, ImageSummary} from '../../source/engine/types.js';
import type {JobEvent} from '../../source/jobs/job.js';
import {prepareBackup} from '../../source/jobs/volume-archive/backup-job.js';
import {helperImage} from '../../source/jobs/helpers/helper-container.js';
import {FakeEngine, fakeVolume} from '../helpers/fake-engine.js';
import {runToFailure} from '../helpers/run-to-failure.js';

const dir = mkdtempSync(path.join(tmpdir(), 'hawser-early-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));
afterEach(() => vi.useRealTimers());

const createFailure = new EngineError('create refused by the test', '', 500);

/**
 * A fake engine for a backup up to its helper: the sizes arrive when the test says so, the helper image
 * is there, and creating the helper fails, which ends the job right after the engine's first answers.
 */
class BackupEngine extends FakeEngine {
  releaseSizes: () => void = () => undefined;
  private readonly sizes = new Promise<void>(resolve => {
    this.releaseSizes = resolve;
  });

  /** When set, info() fails this many times first. */
  infoFailures = 0;
  /** When set, info() waits for this before it answers; like the real engine's, it fails when its signal aborts. */
  infoGate?: Promise<void>;

  constructor() {
    super();
    this.volumes = [fakeVolume('data')];
  }

  override async volumeUsage() {
    const usage = await super.volumeUsage();
    await this.sizes;
    return usage;
  }

  override async info(o?: {signal?: AbortSignal}): Promise<EngineInfo> {
    const answer = await super.info();
    const cancelled = new Promise<never>((_, reject) => {
      const cancel = () => reject(new EngineError('The request was cancelled.', ''));
      if (o?.signal?.aborted) {
        cancel();
      }

      o?.signal?.addEventListener('abort', cancel, {once: true});
    });
    await Promise.race([this.infoGate, cancelled]);
    if (this.infoFailures > 0) {
      this.infoFailures--;
      throw new EngineError('info failed for the test', '', 500);
    }

    return answer;
  }

  // FakeEngine's own list is typed as always empty.
  override async listImages(): Promise<never[]> {
    await super.listImages();
    const images: ImageSummary[] = [{id: 'sha256:helper', tags: [helperImage], size: 0}];
    return images as never[];
  }

  override async createContainer(): Promise<never> {
    this.calls.push('createContainer');
    throw createFailure;
  }
}

async function prepared(engine: BackupEngine) {
  const preparing = prepareBackup(engine, {volumes: ['data'], output: path.join(dir, 'data.tar'), isGzip: false, policy: 'leave'});
  engine.releaseSizes();
  return preparing;
}

const firstStep: JobEvent = {type: 'step', title: `Backing up volume data to ${path.join(dir, 'data.tar')}`};

describe('a backup asks what its job needs first while it plans', () => {
  it('asks the engine\'s info and the image list alongside the sizes, before the sizes are there', async () => {
    const engine = new BackupEngine();
    const preparing = prepareBackup(engine, {volumes: ['data'], output: path.join(dir, 'data.tar'), isGzip: false, policy: 'leave'});
    await vi.waitFor(() => expect(engine.calls).toEqual(expect.arrayContaining(['volumeUsage', 'inspectVolume', 'listContainers', 'info', 'listImages'])));
    engine.releaseSizes();
    const {preview} = await preparing;
    expect(preview).toEqual({title: 'Back up volume data', steps: [`Write volume data (4.1 kB) to ${path.join(dir, 'data.tar')}`], warnings: [], isDestructive: false});
  });

  it('says in its preview that a folder still to be made is made', async () => {
    const engine = new BackupEngine();
    const output = path.join(dir, 'new-folder', 'data.tar');
    const preparing = prepareBackup(engine, {volumes: ['data'], output, isGzip: false, policy: 'leave'});
    await vi.waitFor(() => expect(engine.calls).toContain('volumeUsage'));
    engine.releaseSizes();
    const {preview} = await preparing;
    expect(preview.steps).toEqual([`Write volume data (4.1 kB) to ${output}, making the folder ${path.join(dir, 'new-folder')}`]);
  });

  it('the job started at once takes those answers: no second info or image list, the same events and failure', async () => {
    const engine = new BackupEngine();
    const {job} = await prepared(engine);
    const before = engine.calls.length;
    const {events, error} = await runToFailure(job, engine);
    expect(events).toEqual([firstStep]);
    expect(error).toBe(createFailure);
    expect(engine.calls.slice(before)).toEqual(['createContainer']);
  });

  it('asks again when the early info failed, and then runs as before', async () => {
    const engine = new BackupEngine();
    engine.infoFailures = 1;
    const {job} = await prepared(engine);
    const before = engine.calls.length;
    const {events, error} = await runToFailure(job, engine);
    expect(events).toEqual([firstStep]);
    expect(error).toBe(createFailure);
    expect(engine.calls.slice(before)).toEqual(['info', 'createContainer']);
  });

  it('asks again when the job starts late, runs a second time, or runs on another engine', async () => {
    vi.useFakeTimers({toFake: ['Date']});
    const late = new BackupEngine();
    const {job} = await prepared(late);
    vi.setSystemTime(Date.now() + 11_000);
    let before = late.calls.length;
    await runToFailure(job, late);
    expect(late.calls.slice(before)).toEqual(['info', 'listImages', 'createContainer']);

    const twice = new BackupEngine();
    const second = (await prepared(twice)).job;
    await runToFailure(second, twice);
    before = twice.calls.length;
    await runToFailure(second, twice);
    expect(twice.calls.slice(before)).toEqual(['info', 'listImages', 'createContainer']);

    const other = new BackupEngine();
    const {job: elsewhere} = await prepared(new BackupEngine());
    await runToFailure(elsewhere, other);
    expect(other.calls).toEqual(['info', 'listImages', 'createContainer']);
  });

  it('a cancel while the early info is awaited ends the job as a cancelled info request does', async () => {
    const engine = new BackupEngine();
    let answerInfo = () => undefined as void;
    engine.infoGate = new Promise(resolve => {
      answerInfo = resolve;
    });
    const {job} = await prepared(engine);
    const controller = new AbortController();
    const running = runToFailure(job, engine, controller.signal);
    controller.abort();
    const {events, error} = await running;
    expect(events).toEqual([]);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as Error).message).toBe('The request was cancelled.');
    answerInfo();
  });
});
