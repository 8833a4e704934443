import {Readable} from 'node:stream';
import {describe, expect, it} from 'vitest';
import type {CreateContainerSpec, EnginePort, ExecResult} from '../../source/engine/port.js';
import type {ListedEntry} from '../../source/jobs/volume-archive/format/manifest.js';
import {withVolumeLister} from '../../source/jobs/volume-archive/volume/helper-lister.js';

const listing = '41ed 0 0 4096 1262304000 100 2 .\n81a4 0 0 1 1 105 1 ./a\n--hawser-links--\n--hawser-end-- 2 0\n';
const expected: ListedEntry[] = [];

type Behaviour = {readonly exec?: () => Promise<ExecResult>; readonly images?: string[]; readonly logs?: string};

/** An engine that records what the lister asks of it: creates (with their bodies), starts, execs, removals. */
function scriptedEngine(behaviour: Behaviour) {
  const calls: string[] = [];
  const created: CreateContainerSpec[] = [];
  const commands: (readonly string[])[] = [];
  const engine = {
    async listImages() {
      return [{id: 'sha256:1', tags: behaviour.images ?? ['busybox:latest'], size: 1}];
    },
    async listContainers() {
      return [];
    },
    async createContainer(spec: CreateContainerSpec) {
      created.push(spec);
      calls.push(`create ${created.length}`);
      return {id: `c${created.length}`, warnings: []};
    },
    // The image probe looks for /bin/sh in a created container.
    async getArchive() {
      return Readable.from([]);
    },
    async startContainer(id: string) {
      calls.push(`start ${id}`);
    },
    async exec(id: string, cmd: readonly string[]) {
      calls.push(`exec ${id}`);
      commands.push(cmd);
      // The helper's end may kill the exec (137): its printed status counts.
      return behaviour.exec ? behaviour.exec() : {exitCode: 137, stdout: `${listing}--hawser-status-- 0\n`, stderr: ''};
    },
    async waitContainer(id: string) {
      calls.push(`wait ${id}`);
      return {exitCode: 0};
    },
    async containerLogs() {
      return behaviour.logs ?? listing;
    },
    async removeContainer(id: string) {
      calls.push(`remove ${id}`);
    },
  };
  return {engine: engine as unknown as EnginePort, calls, created, commands};
}

const signal = new AbortController().signal;
const listers = (created: CreateContainerSpec[]) => created.filter(spec => (spec.name ?? '').includes('volume-list'));

