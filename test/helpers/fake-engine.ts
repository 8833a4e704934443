// An in-memory EnginePort for fast unit and UI tests. It never stands in for the proof against a
// real engine: every capability also has an integration test on the isolated engine.
import type {EnginePort, FollowLogsOptions} from '../../source/engine/port.js';
import {EngineError} from '../../source/engine/errors.js';
import type {ContainerSummary, EngineEvent, EngineInfo, NetworkSummary, PullProgress, VolumeSummary} from '../../source/engine/types.js';

/** A container summary with defaults. */
export function fakeContainer(name: string, extra: Partial<ContainerSummary> = {}): ContainerSummary {
  return {
    id: `${name.padEnd(12, '0')}${'f'.repeat(52)}`.slice(0, 64),
    name,
    image: 'busybox:latest',
    state: 'running',
    status: 'Up 2 minutes',
    created: 1,
    networkMode: 'default',
    networks: [{name: 'bridge', networkId: 'net-bridge', ipv4: '172.17.0.2', gateway: '172.17.0.1', mac: '02:42:ac:11:00:02', aliases: [], links: []}],
    ports: [],
    mounts: [],
    labels: {},
    linkedFrom: [],
    ...extra,
  };
}

/** A network summary with defaults. */
export function fakeNetwork(name: string, extra: Partial<NetworkSummary> = {}): NetworkSummary {
  return {id: `net-${name}`, name, driver: 'bridge', scope: 'local', isInternal: false, isAttachable: false, ipam: [], options: {}, labels: {}, created: '', ...extra};
}

/** A volume summary with defaults. */
export function fakeVolume(name: string, extra: Partial<VolumeSummary> = {}): VolumeSummary {
  return {name, driver: 'local', mountpoint: `/var/lib/docker/volumes/${name}/_data`, scope: 'local', labels: {}, ...extra};
}

const info: EngineInfo = {version: '99.0.0-fake', apiVersion: '1.99', engineApiVersion: '1.99', os: 'linux', name: 'fake', isIpv4ForwardingOn: true, warnings: [], securityOptions: [], isSwarmManager: false, operatingSystem: 'Fake OS', systemTime: 1000};

/** A fake engine whose lists tests change, and whose event stream tests feed. */
export class FakeEngine implements EnginePort {
  address = 'unix:///fake.sock';
  containers: ContainerSummary[] = [];
  networks: NetworkSummary[] = [];
  volumes: VolumeSummary[] = [];
  env: Record<string, string[]> = {};
  /** When set, every request fails with this error. */
  failure?: EngineError;
  /** Requests made, by method name. */
  calls: string[] = [];
  /** `since` of each events() call. */
  eventSince: (number | undefined)[] = [];
  private readonly subscribers = new Set<(event: EngineEvent | Error) => void>();

  private check(method: string): void {
    this.calls.push(method);
    if (this.failure) {
      throw this.failure;
    }
  }

  /** Delivers an event to open streams. */
  emit(event: Partial<EngineEvent> & {type: string; action: string}): void {
    for (const subscriber of this.subscribers) {
      subscriber({id: '', attributes: {}, timeNano: Date.now() * 1e6, ...event});
    }
  }

  /** Breaks open event streams, as a dropped connection would. */
  dropStreams(): void {
    for (const subscriber of this.subscribers) {
      subscriber(new Error('socket hang up'));
    }
  }

  async ping() { this.check('ping'); }
  async info() { this.check('info'); return info; }
  async listContainers(o?: {ids?: readonly string[]}) {
    this.check('listContainers');
    return o?.ids ? this.containers.filter(c => o.ids!.includes(c.id)) : [...this.containers];
  }

  async inspectContainer(id: string) {
    this.check('inspectContainer');
    const c = this.containers.find(item => item.id === id || item.name === id);
    if (!c) throw new EngineError('No such container', '', 404);
    return {...c, env: this.env[c.name] ?? [], cmd: ['sleep', '1000'], entrypoint: [], hostname: c.id.slice(0, 12), restartPolicy: 'no', restartCount: 0, isRunning: c.state === 'running', isRestarting: false, legacyLinks: [], imageId: 'sha256:abc', raw: {}};
  }

  async listNetworks() { this.check('listNetworks'); return [...this.networks]; }
  async inspectNetwork(id: string) {
    this.check('inspectNetwork');
    const n = this.networks.find(item => item.id === id || item.name === id);
    if (!n) throw new EngineError('No such network', '', 404);
    return {...n, members: this.containers.filter(c => c.networks.some(cn => cn.name === n.name)).map(c => ({containerId: c.id, name: c.name, ipv4: c.networks.find(cn => cn.name === n.name)?.ipv4 ?? '', mac: ''}))};
  }

  async listVolumes() { this.check('listVolumes'); return [...this.volumes]; }
  async inspectVolume(name: string) {
    this.check('inspectVolume');
    const volume = this.volumes.find(v => v.name === name);
    if (!volume) throw new EngineError('No such volume', '', 404);
    return volume;
  }
  async volumeUsage() { this.check('volumeUsage'); return this.volumes.map(v => ({name: v.name, size: 4096, refCount: 0})); }
  async listImages() { this.check('listImages'); return []; }

