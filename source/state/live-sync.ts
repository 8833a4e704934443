// Keeps an EngineMirror current from the engine's event stream: list once, then follow events,
// coalescing bursts into one request; on a dropped stream, reconnect with `since` and re-list.
// No polling: while nothing happens on the engine, hawser sends nothing.
import type {EnginePort} from '../engine/port.js';
import type {ContainerDetails, EngineEvent, EngineInfo} from '../engine/types.js';
import type {EngineMirror} from './engine-mirror.js';
import {marksOf} from './event-marks.js';
import {followEngine} from './follow-engine.js';
import {InspectedModes} from './inspected-modes.js';
import {Refresher} from './refresher.js';

/** Tuning of the sync; tests shorten the delays. */
export type LiveSyncOptions = {
  /** How long events are gathered before one refresh request (ms). */
  readonly coalesceMs?: number;
  /** Delays between reconnect attempts (ms), the last one repeating. */
  readonly backoffMs?: readonly number[];
  /** How long after a state change the containers are listed again, to catch a list that lagged (ms). */
  readonly confirmMs?: number;
  /** Called with each event, after it is applied (for the bench and tests). */
  readonly onEvent?: (event: EngineEvent) => void;
};

/** A running sync; `stop` ends it and its requests. */
export type LiveSync = {
  readonly stop: () => void;
  /** Reconnect now instead of waiting for the next attempt. */
  readonly retryNow: () => void;
  /** Fetches volume sizes (expensive on the engine: only when the user looks at them). */
  readonly loadVolumeUsage: () => Promise<void>;
  /**
   * Lists every container and network again, once: after hawser's own action. The engine sends no event
   * for some of what an action changes (a network connected to a created container), and would leave the
   * rows and counts stale.
   */
  readonly refreshAfterAction: () => void;
  /** A container's inspected document, fetched for its details: what the NET MODE column can learn from it. */
  readonly noteInspected: (details: ContainerDetails) => void;
};

/** Starts following the engine; the mirror reflects it from then on. */
export function startLiveSync(engine: EnginePort, mirror: EngineMirror, options: LiveSyncOptions = {}): LiveSync {
  const coalesceMs = options.coalesceMs ?? 30;
  const controller = new AbortController();
  const {signal} = controller;
  const usage = new VolumeUsage(engine, mirror, signal);
  // The NET MODE of the few containers whose list row cannot tell it comes from their inspect.
  const modes = new InspectedModes(engine, inspected => mirror.setInspectedModes(inspected), {signal, coalesceMs});
  const refresher = new Refresher(engine, mirror, modes, {coalesceMs, confirmMs: options.confirmMs ?? 500, signal, onVolumesListed: async () => usage.listed()});

  async function loadAll(): Promise<EngineInfo> {
    // All four at once: the first screen waits for the slowest, not for their sum.
    const [info, containers, networks, volumes] = await Promise.all([
      engine.info({signal}),
      engine.listContainers({signal}),
      engine.listNetworks({signal}),
      engine.listVolumes({signal}),
    ]);
    mirror.replaceAll(containers, networks, volumes);
    modes.replaceRows(containers);
    mirror.setConnection({state: 'connected', info});
    void usage.listed();
    return info;
  }

  const following = followEngine(engine, mirror, {
    signal,
    backoffMs: options.backoffMs ?? [1000, 2000, 5000],
    load: loadAll,
    onEvent(event) {
      const marks = marksOf(event);
      if (marks) {
        refresher.mark(marks);
        options.onEvent?.(event);
      }
    },
  });
  return {
    stop() {
      controller.abort();
      modes.stop();
      refresher.stop();
      following.wake();
    },
    retryNow: () => following.wake(),
    loadVolumeUsage: async () => usage.want(),
    noteInspected(details) {
      modes.learn(details);
    },
    refreshAfterAction: () => refresher.markEverything(),
  };
}

/** Volume sizes (/system/df): expensive on the engine, so fetched only once the user looks at them, and again only when stale. */
class VolumeUsage {
  private isWanted = false;
  private isStale = true;

  constructor(private readonly engine: EnginePort, private readonly mirror: EngineMirror, private readonly signal: AbortSignal) {}

  /** The user looks at the sizes: fetch them if stale, and keep them current from now on. */
  async want(): Promise<void> {
    this.isWanted = true;
    if (!this.isStale) {
      return;
    }

    this.isStale = false;
    try {
      const usage = await this.engine.volumeUsage({signal: this.signal});
      this.mirror.setVolumeUsage(new Map(usage.map(u => [u.name, u])));
    } catch {
      this.isStale = true;
    }
  }

  /** The volumes were listed again: the sizes are stale, fetched again if wanted. */
  async listed(): Promise<void> {
    this.isStale = true;
    if (this.isWanted) {
      await this.want();
    }
  }
}
