import {afterEach, describe, expect, it} from 'vitest';
import {EngineError} from '../../source/engine/errors.js';
import type {ContainerSummary} from '../../source/engine/types.js';
import {EngineMirror, firstAnswer} from '../../source/state/engine-mirror.js';
import {startLiveSync, type LiveSync} from '../../source/state/live-sync.js';
import {FakeEngine, eventually, fakeContainer, fakeNetwork, fakeVolume} from '../helpers/fake-engine.js';

let sync: LiveSync | undefined;
afterEach(() => sync?.stop());

function setup() {
  const engine = new FakeEngine();
  engine.containers = [fakeContainer('web'), fakeContainer('db')];
  engine.networks = [fakeNetwork('bridge')];
  engine.volumes = [fakeVolume('data')];
  const mirror = new EngineMirror();
  sync = startLiveSync(engine, mirror, {coalesceMs: 5, backoffMs: [20]});
  return {engine, mirror};
}

describe('live sync', () => {
  it('the first frame can wait for the first lists: firstAnswer resolves when they are in, or after its time with none', async () => {
    const {mirror} = setup();
    await firstAnswer(mirror, 5000);
    expect(mirror.snapshot().connection.state).toBe('connected');
    expect(mirror.snapshot().containers.map(c => c.name)).toEqual(['db', 'web']);

    const silent = new EngineMirror();
    const started = performance.now();
    await firstAnswer(silent, 60);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    expect(silent.snapshot().connection.state).toBe('connecting');
  });

  it('lists everything once, then follows events without polling', async () => {
    const {engine, mirror} = setup();
    await eventually(() => expect(mirror.snapshot().containers.map(c => c.name)).toEqual(['db', 'web']));
    const callsAfterLoad = engine.calls.length;
    await new Promise(resolve => setTimeout(resolve, 200));
    expect(engine.calls.length).toBe(callsAfterLoad);
    expect(engine.eventSince[0]).toBe(999);
  });

  it('applies a created container, a stop and a destroy from events', async () => {
    const {engine, mirror} = setup();
    await eventually(() => expect(mirror.snapshot().hasLoaded).toBe(true));
    const cache = fakeContainer('cache');
    engine.containers.push(cache);
    engine.emit({type: 'container', action: 'create', id: cache.id});
    await eventually(() => expect(mirror.snapshot().containers.map(c => c.name)).toContain('cache'));
    engine.containers = engine.containers.map(c => (c.name === 'web' ? {...c, state: 'exited'} : c));
    engine.emit({type: 'container', action: 'die', id: engine.containers.find(c => c.name === 'web')!.id});
    await eventually(() => expect(mirror.snapshot().containers.find(c => c.name === 'web')?.state).toBe('exited'));
    engine.emit({type: 'container', action: 'destroy', id: cache.id});
    await eventually(() => expect(mirror.snapshot().containers.map(c => c.name)).not.toContain('cache'));
  });

  it('after hawser\'s own action, lists the containers and networks again: the engine sends no event for a network connected to a created container', async () => {
    const {engine, mirror} = setup();
    await eventually(() => expect(mirror.snapshot().hasLoaded).toBe(true));
    const created = fakeContainer('created', {state: 'created', networks: []});
    engine.containers.push(created);
    engine.emit({type: 'container', action: 'create', id: created.id});
    await eventually(() => expect(mirror.snapshot().containers.map(c => c.name)).toContain('created'));
    // Connected with no event, as the engine does for a container that never started.
    engine.containers = engine.containers.map(c => (c.id === created.id ? {...c, networks: [{name: 'appnet', networkId: 'appnet-id', ipv4: '', gateway: '', mac: '', aliases: [], links: []}]} : c));
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(mirror.snapshot().index.containersByNetwork.get('appnet')).toBeUndefined();

    sync!.refreshAfterAction();
    await eventually(() => expect(mirror.snapshot().index.containersByNetwork.get('appnet')?.map(c => c.name)).toEqual(['created']));
    expect(mirror.snapshot().containers.map(c => c.name).sort()).toEqual(['created', 'db', 'web']);
  });

  it('coalesces a burst of events into one request', async () => {
    const {engine, mirror} = setup();
    await eventually(() => expect(mirror.snapshot().hasLoaded).toBe(true));
    const before = engine.calls.filter(call => call === 'listContainers').length;
    for (let i = 0; i < 50; i++) {
      engine.emit({type: 'container', action: 'start', id: engine.containers[0]!.id});
    }

    await new Promise(resolve => setTimeout(resolve, 60));
    expect(engine.calls.filter(call => call === 'listContainers').length - before).toBe(1);
  });

  it('reconnects after the stream drops, resuming with since, and re-lists', async () => {
    const {engine, mirror} = setup();
    await eventually(() => expect(mirror.snapshot().hasLoaded).toBe(true));
    engine.emit({type: 'network', action: 'create', id: 'n', timeNano: 1234.5e9});
    await new Promise(resolve => setTimeout(resolve, 20));
    engine.containers.push(fakeContainer('made-while-away'));
    engine.dropStreams();
    await eventually(() => expect(mirror.snapshot().containers.map(c => c.name)).toContain('made-while-away'));
    expect(engine.eventSince.at(-1)).toBe(1234.5);
    expect(mirror.snapshot().connection.state).toBe('connected');
  });

  it('reports an unreachable engine with its address and hint, and keeps retrying', async () => {
    const engine = new FakeEngine();
    engine.failure = new EngineError('No Docker socket at unix:///fake.sock.', 'Is Docker running?', undefined, 'unreachable');
    const mirror = new EngineMirror();
    sync = startLiveSync(engine, mirror, {coalesceMs: 5, backoffMs: [20]});
    await eventually(() => expect(mirror.snapshot().connection).toMatchObject({state: 'failed', message: 'No Docker socket at unix:///fake.sock.', hint: 'Is Docker running?'}));
    const attempts = engine.calls.filter(call => call === 'info').length;
    await eventually(() => expect(engine.calls.filter(call => call === 'info').length).toBeGreaterThan(attempts + 1));
    engine.failure = undefined;
    await eventually(() => expect(mirror.snapshot().connection.state).toBe('connected'));
  });
});

