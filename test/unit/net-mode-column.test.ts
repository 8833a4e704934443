// The containers panel's NET MODE column after live network-mode switches: from the list alone where
// it can tell, from the inspected document (by currentMode's own rules) where only that can, and the
// live sync inspecting just those few containers, again after a connect or disconnect.
import {afterEach, describe, expect, it} from 'vitest';
import type {ContainerNetwork, ContainerSummary} from '../../source/engine/types.js';
import {currentMode, primaryMarker} from '../../source/model/network-modes.js';
import {containersKind, displayNetworkMode, needsInspectedMode, networksKey} from '../../source/resources/containers.js';
import {buildIndex} from '../../source/resources/resource-index.js';
import type {InspectedMode} from '../../source/resources/kind.js';
import {EngineMirror} from '../../source/state/engine-mirror.js';
import {inspectModesOnce} from '../../source/state/inspected-modes.js';
import {startLiveSync, type LiveSync} from '../../source/state/live-sync.js';
import {FakeEngine, eventually, fakeContainer} from '../helpers/fake-engine.js';

function on(...names: string[]): ContainerNetwork[] {
  return names.map((name, i) => ({name, networkId: `net-${name}`, ipv4: `10.0.${i}.2`, gateway: '', mac: '', aliases: [], links: []}));
}

/** A container configured with `networkMode` and attached to `networks`. */
function container(name: string, networkMode: string, networks: readonly string[]): ContainerSummary {
  return fakeContainer(name, {networkMode, networks: on(...networks)});
}

/** The inspected document of `c`, with the live switch's marker on `marked`. */
function inspected(c: ContainerSummary, marked?: string) {
  const endpoints = Object.fromEntries(c.networks.map(n => [n.name, {DriverOpts: n.name === marked ? {[primaryMarker]: '1'} : null}]));
  return {
    ...c, env: [], cmd: [], entrypoint: [], hostname: 'h', restartPolicy: 'no', restartCount: 0, isRunning: true, isRestarting: false, legacyLinks: [], imageId: 'i',
    raw: {HostConfig: {NetworkMode: c.networkMode}, NetworkSettings: {Networks: endpoints}},
  };
}

const column = (c: ContainerSummary, all: readonly ContainerSummary[] = [c], modes?: ReadonlyMap<string, InspectedMode>) => {
  const index = buildIndex(all, undefined, modes);
  return containersKind.columns.find(col => col.title === 'NET MODE')!.cell(c, index);
};

describe('NET MODE from the list alone', () => {
  it('is the configured network while it is attached, also beside others, without an inspect', () => {
    const plain = container('plain', 'default', ['bridge']);
    expect(column(plain)).toBe('bridge');
    expect(needsInspectedMode(plain)).toBe(false);
    const compose = container('compose', 'appnet', ['backend', 'appnet', 'zeta']);
    expect(column(compose)).toBe('appnet');
    expect(needsInspectedMode(compose)).toBe(false);
    const withExtra = container('extra', 'bridge', ['bridge', 'appnet']);
    expect(column(withExtra)).toBe('bridge');
    expect(needsInspectedMode(withExtra)).toBe(false);
  });

  it('is host, none or the parent\'s name for those modes, whatever else the list says', () => {
    const parent = container('parent', 'bridge', ['bridge']);
    const child = container('child', `container:${parent.id}`, []);
    const host = container('hostnet', 'host', ['host']);
    const none = container('isolated', 'none', ['none']);
    expect(column(child, [parent, child])).toBe('container:parent');
    expect(column(host)).toBe('host');
    expect(column(none)).toBe('none');
    for (const c of [child, host, none]) {
      expect(needsInspectedMode(c)).toBe(false);
    }
  });

  it('is the one attached network when the configured one is gone (the live switch bridge → appnet)', () => {
    const switched = container('switched', 'bridge', ['appnet']);
    expect(column(switched)).toBe('appnet');
    expect(needsInspectedMode(switched)).toBe(false);
    const back = container('back', 'appnet', ['bridge']);
    expect(column(back)).toBe('bridge');
  });

  it('is none for a container detached from every network, as the details pane says', () => {
    const detached = container('detached', 'bridge', []);
    expect(column(detached)).toBe('none');
    expect(needsInspectedMode(detached)).toBe(false);
    expect(column(detached)).toBe(currentMode(inspected(detached)));
  });
});

