import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Readable} from 'node:stream';
import {afterAll, afterEach, beforeAll, describe, expect, it, vi} from 'vitest';
import {EngineError} from '../../source/engine/errors.js';
import type {EngineInfo, ImageSummary, VolumeSummary} from '../../source/engine/types.js';
import {JobError, type JobEvent} from '../../source/jobs/job.js';
import {helperImage} from '../../source/jobs/helpers/helper-container.js';
import {prepareRestore, restoreJob} from '../../source/jobs/volume-archive/restore-job.js';
import {planRestore, type RestoreRequest} from '../../source/jobs/volume-archive/restore-plan.js';
import {FakeEngine, fakeVolume} from '../helpers/fake-engine.js';
import {tarOf} from '../helpers/tar.js';
import {runToFailure} from '../helpers/run-to-failure.js';

afterEach(() => vi.useRealTimers());

const dir = mkdtempSync(path.join(tmpdir(), 'hawser-restore-early-'));
const socket = path.join(dir, 'engine.sock');
const archive = path.join(dir, 'a.tar');
let server: Server;
beforeAll(async () => {
  // An archive from elsewhere (no hawser manifest): read whole while planning, nothing left to prove.
  writeFileSync(archive, await tarOf([{name: './', type: 'directory', mode: 0o755}, {name: './a.txt', body: 'hello'}], {mtime: new Date(1_600_000_000_000)}));
  // The engine's "socket": a real one, so that the local path is considered as for a local engine.
  server = createServer();
  await new Promise<void>(resolve => server.listen(socket, resolve));
});
afterAll(async () => {
  await new Promise(resolve => server.close(resolve));
  rmSync(dir, {recursive: true, force: true});
});

const detailsFailure = new EngineError('inspect refused by the test', '', 500);

/**
 * A local engine for a restore up to the local-path check: volumes are made and inspected, the helper
 * image is there and helpers are made, and inspecting a helper fails, which ends the job right after
 * the engine's info was needed. An empty volume's helper reads as empty.
 */
class RestoreEngine extends FakeEngine {
  /** When set, info() fails this many times first. */
  infoFailures = 0;
  /** Called as inspectVolume() is, before it answers. */
  onInspectVolume: () => void = () => undefined;
  /** When set, inspecting an existing volume fails with it. */
  volumeFailure?: EngineError;

  constructor() {
    super();
    this.address = `unix://${socket}`;
  }

  override async info(): Promise<EngineInfo> {
    const answer = await super.info();
    if (this.infoFailures > 0) {
      this.infoFailures--;
      throw new EngineError('info failed for the test', '', 500);
    }

    return answer;
  }

  override async inspectVolume(name: string): Promise<VolumeSummary> {
    this.calls.push('inspectVolume');
    this.onInspectVolume();
    const volume = this.volumes.find(v => v.name === name);
    if (!volume) {
      throw new EngineError(`no such volume: ${name}`, '', 404);
    }

    if (this.volumeFailure) {
      throw this.volumeFailure;
    }

    return volume;
  }

  // FakeEngine types what it does not fake as never answering: these answer.
  override async createVolume(spec?: {name?: string; labels?: Readonly<Record<string, string>>}): Promise<never> {
    this.calls.push('createVolume');
    const volume = fakeVolume(spec!.name!, {labels: {...spec!.labels}});
    this.volumes.push(volume);
    return volume as never;
  }

  override async removeVolume(name?: string): Promise<never> {
    this.calls.push('removeVolume');
    this.volumes = this.volumes.filter(v => v.name !== name);
    return undefined as never;
  }

  override async listImages(): Promise<never[]> {
    await super.listImages();
    const list: ImageSummary[] = [{id: 'sha256:helper', tags: [helperImage], size: 0}];
    return list as never[];
  }

  override async createContainer(): Promise<never> {
    this.calls.push('createContainer');
    return {id: 'helper', warnings: []} as never;
  }

  override async removeContainer(): Promise<never> {
    this.calls.push('removeContainer');
    return undefined as never;
  }

  override async inspectContainer(): Promise<never> {
    this.calls.push('inspectContainer');
    throw detailsFailure;
  }

  // The helper of an empty volume: its archive holds only the root.
  override async getArchive(): Promise<never> {
    this.calls.push('getArchive');
    return Readable.from([await tarOf([{name: './', type: 'directory', mode: 0o755}])]) as never;
  }
}

const isLocalPossible = process.geteuid?.() === 0 && (spawnSync('tar', ['--version'], {encoding: 'utf8'}).stdout?.includes('GNU tar') ?? false);
const newVolume: RestoreRequest = {file: archive, volume: 'target'};
const writingEvent: JobEvent = {type: 'step', title: 'Writing 5 B into volume target'};
const createdEvent: JobEvent = {type: 'log', line: 'Created volume target'};

/** The calls a new volume's job makes after its plan, when nothing was asked early. */
// The first inspect makes sure the volume to create is not there (yet): the engine's create would hand back an existing one.
const unaidedCalls = ['inspectVolume', 'createVolume', 'listImages', 'createContainer', 'inspectVolume', 'listContainers', 'inspectContainer', 'info', 'removeContainer', 'removeVolume'];

