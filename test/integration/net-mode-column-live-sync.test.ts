// The containers panel's NET MODE column after live network-mode switches on the real engine: its
// list keeps the configured NetworkMode and has no endpoint options (where the switch marks the new
// primary network), so the column comes from the list where that can tell, and from an inspect of
// just the containers where it cannot, followed by the live sync through the engine's events.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {EnginePort} from '../../source/engine/port.js';
import {runToEnd} from '../../source/jobs/job.js';
import {prepareNetworkModeSwitch} from '../../source/jobs/network-mode/switch.js';
import {displayNetworkMode, needsInspectedMode} from '../../source/resources/containers.js';
import {buildIndex} from '../../source/resources/resource-index.js';
import {EngineMirror} from '../../source/state/engine-mirror.js';
import {inspectModesOnce} from '../../source/state/inspected-modes.js';
import {startLiveSync, type LiveSync} from '../../source/state/live-sync.js';
import {eventually} from '../helpers/fake-engine.js';
import {noEngine, removeByPrefix, runBusybox, testEngine, testLabel, uniqueName} from '../helpers/engine.js';

describe.skipIf(noEngine)('NET MODE after live switches', () => {
  const prefix = uniqueName('hwt-nmc');
  // Named so that the list's guess without the marker (the first attached network by name) is wrong.
  const side = `${prefix}-a-side`;
  const target = `${prefix}-z-app`;
  const single = `${prefix}-single`;
  const multi = `${prefix}-multi`;
  let engine: EnginePort;
  let sync: LiveSync | undefined;
  let mirror: EngineMirror;
  /** Ids the live sync inspected. */
  const inspectedBySync: string[] = [];

  beforeAll(async () => {
    engine = testEngine();
    await engine.createNetwork({name: side, driver: 'bridge', labels: {[testLabel]: '1'}});
    await engine.createNetwork({name: target, driver: 'bridge', labels: {[testLabel]: '1'}});
    await runBusybox(engine, single, 'sleep 100000', {HostConfig: {NetworkMode: 'bridge'}});
    const id = await runBusybox(engine, multi, 'sleep 100000', {HostConfig: {NetworkMode: 'bridge'}});
    await engine.connectNetwork(side, id, {});
    const counting: EnginePort = Object.create(engine, {inspectContainer: {value: async (...args: Parameters<EnginePort['inspectContainer']>) => {
      inspectedBySync.push(args[0]);
      return engine.inspectContainer(...args);
    }}});
    mirror = new EngineMirror();
    sync = startLiveSync(counting, mirror, {backoffMs: [100, 200]});
    await eventually(() => expect(mirror.snapshot().hasLoaded).toBe(true), 10_000);
  });

  afterAll(async () => {
    sync?.stop();
    await removeByPrefix(engine, prefix);
  });

  async function switchLive(name: string, mode: string): Promise<void> {
    const prepared = await prepareNetworkModeSwitch(engine, name, mode);
    expect(prepared.summary.method).toBe('live');
    expect((await runToEnd(prepared.job, engine)).at(-1)?.type).toBe('done');
  }

  /** The column as `hawser ls containers` computes it: the engine's list now, plus the inspects it needs. */
  async function columnNow(name: string): Promise<string> {
    const list = await engine.listContainers();
    const index = buildIndex(list, undefined, await inspectModesOnce(engine, list));
    return displayNetworkMode(list.find(c => c.name === name)!, index);
  }

  /** The column the TUI shows, once the live sync has followed the engine's events. */
  async function columnShown(name: string, expected: string): Promise<void> {
    await eventually(() => {
      const {containers, index} = mirror.snapshot();
      const row = containers.find(c => c.name === name);
      expect(row && displayNetworkMode(row, index)).toBe(expected);
    }, 10_000);
  }

  it('shows the new network after bridge → network on one network, from the list alone, and bridge after switching back', async () => {
    // Nothing inspected at startup: each row's configured network is attached.
    expect(inspectedBySync).toEqual([]);
    await switchLive(single, target);
    const row = (await engine.listContainers()).find(c => c.name === single)!;
    // What the engine's list says: still configured bridge, attached to the target only.
    expect(row.networkMode).toBe('bridge');
    expect(row.networks.map(n => n.name)).toEqual([target]);
    expect(needsInspectedMode(row)).toBe(false);
    expect(await columnNow(single)).toBe(target);
    await columnShown(single, target);
    expect(inspectedBySync).toEqual([]);

    // On the way back it is on bridge and the marked network for a moment, which the sync may inspect.
    await switchLive(single, 'bridge');
    expect(await columnNow(single)).toBe('bridge');
    await columnShown(single, 'bridge');
  });

  it('shows the marked network of a container on several, by inspecting just that one, and bridge after switching back', async () => {
    // The preview says that its other network stays.
    expect((await prepareNetworkModeSwitch(engine, multi, target)).preview.steps).toContain(`It stays on ${side} as well (only its main network changes)`);
    await switchLive(multi, target);
    const row = (await engine.listContainers()).find(c => c.name === multi)!;
    expect(row.networkMode).toBe('bridge');
    expect(row.networks.map(n => n.name).sort()).toEqual([side, target]);
    // The list has no endpoint options: the marker is invisible there, so the list alone would say the side network.
    expect(row.networks).toHaveLength(2);
    expect(needsInspectedMode(row)).toBe(true);
    expect(displayNetworkMode(row, buildIndex([row]))).toBe(side);
    expect(await columnNow(multi)).toBe(target);
    await columnShown(multi, target);

    await switchLive(multi, 'bridge');
    expect(await columnNow(multi)).toBe('bridge');
    await columnShown(multi, 'bridge');
  });

  it('keeps the marked network when the configured bridge is attached again beside it', async () => {
    await switchLive(multi, target);
    await columnShown(multi, target);
    const id = (await engine.inspectContainer(multi)).id;
    await engine.connectNetwork('bridge', id, {});
    // The sync saw it off bridge, so it inspects again: the switch's target stays its mode, as the details pane says.
    await eventually(() => {
      const {containers, index} = mirror.snapshot();
      const row = containers.find(c => c.name === multi)!;
      expect(row.networks.map(n => n.name).sort()).toEqual(['bridge', side, target].sort());
      expect(displayNetworkMode(row, index)).toBe(target);
    }, 10_000);

    await switchLive(multi, 'bridge');
    expect(await columnNow(multi)).toBe('bridge');
    await columnShown(multi, 'bridge');
    expect(inspectedBySync).toContain(id);
  });
});