describe('NET MODE where only the inspected document can tell', () => {
  it('needs the inspect when the configured network is gone and 2+ are attached, and then shows currentMode of it', () => {
    // bridge → zeta live, while also on alpha: the marker on zeta decides; the list would guess alpha.
    const c = container('multi', 'bridge', ['alpha', 'zeta']);
    expect(needsInspectedMode(c)).toBe(true);
    const details = inspected(c, 'zeta');
    const modes = new Map([[c.id, {mode: currentMode(details), networks: networksKey(details.networks)}]]);
    expect(column(c, [c], modes)).toBe('zeta');
    expect(displayNetworkMode(c, buildIndex([c], undefined, modes))).toBe(currentMode(details));
    expect(containersKind.searchText(c, buildIndex([c], undefined, modes))).toContain('zeta');
  });

  it('needs it when the configured network is back beside others after the container was seen off it', () => {
    // Switched bridge → appnet live (marked), then bridge attached again as an extra network.
    const c = container('reattached', 'bridge', ['appnet', 'bridge']);
    expect(needsInspectedMode(c)).toBe(false);
    expect(needsInspectedMode(c, true)).toBe(true);
    const details = inspected(c, 'appnet');
    expect(column(c, [c], new Map([[c.id, {mode: currentMode(details), networks: networksKey(details.networks)}]]))).toBe('appnet');
  });

  it('ignores an inspected mode read with other networks than the row has now (stale), until inspected again', () => {
    const c = container('multi', 'bridge', ['alpha', 'zeta']);
    const stale = new Map([[c.id, {mode: 'zeta', networks: networksKey(on('alpha', 'zeta', 'omega'))}]]);
    // What the list says meanwhile: currentMode's rules without the marker.
    expect(column(c, [c], stale)).toBe(currentMode(inspected(c)));
    expect(column(c, [c], stale)).toBe('alpha');
  });
});

/** A fake engine whose inspect carries the configured mode and a live switch's marker. */
class MarkingEngine extends FakeEngine {
  marked = new Map<string, string>();
  inspected: string[] = [];
  override async inspectContainer(id: string) {
    this.inspected.push(id);
    await super.inspectContainer(id);
    const c = this.containers.find(item => item.id === id)!;
    return inspected(c, this.marked.get(id));
  }
}