describe.runIf(isLocalPossible)('a restore asks what its job needs first while it plans', () => {
  it('looks a named volume up beside the scan, and asks the info and the image list once the archive is read', async () => {
    const engine = new RestoreEngine();
    const {preview} = await prepareRestore(engine, newVolume);
    expect(engine.calls).toEqual(['inspectVolume', 'info', 'listImages']);
    expect(preview.title).toBe('Restore a.tar into volume target');
    expect(preview.steps[0]).toBe('Create volume target');
  });

  it('asks the volume again when the scan took long, and only after the scan when the name comes from the archive', async () => {
    vi.useFakeTimers({toFake: ['Date']});
    const engine = new RestoreEngine();
    let isFirst = true;
    engine.onInspectVolume = () => {
      if (isFirst) {
        // The answer asked beside the scan is stale by the time the scan ends.
        vi.setSystemTime(Date.now() + 2000);
        isFirst = false;
      }
    };

    engine.volumes = [fakeVolume('target')];
    // Now empty: the first (stale) answer said it did not exist; the one asked again finds it, so it is restored into.
    const {preview} = await prepareRestore(engine, newVolume);
    expect(engine.calls.filter(c => c === 'inspectVolume')).toHaveLength(2);
    expect(preview.steps[0]).toBe('Restore 2 entries, 5 B of files from ' + archive + ' into volume target (empty now)');

    vi.useRealTimers();
    const unnamed = new RestoreEngine();
    await prepareRestore(unnamed, {file: archive});
    expect(unnamed.calls).toEqual(['info', 'listImages', 'inspectVolume']);
  });

  it('the job started at once takes those answers: the same events and failure, without asking the info or the image list', async () => {
    const aided = new RestoreEngine();
    const {job} = await prepareRestore(aided, newVolume);
    const before = aided.calls.length;
    const result = await runToFailure(job, aided);

    // The same plan run as before, with nothing asked early.
    const unaided = new RestoreEngine();
    const plan = await planRestore(unaided, newVolume);
    expect(unaided.calls).toEqual(['inspectVolume']);
    const plain = await runToFailure(restoreJob(plan), unaided);
    expect(plain.events).toEqual([writingEvent, createdEvent]);
    expect(plain.error).toBeInstanceOf(JobError);
    expect((plain.error as JobError).message).toBe('The restore into target failed: inspect refused by the test');
    expect(unaided.calls.slice(1)).toEqual(unaidedCalls);

    expect(result.events).toEqual(plain.events);
    expect(result.error).toEqual(plain.error);
    expect(aided.calls.slice(before)).toEqual(unaidedCalls.filter(c => c !== 'listImages' && c !== 'info'));
    // The volume made for the archive is removed again.
    expect(aided.volumes).toEqual([]);
  });

  it('asks again when the early info failed, when the job starts late, runs a second time, or runs on another engine', async () => {
    const failed = new RestoreEngine();
    failed.infoFailures = 1;
    const {job} = await prepareRestore(failed, newVolume);
    let before = failed.calls.length;
    await runToFailure(job, failed);
    expect(failed.calls.slice(before)).toEqual(unaidedCalls.filter(c => c !== 'listImages'));

    vi.useFakeTimers({toFake: ['Date']});
    const late = new RestoreEngine();
    const lateJob = (await prepareRestore(late, newVolume)).job;
    vi.setSystemTime(Date.now() + 11_000);
    before = late.calls.length;
    await runToFailure(lateJob, late);
    expect(late.calls.slice(before)).toEqual(unaidedCalls);

    vi.useRealTimers();
    const twice = new RestoreEngine();
    const second = (await prepareRestore(twice, newVolume)).job;
    await runToFailure(second, twice);
    before = twice.calls.length;
    await runToFailure(second, twice);
    expect(twice.calls.slice(before)).toEqual(unaidedCalls);

    const other = new RestoreEngine();
    const elsewhere = (await prepareRestore(new RestoreEngine(), newVolume)).job;
    await runToFailure(elsewhere, other);
    expect(other.calls).toEqual(unaidedCalls);
  });

  it('in the job, the volume\'s own failure comes first, as when it was inspected before the rest', async () => {
    const engine = new RestoreEngine();
    const {job} = await prepareRestore(engine, newVolume);
    const volumeFailure = new EngineError('the volume went away', '', 404);
    engine.volumeFailure = volumeFailure;
    const {events, error} = await runToFailure(job, engine);
    expect(events).toEqual([writingEvent, createdEvent]);
    expect((error as JobError).message).toBe('The restore into target failed: the volume went away');
  });

  it('into an empty volume: the planning\'s helper takes the early image list, and the job asks its own', async () => {
    const engine = new RestoreEngine();
    engine.volumes = [fakeVolume('target')];
    const {preview, job} = await prepareRestore(engine, newVolume);
    expect(preview.steps[0]).toContain('into volume target (empty now)');
    expect(engine.calls).toEqual(['inspectVolume', 'info', 'listImages', 'createContainer', 'getArchive', 'removeContainer']);
    const before = engine.calls.length;
    const {events, error} = await runToFailure(job, engine);
    expect(events).toEqual([writingEvent]);
    expect((error as JobError).message).toBe('The restore into target failed: inspect refused by the test');
    expect(engine.calls.slice(before)).toEqual(['listImages', 'createContainer', 'inspectVolume', 'listContainers', 'inspectContainer', 'removeContainer']);
    // A volume that was there before is left.
    expect(engine.volumes.map(v => v.name)).toEqual(['target']);
  });
});

describe('a restore through the archive API', () => {
  it('asks no info and no container list for a local path it will not take', async () => {
    const engine = new RestoreEngine();
    const {job} = await prepareRestore(engine, {...newVolume, via: 'api'});
    expect(engine.calls).toEqual(['inspectVolume', 'listImages']);
    const before = engine.calls.length;
    const {events, error} = await runToFailure(job, engine);
    expect(events).toEqual([writingEvent, createdEvent, {type: 'log', line: 'Writing through the engine\'s archive API: asked for with --via-api'}]);
    expect((error as JobError).message).toBe('The restore into target failed: FakeEngine.putArchive is not faked');
    expect(engine.calls.slice(before)).toEqual(['inspectVolume', 'createVolume', 'createContainer', 'inspectVolume', 'removeContainer', 'removeVolume']);
  });
});
