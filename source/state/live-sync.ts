// Keeps an EngineMirror current from the engine's event stream: list once, then follow events,
// coalescing bursts into one request; on a dropped stream, reconnect with `since` and re-list.
// No polling: while nothing happens on the engine, hawser sends nothing.
import {isUnreachable, toEngineError} from '../engine/errors.js';
import type {EnginePort} from '../engine/port.js';
import type {ContainerDetails, EngineEvent, EngineInfo} from '../engine/types.js';
import type {EngineMirror} from './engine-mirror.js';
import {InspectedModes} from './inspected-modes.js';

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

/** Container actions that change its state, whose list entry may lag the event. */
const stateActions = new Set(['start', 'die', 'stop', 'kill', 'pause', 'unpause', 'restart', 'oom', 'health_status']);

/** Container actions that do not change what the list shows. */
const ignoredContainerActions = new Set(['exec_create', 'exec_start', 'exec_die', 'exec_detach', 'attach', 'detach', 'resize', 'top', 'commit', 'copy', 'archive-path', 'extract-to-dir', 'export']);

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
  const backoff = options.backoffMs ?? [1000, 2000, 5000];
  const controller = new AbortController();
  const {signal} = controller;
  let wake: (() => void) | undefined;
  let isUsageWanted = false;
  let isUsageStale = true;

  const dirtyContainers = new Set<string>();
  let isEveryContainerDirty = false;
  let isNetworksDirty = false;
  let isVolumesDirty = false;
  let flushTimer: NodeJS.Timeout | undefined;
  let isFlushing = false;
  // The engine can announce a state change before its list shows it (the list reads a copy that is
  // updated a moment later): after such events, the same containers are listed once more.
  const toConfirm = new Set<string>();
  let confirmTimer: NodeJS.Timeout | undefined;
  const confirmMs = options.confirmMs ?? 500;
  // The NET MODE of the few containers whose list row cannot tell it comes from their inspect.
  const modes = new InspectedModes(engine, inspected => mirror.setInspectedModes(inspected), {signal, coalesceMs});

  // One refresh at a time: two in flight could answer out of order and leave an older state on screen.
  async function flush(): Promise<void> {
    flushTimer = undefined;
    isFlushing = true;
    const isEvery = isEveryContainerDirty;
    isEveryContainerDirty = false;
    const ids = isEvery ? [] : [...dirtyContainers];
    dirtyContainers.clear();
    const networks = isNetworksDirty;
    const volumes = isVolumesDirty;
    isNetworksDirty = false;
    isVolumesDirty = false;
    try {
      await Promise.all([
        isEvery ? engine.listContainers({signal}).then(found => {
          mirror.replaceContainers(found);
          // No event was missed (a destroy still forgets its container): the inspected modes stay as they are.
          modes.updateRows([], found);
        }) : undefined,
        ids.length > 0 ? engine.listContainers({ids, signal}).then(found => {
          const rows = found.filter(c => ids.includes(c.id));
          mirror.updateContainers(ids, rows);
          modes.updateRows(ids, rows);
        }) : undefined,
        networks ? engine.listNetworks({signal}).then(list => mirror.replaceNetworks(list)) : undefined,
        volumes ? engine.listVolumes({signal}).then(list => mirror.replaceVolumes(list)) : undefined,
      ]);
      if (volumes) {
        isUsageStale = true;
        if (isUsageWanted) {
          await loadVolumeUsage();
        }
      }
    } catch {
      // The stream's own failure handling reconnects and re-lists; nothing to do here.
    } finally {
      isFlushing = false;
    }

    if (isEveryContainerDirty || dirtyContainers.size > 0 || isNetworksDirty || isVolumesDirty) {
      schedule();
    }
  }

  function schedule(): void {
    if (!isFlushing && !signal.aborted) {
      flushTimer ??= setTimeout(() => void flush(), coalesceMs);
    }
  }

  function confirmLater(id: string): void {
    toConfirm.add(id);
    confirmTimer ??= setTimeout(() => {
      confirmTimer = undefined;
      for (const confirmed of toConfirm) dirtyContainers.add(confirmed);
      toConfirm.clear();
      schedule();
    }, confirmMs);
  }

  function apply(event: EngineEvent): void {
    if (event.type === 'container') {
      if (ignoredContainerActions.has(event.action)) {
        return;
      }

      if (event.action === 'destroy') {
        dirtyContainers.delete(event.id);
        toConfirm.delete(event.id);
        mirror.removeContainer(event.id);
        modes.forget(event.id);
      } else {
        dirtyContainers.add(event.id);
        if (stateActions.has(event.action)) {
          confirmLater(event.id);
        }
      }
    } else if (event.type === 'network') {
      if (event.action === 'connect' || event.action === 'disconnect') {
        const container = event.attributes['container'];
        if (container) {
          modes.invalidate(container);
          dirtyContainers.add(container);
          // The container's list entry can show the old networks for a moment, like a state change.
          confirmLater(container);
        }
      } else {
        isNetworksDirty = true;
      }
    } else if (event.type === 'volume') {
      if (event.action === 'create' || event.action === 'destroy' || event.action === 'prune') {
        isVolumesDirty = true;
      }
    } else {
      return;
    }

    schedule();
    options.onEvent?.(event);
  }

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
    isUsageStale = true;
    if (isUsageWanted) {
      void loadVolumeUsage();
    }

    return info;
  }

  async function loadVolumeUsage(): Promise<void> {
    isUsageWanted = true;
    if (!isUsageStale) {
      return;
    }

    isUsageStale = false;
    try {
      const usage = await engine.volumeUsage({signal});
      mirror.setVolumeUsage(new Map(usage.map(u => [u.name, u])));
    } catch {
      isUsageStale = true;
    }
  }

  async function run(): Promise<void> {
    let attempt = 0;
    let since: number | undefined;
    let lastInfo: EngineInfo | undefined;
    while (!signal.aborted) {
      try {
        const info = await loadAll();
        lastInfo = info;
        attempt = 0;
        // Start at the engine's own clock from before the listing: changes made while listing are
        // replayed (handlers are idempotent), and a reconnect resumes where the stream stopped.
        since ??= info.systemTime - 1;
        for await (const event of engine.events({signal, since})) {
          since = event.timeNano / 1e9;
          apply(event);
        }

        if (signal.aborted) {
          return;
        }

        throw new Error('The engine closed the event stream.');
      } catch (error) {
        if (signal.aborted) {
          return;
        }

        const engineError = toEngineError(error, engine.address);
        const delay = backoff[Math.min(attempt, backoff.length - 1)] ?? 5000;
        attempt++;
        mirror.setConnection({
          state: 'failed',
          message: isUnreachable(engineError) || lastInfo === undefined ? engineError.message : `Lost the connection to ${engine.address}: ${engineError.message}`,
          hint: engineError.hint,
          retryAt: Date.now() + delay,
          info: lastInfo,
        });
        await new Promise<void>(resolve => {
          const timer = setTimeout(resolve, delay);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
        if (!signal.aborted) {
          mirror.setConnection({state: 'connecting'});
        }
      }
    }
  }

  void run();
  return {
    stop() {
      controller.abort();
      modes.stop();
      if (flushTimer) {
        clearTimeout(flushTimer);
      }

      if (confirmTimer) {
        clearTimeout(confirmTimer);
      }

      wake?.();
    },
    retryNow() {
      wake?.();
    },
    loadVolumeUsage,
    noteInspected(details) {
      modes.learn(details);
    },
    refreshAfterAction() {
      isEveryContainerDirty = true;
      isNetworksDirty = true;
      schedule();
    },
  };
}