describe('the live sync\'s inspected modes', () => {
  let sync: LiveSync | undefined;
  afterEach(() => sync?.stop());

  it('inspects only the containers the list cannot tell, once, and again after a connect or disconnect', async () => {
    const engine = new MarkingEngine();
    const ambiguous = container('multi', 'bridge', ['alpha', 'zeta']);
    engine.containers = [ambiguous, container('plain', 'default', ['bridge']), container('switched', 'bridge', ['appnet']), container('compose', 'appnet', ['appnet', 'backend'])];
    engine.marked.set(ambiguous.id, 'zeta');
    const mirror = new EngineMirror();
    sync = startLiveSync(engine, mirror, {coalesceMs: 1, confirmMs: 20, backoffMs: [20]});
    const shown = () => {
      const {containers, index} = mirror.snapshot();
      return Object.fromEntries(containers.map(c => [c.name, displayNetworkMode(c, index)]));
    };

    await eventually(() => expect(shown()).toEqual({multi: 'zeta', plain: 'bridge', switched: 'appnet', compose: 'appnet'}));
    expect(engine.inspected).toEqual([ambiguous.id]);

    // Switched live zeta → alpha: marker moves, networks stay the same set for a moment.
    engine.marked.set(ambiguous.id, 'alpha');
    engine.emit({type: 'network', action: 'connect', id: 'net-alpha', attributes: {container: ambiguous.id}});
    await eventually(() => expect(shown()['multi']).toBe('alpha'));
    expect(engine.inspected.length).toBeGreaterThanOrEqual(2);
    expect(new Set(engine.inspected)).toEqual(new Set([ambiguous.id]));

    // A destroyed container is forgotten.
    engine.containers = engine.containers.filter(c => c.id !== ambiguous.id);
    engine.emit({type: 'container', action: 'destroy', id: ambiguous.id});
    await eventually(() => expect(mirror.snapshot().index.inspectedModes?.has(ambiguous.id) ?? false).toBe(false));
  });

  it('inspects a container whose configured network comes back beside the marked one', async () => {
    const engine = new MarkingEngine();
    const c = container('web', 'bridge', ['appnet']);
    engine.containers = [c];
    engine.marked.set(c.id, 'appnet');
    const mirror = new EngineMirror();
    sync = startLiveSync(engine, mirror, {coalesceMs: 1, confirmMs: 20, backoffMs: [20]});
    await eventually(() => expect(mirror.snapshot().hasLoaded).toBe(true));
    const {containers, index} = mirror.snapshot();
    expect(displayNetworkMode(containers[0]!, index)).toBe('appnet');
    expect(engine.inspected).toEqual([]);

    engine.containers = [{...c, networks: on('appnet', 'bridge')}];
    engine.emit({type: 'network', action: 'connect', id: 'net-bridge', attributes: {container: c.id}});
    await eventually(() => {
      const now = mirror.snapshot();
      expect(displayNetworkMode(now.containers[0]!, now.index)).toBe('appnet');
      expect(new Set(engine.inspected)).toEqual(new Set([c.id]));
    });
  });

  it('learns from the details pane\'s inspect what a fresh start cannot know: the marked network beside the configured one', async () => {
    const engine = new MarkingEngine();
    // Switched live to appnet, then bridge put back while hawser was not running: the list alone says bridge.
    const c = container('web', 'bridge', ['appnet', 'bridge']);
    engine.containers = [c];
    engine.marked.set(c.id, 'appnet');
    const mirror = new EngineMirror();
    sync = startLiveSync(engine, mirror, {coalesceMs: 1, confirmMs: 20, backoffMs: [20]});
    await eventually(() => expect(mirror.snapshot().hasLoaded).toBe(true));
    const shownNow = () => displayNetworkMode(mirror.snapshot().containers[0]!, mirror.snapshot().index);
    expect(shownNow()).toBe('bridge');
    expect(engine.inspected).toEqual([]);

    sync.noteInspected(await engine.inspectContainer(c.id));
    await eventually(() => expect(shownNow()).toBe('appnet'));
    // A later row of the same container keeps it (it is followed from now on).
    engine.emit({type: 'container', action: 'rename', id: c.id});
    await new Promise(resolve => setTimeout(resolve, 60));
    expect(shownNow()).toBe('appnet');

    // An inspect that agrees with the list teaches nothing and inspects nothing more.
    const plain = container('plain', 'default', ['bridge']);
    engine.containers = [c, plain];
    sync.noteInspected(await engine.inspectContainer(plain.id));
    await new Promise(resolve => setTimeout(resolve, 30));
    expect(mirror.snapshot().index.inspectedModes?.has(plain.id) ?? false).toBe(false);
  });

  it('hawser ls inspects the same few, once each', async () => {
    const engine = new MarkingEngine();
    const ambiguous = container('multi', 'bridge', ['alpha', 'zeta']);
    engine.containers = [ambiguous, container('plain', 'default', ['bridge']), container('switched', 'bridge', ['appnet'])];
    engine.marked.set(ambiguous.id, 'zeta');
    const modes = await inspectModesOnce(engine, engine.containers);
    expect(engine.inspected).toEqual([ambiguous.id]);
    expect(column(ambiguous, engine.containers, modes)).toBe('zeta');
  });
});
