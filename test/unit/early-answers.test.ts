import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {createServer, type Server} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it, vi} from 'vitest';
import {EngineError} from '../../source/engine/errors.js';
import type {ImageSummary, VolumeSummary} from '../../source/engine/types.js';
import {answerOr, askEarly, earlyAnswerMs, firstRunOnly, freshFor, withEarlyImages} from '../../source/jobs/volume-archive/early-answers.js';
import {localAccess, localRefusal} from '../../source/jobs/volume-archive/volume/local-volume.js';
import {FakeEngine, fakeVolume} from '../helpers/fake-engine.js';

afterEach(() => vi.useRealTimers());

const images: ImageSummary[] = [{id: 'sha256:helper', tags: ['hawser/helper-empty:1'], size: 0}];

/** A fake engine whose image list is not empty, and whose info can fail once. */
class AnswersEngine extends FakeEngine {
  isInfoFailing = false;
  override async info() {
    const answer = await super.info();
    if (this.isInfoFailing) {
      throw new EngineError('info failed for the test', '', 500);
    }

    return answer;
  }

  override async listImages(): Promise<never[]> {
    await super.listImages();
    return images as never[];
  }
}

describe('early answers', () => {
  it('asks only what is wanted, at once, and keeps a failure as undefined', async () => {
    const engine = new AnswersEngine();
    engine.isInfoFailing = true;
    const early = askEarly(engine, {info: true, images: true});
    expect(engine.calls).toEqual(['info', 'listImages']);
    await expect(early.info).resolves.toBeUndefined();
    await expect(early.images).resolves.toEqual(images);

    const imagesOnly = askEarly(new AnswersEngine(), {info: false, images: true});
    expect(imagesOnly.info).toBeUndefined();
    expect((imagesOnly.engine as AnswersEngine).calls).toEqual(['listImages']);
  });

  it('serve the first run on the same engine while fresh, and no later run', () => {
    vi.useFakeTimers({toFake: ['Date']});
    const engine = new AnswersEngine();
    const early = askEarly(engine, {info: true, images: false});
    expect(freshFor(early, engine)).toBe(early);
    expect(freshFor(early, new AnswersEngine())).toBeUndefined();
    expect(freshFor(early, engine, early.askedAt + earlyAnswerMs)).toBeUndefined();

    const runs = firstRunOnly(early);
    expect(runs(engine)).toBe(early);
    expect(runs(engine)).toBeUndefined();

    const late = firstRunOnly(early);
    vi.setSystemTime(early.askedAt + earlyAnswerMs + 1);
    expect(late(engine)).toBeUndefined();
    expect(firstRunOnly(undefined)(engine)).toBeUndefined();
  });

  it('an answer that failed, or a cancel while it is awaited, makes the request itself', async () => {
    const asked: string[] = [];
    const ask = async () => {
      asked.push('asked');
      return 'fresh';
    };

    await expect(answerOr(Promise.resolve('early'), ask)).resolves.toBe('early');
    expect(asked).toEqual([]);
    await expect(answerOr(Promise.resolve(undefined), ask)).resolves.toBe('fresh');
    await expect(answerOr(undefined, ask)).resolves.toBe('fresh');
    expect(asked).toEqual(['asked', 'asked']);

    const controller = new AbortController();
    const pending = answerOr(new Promise<string | undefined>(() => undefined), ask, controller.signal);
    controller.abort();
    await expect(pending).resolves.toBe('fresh');
    expect(asked).toHaveLength(3);
  });

  it('withEarlyImages answers the first image list only, and passes everything else through', async () => {
    const engine = new AnswersEngine();
    const early = Promise.resolve([] as ImageSummary[]);
    const wrapped = withEarlyImages(engine, early);
    expect(wrapped.address).toBe(engine.address);
    await expect(wrapped.listImages()).resolves.toEqual([]);
    expect(engine.calls).toEqual([]);
    await expect(wrapped.listImages()).resolves.toEqual(images);
    await wrapped.listVolumes();
    expect(engine.calls).toEqual(['listImages', 'listVolumes']);
    expect(withEarlyImages(engine, undefined)).toBe(engine);
  });
});

