// The network mode of the few containers whose list row cannot tell it (`needsInspectedMode`): the
// list has no endpoint options, where a live switch marks the network it made primary; and of those
// naming a network by an id or id prefix that only the engine's network list matches to a name. Those are
// inspected in the background, a few at a time, and cached by container id. A connect, disconnect or
// destroy reported for the container makes its entry stale (it is inspected again); an entry read
// with other networks than the row now shows is never used (`networkModeOf`).
import type {EnginePort} from '../engine/port.js';
import type {ContainerDetails, ContainerSummary} from '../engine/types.js';
import {EngineError} from '../engine/errors.js';
import {factsOf, modeFromFacts, needsNetworkList, type NetworkReference} from '../model/network-modes.js';
import {isOffConfigured, listFacts, needsInspectedMode, networksKey} from '../resources/containers.js';
import type {InspectedMode} from '../resources/kind.js';

/** Tuning of the inspected modes; tests shorten the delay. */
export type InspectedModesOptions = {
  /** Inspects in flight at most. */
  readonly concurrency?: number;
  /** How long finished inspects are gathered before one change is reported (ms). */
  readonly coalesceMs?: number;
  readonly signal?: AbortSignal;
};

/** True when the row names a network by an id or id prefix that neither it nor its inspect can match to a name. */
function needsNetworkNames(row: ContainerSummary): boolean {
  return needsNetworkList(listFacts(row));
}

/**
 * The inspected mode of one container; `networks` gives the engine's network list, fetched only when the inspected
 * document names a network by an id that its own endpoints do not match.
 */
async function inspectMode(engine: EnginePort, id: string, networks: () => Promise<readonly NetworkReference[]>, signal?: AbortSignal): Promise<InspectedMode> {
  const details = await engine.inspectContainer(id, {signal});
  const facts = factsOf(details);
  const mode = modeFromFacts(needsNetworkList(facts) ? {...facts, networks: await networks()} : facts);
  return {mode, networks: networksKey(details.networks)};
}

/** Keeps the inspected modes of the containers that need one; reports each new set through `onChange`. */
export class InspectedModes {
  private readonly modes = new Map<string, InspectedMode>();
  /** Ids whose row was seen without its configured network (a marker may sit beside it once it is back). */
  private readonly seenOffConfigured = new Set<string>();
  /** Ids that need an inspected mode, with the networks of their latest row. */
  private readonly wanted = new Map<string, string>();
  /** Bumped by every invalidation: an inspect answering for an older generation is stale. */
  private readonly generations = new Map<string, number>();
  /** Entries to inspect again (an event said they may have changed). */
  private readonly stale = new Set<string>();
  /** Ids whose inspect failed, with the networks of the row then: not retried until the row changes. */
  private readonly failed = new Map<string, string>();
  private readonly queue = new Set<string>();
  private readonly inFlight = new Set<string>();
  private readonly concurrency: number;
  private readonly coalesceMs: number;
  private notifyTimer?: NodeJS.Timeout;

  constructor(private readonly engine: EnginePort, private readonly onChange: (modes: ReadonlyMap<string, InspectedMode>) => void, private readonly options: InspectedModesOptions = {}) {
    this.concurrency = options.concurrency ?? 4;
    this.coalesceMs = options.coalesceMs ?? 20;
  }

  /** The whole list, after connecting or reconnecting: events may have been missed, so every entry is checked again. */
  replaceRows(rows: readonly ContainerSummary[]): void {
    const ids = new Set(rows.map(row => row.id));
    for (const id of [...this.wanted.keys(), ...this.modes.keys(), ...this.seenOffConfigured]) {
      if (!ids.has(id)) {
        this.forget(id);
      }
    }

    for (const id of this.modes.keys()) {
      this.invalidate(id);
    }

    this.updateRows([], rows);
  }

  /** Fresh rows for some containers; `gone` were asked for and not listed. */
  updateRows(gone: readonly string[], rows: readonly ContainerSummary[]): void {
    const listed = new Set(rows.map(row => row.id));
    for (const id of gone) {
      if (!listed.has(id)) {
        this.forget(id);
      }
    }

    for (const row of rows) {
      if (isOffConfigured(row)) {
        this.seenOffConfigured.add(row.id);
      }

      const key = networksKey(row.networks);
      if (!needsInspectedMode(row, this.seenOffConfigured.has(row.id)) && !needsNetworkNames(row)) {
        this.wanted.delete(row.id);
        this.queue.delete(row.id);
        if (this.modes.delete(row.id)) {
          this.scheduleNotify();
        }

        continue;
      }

      this.wanted.set(row.id, key);
      const entry = this.modes.get(row.id);
      const isFresh = entry?.networks === key && !this.stale.has(row.id);
      if (!isFresh && this.failed.get(row.id) !== key) {
        this.queue.add(row.id);
      }
    }

    this.pump();
  }