describe('live sync ordering', () => {
  it('never lets an older answer overwrite a newer one: refreshes run one at a time', async () => {
    const engine = new FakeEngine();
    const web = fakeContainer('web');
    engine.containers = [web];
    const mirror = new EngineMirror();
    const sync = startLiveSync(engine, mirror, {coalesceMs: 1, backoffMs: [20]});
    try {
      await eventually(() => expect(mirror.snapshot().hasLoaded).toBe(true));
      // The first refresh answers slowly with the state of its time; the second quickly with the newer one.
      const original = engine.listContainers.bind(engine);
      let calls = 0;
      engine.listContainers = async (o?: {ids?: readonly string[]}) => {
        calls++;
        const answer = await original(o);
        if (calls === 1) {
          await new Promise(resolve => setTimeout(resolve, 80));
        }

        return answer;
      };

      engine.emit({type: 'container', action: 'kill', id: web.id});
      await new Promise(resolve => setTimeout(resolve, 10));
      engine.containers = [{...web, state: 'exited'}];
      engine.emit({type: 'container', action: 'die', id: web.id});
      await eventually(() => expect(calls).toBe(2));
      await new Promise(resolve => setTimeout(resolve, 150));
      expect(mirror.snapshot().containers[0]?.state).toBe('exited');
    } finally {
      sync.stop();
    }
  });
});

/**
 * Runs `check` against one loaded container, `web`, under a sync that lists it again 50 ms after
 * an event about it (so a list that lags the event is caught up); stops the sync afterwards.
 */
async function withLaggingList(check: (fixture: {engine: FakeEngine; mirror: EngineMirror; web: ContainerSummary}) => Promise<void>): Promise<void> {
  const engine = new FakeEngine();
  const web = fakeContainer('web');
  engine.containers = [web];
  const mirror = new EngineMirror();
  const sync = startLiveSync(engine, mirror, {coalesceMs: 1, confirmMs: 50, backoffMs: [20]});
  try {
    await eventually(() => expect(mirror.snapshot().hasLoaded).toBe(true));
    await check({engine, mirror, web});
  } finally {
    sync.stop();
  }
}

describe('live sync and a list that lags its events', () => {
  it('lists the container again shortly after a state change, so a stale answer does not stay', async () => {
    await withLaggingList(async ({engine, mirror, web}) => {
      // The engine says "die" while its list still says running; a moment later the list catches up.
      engine.emit({type: 'container', action: 'die', id: web.id});
      await new Promise(resolve => setTimeout(resolve, 20));
      expect(mirror.snapshot().containers[0]?.state).toBe('running');
      engine.containers = [{...web, state: 'exited'}];
      await eventually(() => expect(mirror.snapshot().containers[0]?.state).toBe('exited'), 1000);
    });
  });
});

describe('live sync and a network connect the list shows late', () => {
  it('lists the container again after connect, so its new network appears', async () => {
    await withLaggingList(async ({engine, mirror, web}) => {
      engine.emit({type: 'network', action: 'connect', id: 'net-app', attributes: {container: web.id}});
      await new Promise(resolve => setTimeout(resolve, 20));
      engine.containers = [{...web, networks: [...web.networks, {name: 'app', networkId: 'net-app', ipv4: '10.0.0.2', gateway: '', mac: '', aliases: [], links: []}]}];
      await eventually(() => expect(mirror.snapshot().containers[0]?.networks.map(n => n.name)).toContain('app'), 1000);
    });
  });
});