const isRoot = process.geteuid?.() === 0;
const hasGnuTar = spawnSync('tar', ['--version'], {encoding: 'utf8'}).stdout?.includes('GNU tar') ?? false;

describe('localAccess with a volume still being inspected', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hawser-access-'));
  const socket = path.join(dir, 'engine.sock');
  let server: Server;
  beforeAll(async () => {
    server = createServer();
    await new Promise<void>(resolve => server.listen(socket, resolve));
  });
  afterAll(async () => {
    await new Promise(resolve => server.close(resolve));
    rmSync(dir, {recursive: true, force: true});
  });

  const volumeFailure = new EngineError('no such volume', '', 404);
  const detailsFailure = new EngineError('inspect refused by the test', '', 500);

  /** A local engine (a real socket here) whose helper inspect fails. */
  class LocalEngine extends FakeEngine {
    constructor() {
      super();
      this.address = `unix://${socket}`;
    }

    override async inspectContainer(): Promise<never> {
      this.calls.push('inspectContainer');
      throw detailsFailure;
    }
  }

  it('says why the local path is out before asking anything', () => {
    expect(localRefusal(new FakeEngine(), 'api')).toBe('asked for with --via-api');
    expect(localRefusal(Object.assign(new FakeEngine(), {address: 'tcp://10.0.0.1:2375'}), 'auto')).toBe('the engine is not on this machine');
    expect(localRefusal(new FakeEngine(), 'auto')).toBe('the engine\'s socket is not on this filesystem');
    expect(localRefusal(new LocalEngine(), 'auto')).toBe(isRoot ? undefined : 'hawser does not run as root, so it cannot keep owners and modes by itself');
  });

  it('a refused local path still fails with the volume\'s own failure, as when the volume was inspected first', async () => {
    const engine = new FakeEngine();
    await expect(localAccess(engine, Promise.reject(volumeFailure), 'helper', 'auto')).rejects.toBe(volumeFailure);
    await expect(localAccess(engine, Promise.resolve(fakeVolume('data')), 'helper', 'api')).resolves.toEqual({via: 'api', reason: 'asked for with --via-api'});
    expect(engine.calls).toEqual([]);
  });

  it.runIf(isRoot && hasGnuTar)('asks the helper\'s details beside the volume; the volume\'s failure comes first, then the info\'s, then the details\'', async () => {
    const both = new LocalEngine();
    await expect(localAccess(both, Promise.reject(volumeFailure), 'helper', 'auto')).rejects.toBe(volumeFailure);
    expect(both.calls).toEqual(['inspectContainer']);

    const infoFailure = new EngineError('info refused by the test', '', 500);
    const info = new LocalEngine();
    await expect(localAccess(info, Promise.resolve(fakeVolume('data')), 'helper', 'auto', undefined, async () => {
      throw infoFailure;
    })).rejects.toBe(infoFailure);

    const details = new LocalEngine();
    await expect(localAccess(details, Promise.resolve(fakeVolume('data')), 'helper', 'auto')).rejects.toBe(detailsFailure);
    expect(details.calls).toEqual(['inspectContainer', 'info']);
  });

  it.runIf(isRoot && hasGnuTar)('a volume that rules the local path out makes its answer api, whatever the helper\'s details did', async () => {
    const engine = new LocalEngine();
    const withOptions: VolumeSummary = fakeVolume('nfs', {options: {type: 'nfs'}});
    await expect(localAccess(engine, Promise.resolve(withOptions), 'helper', 'auto')).resolves.toEqual({via: 'api', reason: 'the volume is a local volume with mount options, mounted only while in use'});
    // Known already, the volume is checked before anything is asked, as always.
    const known = new LocalEngine();
    await expect(localAccess(known, withOptions, 'helper', 'auto')).resolves.toEqual({via: 'api', reason: 'the volume is a local volume with mount options, mounted only while in use'});
    expect(known.calls).toEqual([]);
  });
});