  events(o: {signal?: AbortSignal; since?: number}): AsyncIterable<EngineEvent> {
    this.check('events');
    this.eventSince.push(o.since);
    const queue: (EngineEvent | Error)[] = [];
    let wake: (() => void) | undefined;
    const subscriber = (event: EngineEvent | Error) => {
      queue.push(event);
      wake?.();
    };

    this.subscribers.add(subscriber);
    const subscribers = this.subscribers;
    return {
      async * [Symbol.asyncIterator]() {
        const onAbort = () => wake?.();
        o.signal?.addEventListener('abort', onAbort);
        try {
          while (!o.signal?.aborted) {
            const next = queue.shift();
            if (next instanceof Error) {
              throw next;
            }

            if (next) {
              yield next;
              continue;
            }

            await new Promise<void>(resolve => {
              wake = resolve;
            });
            wake = undefined;
          }
        } finally {
          subscribers.delete(subscriber);
          o.signal?.removeEventListener('abort', onAbort);
        }
      },
    };
  }

  /** Log lines per container name, for followLogs. */
  logs: Record<string, string[]> = {};

  async inspectRaw(kind: 'container' | 'network' | 'volume', id: string) {
    this.check('inspectRaw');
    if (kind === 'container') {
      const c = this.containers.find(item => item.id === id);
      return {Id: c?.id, Name: `/${c?.name}`, Config: {Env: this.env[c?.name ?? ''] ?? []}};
    }

    return kind === 'network' ? this.networks.find(n => n.id === id) : this.volumes.find(v => v.name === id);
  }

  /** When the first line of each container's logs was logged (Unix ms); line i came i seconds later. */
  logStartMs = Date.UTC(2025, 0, 15, 10, 0, 0);

  /** The options of each followLogs call, in order (without the signal). */
  logCalls: Array<{id: string; tail?: number | 'all'; since?: number; timestamps?: boolean}> = [];

  /** As the engine does: the last `tail` lines (500 by default), then those from `since` on, each behind its RFC 3339 nano time if asked. */
  followLogs(id: string, o: FollowLogsOptions): AsyncIterable<string> {
    const {signal: _signal, ...asked} = o;
    this.logCalls.push({id, ...asked});
    const all = this.logs[this.containers.find(c => c.id === id)?.name ?? ''] ?? [];
    const timed = all.map((text, i) => ({text, ms: this.logStartMs + (i * 1000)}));
    const tailed = o.tail === 'all' ? timed : timed.slice(Math.max(0, timed.length - (o.tail ?? 500)));
    const since = o.since;
    const lines = tailed
      .filter(line => since === undefined || line.ms >= since * 1000)
      .map(line => (o.timestamps ? `${new Date(line.ms).toISOString().replace(/\.(\d{3})Z$/, '.$1456789Z')} ${line.text}` : line.text));
    return {
      async * [Symbol.asyncIterator]() {
        yield * lines;
        await new Promise<void>(resolve => o.signal?.addEventListener('abort', () => resolve()));
      },
    };
  }

  async execInteractive(): Promise<never> { this.unsupported('execInteractive'); }

  private unsupported(method: string): never {
    throw new Error(`FakeEngine.${method} is not faked`);
  }

  async createContainer(): Promise<never> { this.unsupported('createContainer'); }
  async startContainer(): Promise<never> { this.unsupported('startContainer'); }
  async stopContainer(): Promise<never> { this.unsupported('stopContainer'); }
  async restartContainer(): Promise<never> { this.unsupported('restartContainer'); }
  async pauseContainer(): Promise<never> { this.unsupported('pauseContainer'); }
  async unpauseContainer(): Promise<never> { this.unsupported('unpauseContainer'); }
  async removeContainer(): Promise<never> { this.unsupported('removeContainer'); }
  async renameContainer(): Promise<never> { this.unsupported('renameContainer'); }
  async updateContainer(): Promise<never> { this.unsupported('updateContainer'); }
  async waitContainer(): Promise<never> { this.unsupported('waitContainer'); }
  async containerLogs(): Promise<never> { this.unsupported('containerLogs'); }
  async exec(): Promise<never> { this.unsupported('exec'); }
  async getArchive(): Promise<never> { this.unsupported('getArchive'); }
  async putArchive(): Promise<never> { this.unsupported('putArchive'); }
  async createNetwork(): Promise<never> { this.unsupported('createNetwork'); }
  async removeNetwork(): Promise<never> { this.unsupported('removeNetwork'); }
  async connectNetwork(): Promise<never> { this.unsupported('connectNetwork'); }
  async disconnectNetwork(): Promise<never> { this.unsupported('disconnectNetwork'); }
  async pruneNetworks(): Promise<never> { this.unsupported('pruneNetworks'); }
  async createVolume(): Promise<never> { this.unsupported('createVolume'); }
  async removeVolume(): Promise<never> { this.unsupported('removeVolume'); }
  async importImage(): Promise<never> { this.unsupported('importImage'); }
  pullImage(): AsyncIterable<PullProgress> { this.unsupported('pullImage'); }
}

/** Waits until `check` passes (it throws until then), polling briefly; for state that settles asynchronously. */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }

      await new Promise(resolve => setTimeout(resolve, 15));
    }
  }
}