  /**
   * An inspect made for another reason (the details pane): when it shows a mode the list row cannot tell (a marker
   * beside the configured network, put back while hawser was not running), the row is followed from then on.
   */
  learn(details: ContainerDetails): void {
    const facts = factsOf(details);
    // A network named by an id only the network list matches: the background inspect, which fetches it, tells.
    if (needsNetworkList(facts)) {
      return;
    }

    const mode = modeFromFacts(facts);
    if (mode === modeFromFacts({configured: facts.configured, attached: facts.attached}) && !this.modes.has(details.id)) {
      return;
    }

    this.seenOffConfigured.add(details.id);
    this.wanted.set(details.id, networksKey(details.networks));
    this.stale.delete(details.id);
    this.modes.set(details.id, {mode, networks: networksKey(details.networks)});
    this.scheduleNotify();
  }

  /** The engine reported a connect, disconnect or other change of the container's networks: its entry may be out of date. */
  invalidate(id: string): void {
    this.generations.set(id, (this.generations.get(id) ?? 0) + 1);
    this.failed.delete(id);
    // The entry stays on screen until the new inspect answers; the next rows of the container queue it.
    if (this.modes.has(id) || this.inFlight.has(id)) {
      this.stale.add(id);
    }
  }

  /** The container is gone. */
  forget(id: string): void {
    this.wanted.delete(id);
    this.queue.delete(id);
    this.stale.delete(id);
    this.failed.delete(id);
    this.generations.delete(id);
    this.seenOffConfigured.delete(id);
    if (this.modes.delete(id)) {
      this.scheduleNotify();
    }
  }

  /** Stops reporting (the requests themselves end with the signal). */
  stop(): void {
    if (this.notifyTimer) {
      clearTimeout(this.notifyTimer);
      this.notifyTimer = undefined;
    }

    this.queue.clear();
  }

  private pump(): void {
    for (const id of this.queue) {
      if (this.inFlight.size >= this.concurrency || this.options.signal?.aborted) {
        return;
      }

      // One inspect per container at a time; a queued one waits for the answer in flight.
      if (!this.inFlight.has(id)) {
        this.queue.delete(id);
        void this.inspect(id);
      }
    }
  }

  private async inspect(id: string): Promise<void> {
    const generation = this.generations.get(id) ?? 0;
    const key = this.wanted.get(id);
    this.inFlight.add(id);
    try {
      const inspected = await inspectMode(this.engine, id, async () => this.engine.listNetworks({signal: this.options.signal}), this.options.signal);
      if (!this.wanted.has(id)) {
        return;
      }

      if ((this.generations.get(id) ?? 0) === generation) {
        this.stale.delete(id);
      } else {
        // Invalidated while the inspect ran: this answer may predate the change.
        this.queue.add(id);
      }

      this.modes.set(id, inspected);
      this.scheduleNotify();
    } catch (error) {
      if (error instanceof EngineError && error.statusCode === 404) {
        this.forget(id);
      } else if (key !== undefined && !this.options.signal?.aborted) {
        this.failed.set(id, key);
      }
    } finally {
      this.inFlight.delete(id);
      this.pump();
    }
  }

  private scheduleNotify(): void {
    if (this.options.signal?.aborted) {
      return;
    }

    this.notifyTimer ??= setTimeout(() => {
      this.notifyTimer = undefined;
      this.onChange(new Map(this.modes));
    }, this.coalesceMs);
  }
}

/**
 * Inspected modes for a one-off listing (`hawser ls`): the containers whose row cannot tell, a few at a time. Unlike
 * the live sync, a one-off listing has not seen the rows before: a container on its configured network and others
 * may have had that network attached again beside the one a live switch marked (as seen by nobody), so every row
 * whose mode a marker could decide is inspected, not only those off their configured network. The engine's
 * network list is fetched once, if a row names a network by an id only the list can match.
 */
export async function inspectModesOnce(engine: EnginePort, rows: readonly ContainerSummary[], concurrency = 4): Promise<Map<string, InspectedMode>> {
  const queue = rows.filter(row => needsInspectedMode(row, true) || needsNetworkNames(row)).map(row => row.id);
  const modes = new Map<string, InspectedMode>();
  let networks: Promise<readonly NetworkReference[]> | undefined;
  const listNetworks = async () => {
    networks ??= engine.listNetworks();
    return networks;
  };

  await Promise.all(Array.from({length: concurrency}, async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      // A container removed meanwhile keeps what the list says.
      const inspected = await inspectMode(engine, id, listNetworks).catch(() => undefined);
      if (inspected) {
        modes.set(id, inspected);
      }
    }
  }));
  return modes;
}
