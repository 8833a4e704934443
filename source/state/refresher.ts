// Turns marks into list requests: bursts are gathered for `coalesceMs` into one refresh, and one
// refresh runs at a time (two in flight could answer out of order and leave an older state on screen).
// Only the marked containers are listed; networks and volumes whole.
import type {EnginePort} from '../engine/port.js';
import type {EngineMirror} from './engine-mirror.js';
import type {EventMarks} from './event-marks.js';
import type {InspectedModes} from './inspected-modes.js';

/** The refresher's timing, and what it does after volumes were listed again. */
export type RefresherOptions = {
  readonly coalesceMs: number;
  /** How long after a state change the containers are listed again (ms). */
  readonly confirmMs: number;
  readonly signal: AbortSignal;
  /** The volumes were listed again: their sizes are stale. */
  readonly onVolumesListed: () => Promise<void>;
};

/** The pending marks and the one refresh that serves them. */
export class Refresher {
  private readonly containers = new Set<string>();
  private isEveryContainer = false;
  private isNetworks = false;
  private isVolumes = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private isFlushing = false;
  private readonly toConfirm = new Set<string>();
  private confirmTimer: NodeJS.Timeout | undefined;

  constructor(private readonly engine: EnginePort, private readonly mirror: EngineMirror, private readonly modes: InspectedModes, private readonly options: RefresherOptions) {}

  /** Applies an event's marks; a removed container leaves the mirror at once. */
  mark(marks: EventMarks): void {
    if (marks.removed !== undefined) {
      this.containers.delete(marks.removed);
      this.toConfirm.delete(marks.removed);
      this.mirror.removeContainer(marks.removed);
      this.modes.forget(marks.removed);
    }

    if (marks.container !== undefined) {
      if (marks.modeChanged) {
        this.modes.invalidate(marks.container);
      }

      this.containers.add(marks.container);
      if (marks.confirm) {
        this.confirmLater(marks.container);
      }
    }

    this.isNetworks ||= marks.networks === true;
    this.isVolumes ||= marks.volumes === true;
    this.schedule();
  }

  /** Every container and network listed again, once (after hawser's own action: not everything it changes sends an event). */
  markEverything(): void {
    this.isEveryContainer = true;
    this.isNetworks = true;
    this.schedule();
  }

  stop(): void {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
    }

    if (this.confirmTimer) {
      clearTimeout(this.confirmTimer);
    }
  }

  private schedule(): void {
    if (!this.isFlushing && !this.options.signal.aborted) {
      this.flushTimer ??= setTimeout(() => void this.flush(), this.options.coalesceMs);
    }
  }

  private confirmLater(id: string): void {
    this.toConfirm.add(id);
    this.confirmTimer ??= setTimeout(() => {
      this.confirmTimer = undefined;
      for (const confirmed of this.toConfirm) this.containers.add(confirmed);
      this.toConfirm.clear();
      this.schedule();
    }, this.options.confirmMs);
  }

  private async flush(): Promise<void> {
    const {engine, mirror, modes} = this;
    const {signal} = this.options;
    this.flushTimer = undefined;
    this.isFlushing = true;
    const isEvery = this.isEveryContainer;
    const ids = isEvery ? [] : [...this.containers];
    const {isNetworks: networks, isVolumes: volumes} = this;
    this.isEveryContainer = false;
    this.containers.clear();
    this.isNetworks = false;
    this.isVolumes = false;
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
        await this.options.onVolumesListed();
      }
    } catch {
      // The stream's own failure handling reconnects and re-lists; nothing to do here.
    } finally {
      this.isFlushing = false;
    }

    if (this.isEveryContainer || this.containers.size > 0 || this.isNetworks || this.isVolumes) {
      this.schedule();
    }
  }
}
