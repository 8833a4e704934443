// An event storm: a few hundred containers created, started, renamed and removed in a few seconds
// (far more events than the 256 the engine keeps) while the live sync follows. Once it settles, the
// mirror must hold exactly what the engine lists: the same containers, names and states.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {EnginePort} from '../../source/engine/port.js';
import type {ContainerSummary} from '../../source/engine/types.js';
import {EngineMirror} from '../../source/state/engine-mirror.js';
import {startLiveSync, type LiveSync} from '../../source/state/live-sync.js';
import {busyboxImage} from '../../source/sandbox/test-image.js';
import {eventually} from '../helpers/fake-engine.js';
import {noEngine, removeByPrefix, testEngine, testLabel, uniqueName} from '../helpers/engine.js';

/** Runs `work` over `items`, `width` at a time. */
async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({length: width}, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      await work(item);
    }
  }));
}

function view(containers: readonly ContainerSummary[]): string[] {
  return containers.map(c => `${c.id} ${c.name} ${c.state}`).sort();
}

describe.skipIf(noEngine)('event storm', () => {
  const prefix = uniqueName('hwt-storm');
  let engine: EnginePort;
  let sync: LiveSync | undefined;

  beforeAll(() => {
    engine = testEngine();
  });

  afterAll(async () => {
    sync?.stop();
    await removeByPrefix(engine, prefix);
  });

  it('ends up exactly matching the engine after hundreds of containers come and go', {timeout: 150_000}, async () => {
    const mirror = new EngineMirror();
    sync = startLiveSync(engine, mirror, {backoffMs: [100, 200]});
    await eventually(() => expect(mirror.snapshot().connection.state).toBe('connected'), 10_000);

    const count = 120;
    const ids: string[] = [];
    await inParallel(Array.from({length: count}, (_, i) => i), 24, async i => {
      // No network: starting is then cheap enough for a storm on two cores.
      const {id} = await engine.createContainer({name: `${prefix}-${i}`, Image: busyboxImage, Cmd: ['sleep', '100000'], StopSignal: 'SIGKILL', Labels: {[testLabel]: '1'}, HostConfig: {NetworkMode: 'none'}});
      ids[i] = id;
      if (i % 5 === 2) {
        await engine.startContainer(id);
      }
    });
    // While the first wave is still being reported: rename some, stop some, remove most.
    await inParallel(ids.map((id, i) => ({id, i})), 24, async ({id, i}) => {
      if (i % 10 === 1) {
        await engine.renameContainer(id, `${prefix}-renamed-${i}`);
      } else if (i % 10 === 7) {
        await engine.stopContainer(id, {timeoutSeconds: 0});
      } else if (i % 10 >= 3 && i % 10 !== 7) {
        await engine.removeContainer(id, {force: true});
      }
    });

    // Everything left: some created, some running, some exited, some renamed. The engine's own list is the truth.
    await eventually(async () => {
      const truth = await engine.listContainers();
      expect(view(mirror.snapshot().containers)).toEqual(view(truth));
    }, 30_000);
    const mine = mirror.snapshot().containers.filter(c => c.name.startsWith(prefix));
    expect(mine).toHaveLength(count * 4 / 10);
    expect(mine.filter(c => c.name.includes('-renamed-'))).toHaveLength(count / 10);
    expect(new Set(mine.map(c => c.state))).toEqual(new Set(['created', 'running', 'exited']));
    expect(mirror.snapshot().connection.state).toBe('connected');
  });
});
