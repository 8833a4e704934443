// hawser's copy of the engine's lists, kept current by the live sync. Framework-free: React reads it
// through useSyncExternalStore; tests read it directly.
import type {ContainerSummary, EngineInfo, NetworkSummary, VolumeSummary, VolumeUsage} from '../engine/types.js';
import {containersKind} from '../resources/containers.js';
import {helperLabel, helperOwnerLabel, helperOwnerLabels} from '../jobs/helpers/leftovers.js';
import {buildIndex} from '../resources/resource-index.js';
import type {InspectedMode, ResourceIndex} from '../resources/kind.js';
import {networksKind} from '../resources/networks.js';
import {volumesKind} from '../resources/volumes.js';

const ownHelperOwner = helperOwnerLabels()[helperOwnerLabel];

/**
 * A helper this very hawser made and is using (the start-up forwarding check, a backup's way into a
 * volume): not the user's, so not listed. Helpers of hawsers that died stay listed, as leftovers.
 */
function isOwnHelper(container: ContainerSummary): boolean {
  return container.labels[helperLabel] !== undefined && container.labels[helperOwnerLabel] === ownHelperOwner;
}

/** The state of the connection to the engine. */
export type ConnectionStatus =
  | {readonly state: 'connecting'}
  | {readonly state: 'connected'; readonly info: EngineInfo}
  | {readonly state: 'failed'; readonly message: string; readonly hint: string; readonly retryAt: number; readonly info?: EngineInfo};

/** An immutable view of everything the panels show; a new object after every change. */
export type MirrorSnapshot = {
  readonly version: number;
  readonly connection: ConnectionStatus;
  readonly hasLoaded: boolean;
  readonly containers: readonly ContainerSummary[];
  readonly networks: readonly NetworkSummary[];
  readonly volumes: readonly VolumeSummary[];
  readonly volumeUsage?: ReadonlyMap<string, VolumeUsage>;
  readonly index: ResourceIndex;
};

/** Holds the lists by key and hands out sorted snapshots, rebuilt at most once per change. */
export class EngineMirror {
  private readonly containers = new Map<string, ContainerSummary>();
  private readonly networks = new Map<string, NetworkSummary>();
  private readonly volumes = new Map<string, VolumeSummary>();
  private volumeUsage?: ReadonlyMap<string, VolumeUsage>;
  private inspectedModes?: ReadonlyMap<string, InspectedMode>;
  private connection: ConnectionStatus = {state: 'connecting'};
  private hasLoaded = false;
  private version = 0;
  private cached?: MirrorSnapshot;
  private readonly listeners = new Set<() => void>();

  /** Registers a change listener; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The current snapshot (same object until something changes). */
  snapshot = (): MirrorSnapshot => {
    if (!this.cached) {
      const containers = [...this.containers.values()].sort(containersKind.compare);
      this.cached = {
        version: this.version,
        connection: this.connection,
        hasLoaded: this.hasLoaded,
        containers,
        networks: [...this.networks.values()].sort(networksKind.compare),
        volumes: [...this.volumes.values()].sort(volumesKind.compare),
        volumeUsage: this.volumeUsage,
        index: buildIndex(containers, this.volumeUsage, this.inspectedModes),
      };
    }

    return this.cached;
  };

  private changed(): void {
    this.version++;
    this.cached = undefined;
    for (const listener of this.listeners) {
      listener();
    }
  }

  setConnection(connection: ConnectionStatus): void {
    this.connection = connection;
    this.changed();
  }

  /** Replaces every list (after connecting or reconnecting). */
  replaceAll(containers: readonly ContainerSummary[], networks: readonly NetworkSummary[], volumes: readonly VolumeSummary[]): void {
    this.containers.clear();
    this.networks.clear();
    this.volumes.clear();
    // As every re-listing: not the helpers this hawser runs (a reconnect during a backup would list them).
    for (const c of containers) {
      if (!isOwnHelper(c)) this.containers.set(c.id, c);
    }
    for (const n of networks) this.networks.set(n.id, n);
    for (const v of volumes) this.volumes.set(v.name, v);
    this.hasLoaded = true;
    this.changed();
  }

  /** Replaces the containers' list (a full listing of them). */
  replaceContainers(containers: readonly ContainerSummary[]): void {
    this.containers.clear();
    for (const c of containers) {
      if (!isOwnHelper(c)) this.containers.set(c.id, c);
    }

    this.changed();
  }

  /** Applies a fresh listing of some containers; ids asked for but not returned are gone. */
  updateContainers(asked: readonly string[], found: readonly ContainerSummary[]): void {
    for (const id of asked) this.containers.delete(id);
    for (const c of found) {
      if (!isOwnHelper(c)) this.containers.set(c.id, c);
    }

    this.changed();
  }

  removeContainer(id: string): void {
    if (this.containers.delete(id)) this.changed();
  }

  replaceNetworks(networks: readonly NetworkSummary[]): void {
    this.networks.clear();
    for (const n of networks) this.networks.set(n.id, n);
    this.changed();
  }

  replaceVolumes(volumes: readonly VolumeSummary[]): void {
    this.volumes.clear();
    for (const v of volumes) this.volumes.set(v.name, v);
    this.changed();
  }

  setVolumeUsage(usage: ReadonlyMap<string, VolumeUsage> | undefined): void {
    this.volumeUsage = usage;
    this.changed();
  }

  /** The modes read by inspect for the containers whose list row cannot tell (see InspectedModes). */
  setInspectedModes(modes: ReadonlyMap<string, InspectedMode>): void {
    this.inspectedModes = modes;
    this.changed();
  }
}

/** Resolves once the mirror has the engine's first answer (its lists, or a failure), or after `ms`, whichever comes first. */
export async function firstAnswer(mirror: EngineMirror, ms: number): Promise<void> {
  const isAnswered = () => mirror.snapshot().connection.state !== 'connecting';
  if (isAnswered()) {
    return;
  }

  await new Promise<void>(resolve => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };

    const timer = setTimeout(done, ms);
    const unsubscribe = mirror.subscribe(() => {
      if (isAnswered()) {
        done();
      }
    });
  });
}