describe('the listing helper a restore prepares beside its write', () => {
  it('is created while the write runs, started when told, asked by one exec, and removed at the end', async () => {
    const {engine, calls, created} = scriptedEngine({});
    const listed = await withVolumeLister(engine, 'data', signal, async lister => {
      // The write: the helper is made meanwhile, not started.
      await new Promise(resolve => setTimeout(resolve, 20));
      expect(calls.filter(call => call.startsWith('start'))).toEqual([]);
      lister.start();
      return lister.list(expected, signal);
    });
    expect(listed?.wasReady).toBe(true);
    expect(listed?.entries.map(entry => entry.path)).toEqual(['.', 'a']);
    const [helper] = listers(created);
    const hostConfig = helper!['HostConfig'] as Record<string, unknown>;
    expect(hostConfig['Mounts']).toEqual([{Type: 'volume', Source: 'data', Target: '/vol', ReadOnly: true}]);
    expect(hostConfig['CapDrop']).toEqual(['ALL']);
    expect(hostConfig['NetworkMode']).toBe('none');
    const id = `c${created.indexOf(helper!) + 1}`;
    expect(calls.filter(call => call.endsWith(` ${id}`))).toEqual([`start ${id}`, `exec ${id}`, `remove ${id}`]);
  });

  it('lists with a helper of its own when the prepared one cannot run the listing', async () => {
    const {engine, calls, created} = scriptedEngine({exec: async () => Promise.reject(new Error('container is not running'))});
    const listed = await withVolumeLister(engine, 'data', signal, async lister => lister.list(expected, signal));
    expect(listed?.wasReady).toBe(false);
    expect(listed?.entries).toHaveLength(2);
    expect(listers(created)).toHaveLength(2);
    // Every helper made is removed.
    const made = calls.filter(call => call.startsWith('create')).length;
    expect(calls.filter(call => call.startsWith('remove'))).toHaveLength(made);
  });

  it('gives no listing (the volume is read back) when the listing wrote to stderr, failed, or was cut short', async () => {
    const ok = `${listing}--hawser-status-- 0\n`;
    for (const result of [
      {exitCode: 0, stdout: ok, stderr: 'find: ./x: Permission denied\n'},
      {exitCode: 0, stdout: `${listing}--hawser-status-- 1\n`, stderr: ''},
      // No status line: the exec was cut short.
      {exitCode: 0, stdout: listing, stderr: ''},
    ]) {
      const {engine, created} = scriptedEngine({exec: async () => result});
      expect(await withVolumeLister(engine, 'data', signal, async lister => lister.list(expected, signal))).toBeUndefined();
      expect(listers(created)).toHaveLength(1);
    }
  });

  it('makes no helper without an image that has a shell, and removes its helper when the write fails', async () => {
    const none = scriptedEngine({images: ['postgres:16']});
    expect(await withVolumeLister(none.engine, 'data', signal, async lister => lister.list(expected, signal))).toBeUndefined();
    expect(none.created).toEqual([]);

    const failing = scriptedEngine({});
    await expect(withVolumeLister(failing.engine, 'data', signal, async () => {
      await new Promise(resolve => setTimeout(resolve, 20));
      throw new Error('write failed');
    })).rejects.toThrow('write failed');
    const made = failing.calls.filter(call => call.startsWith('create')).length;
    expect(made).toBeGreaterThan(0);
    expect(failing.calls.filter(call => call.startsWith('remove'))).toHaveLength(made);
  });

  describe('with a root to set (the engine skips an archive\'s root entry)', () => {
    const attributes = {mode: 0o2750, uid: 999, gid: 998, mtime: 1_600_000_000.7};
    const rootToSet = () => {
      const puts: string[] = [];
      return {puts, root: {attributes, put: async () => {
        puts.push('put');
      }}};
    };

    it('sets it in the exec that lists, from a helper that may write the root and nothing else, and puts nothing', async () => {
      const {engine, calls, created, commands} = scriptedEngine({});
      const {puts, root} = rootToSet();
      const listed = await withVolumeLister(engine, 'data', signal, async lister => {
        lister.start();
        return lister.list(expected, signal);
      }, root);
      expect(listed?.wasReady).toBe(true);
      expect(puts).toEqual([]);
      const hostConfig = listers(created)[0]!['HostConfig'] as Record<string, unknown>;
      expect(hostConfig['Mounts']).toEqual([{Type: 'volume', Source: 'data', Target: '/vol', ReadOnly: false}]);
      expect(hostConfig['CapDrop']).toEqual(['ALL']);
      expect(hostConfig['CapAdd']).toEqual(['DAC_OVERRIDE', 'CHOWN', 'FOWNER', 'FSETID']);
      const [command] = commands;
      // The script (set the root, then list), then its arguments: uid, gid, octal mode, whole seconds.
      expect(command!.slice(-4)).toEqual(['999', '998', '2750', '1600000000']);
      expect(command!.at(-5)).toMatch(/^chown "\$1:\$2" \/vol && chmod "\$3" \/vol && touch -d "@\$4" \/vol \|\| exit 8\n[^]*find \. -exec stat/);
      const id = `c${created.indexOf(listers(created)[0]!) + 1}`;
      expect(calls.filter(call => call.endsWith(` ${id}`))).toEqual([`start ${id}`, `exec ${id}`, `remove ${id}`]);
    });

    it('puts it another way, then lists with a helper of its own, when the exec could not set it or could not run', async () => {
      for (const exec of [
        async () => ({exitCode: 0, stdout: '--hawser-status-- 8\n', stderr: 'chown: /vol: Operation not permitted\n'}),
        // The inner shell could not run the script at all, or was killed: the set-root line may never have run.
        async () => ({exitCode: 0, stdout: '--hawser-status-- 127\n', stderr: 'sh: not found\n'}),
        async () => ({exitCode: 0, stdout: '--hawser-status-- 137\n', stderr: ''}),
        // Cut short before its status line.
        async () => ({exitCode: 137, stdout: '41ed 0 0 4096 1 1 2 .\n', stderr: ''}),
        async () => Promise.reject(new Error('container is not running')),
      ]) {
        const {engine, created} = scriptedEngine({exec});
        const {puts, root} = rootToSet();
        const listed = await withVolumeLister(engine, 'data', signal, async lister => lister.list(expected, signal), root);
        expect(puts).toEqual(['put']);
        expect(listed?.wasReady).toBe(false);
        expect(listed?.entries).toHaveLength(2);
        // The helper of its own only reads.
        expect((listers(created)[1]!['HostConfig'] as Record<string, unknown>)['Mounts']).toEqual([{Type: 'volume', Source: 'data', Target: '/vol', ReadOnly: true}]);
      }
    });

    it('does not put it again when the script set it and then refused to list (the caller reads the volume back)', async () => {
      const {engine} = scriptedEngine({exec: async () => ({exitCode: 0, stdout: '--hawser-status-- 6\n', stderr: ''})});
      const {puts, root} = rootToSet();
      expect(await withVolumeLister(engine, 'data', signal, async lister => lister.list(expected, signal), root)).toBeUndefined();
      expect(puts).toEqual([]);
    });

    it('puts it when no image has a shell (the caller then reads the volume back)', async () => {
      const {engine, created} = scriptedEngine({images: ['postgres:16']});
      const {puts, root} = rootToSet();
      expect(await withVolumeLister(engine, 'data', signal, async lister => lister.list(expected, signal), root)).toBeUndefined();
      expect(puts).toEqual(['put']);
      expect(created).toEqual([]);
    });
  });
});
