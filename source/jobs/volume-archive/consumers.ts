// The containers using a volume, and stopping or pausing them for a consistent backup, with a
// promise to bring every one of them back, also when the backup fails or is cancelled.
import type {EnginePort} from '../../engine/port.js';
import type {ContainerSummary} from '../../engine/types.js';
import {JobError} from '../job.js';
import {helperLabel} from '../helpers/leftovers.js';

/** What to do with the containers using a volume during a backup. */
export type ConsumerPolicy = 'leave' | 'stop' | 'pause';

/** Containers (any state) that mount `volume`. */
export async function consumersOf(engine: EnginePort, volume: string, signal?: AbortSignal): Promise<ContainerSummary[]> {
  return usersOf(await engine.listContainers({signal}), volume);
}

/** Of `containers`, the ones (any state) that mount `volume`; hawser's own helpers left out. */
export function usersOf(containers: readonly ContainerSummary[], volume: string): ContainerSummary[] {
  return containers.filter(c => c.mounts.some(m => m.type === 'volume' && m.name === volume) && !c.labels[helperLabel]);
}

/** A container hawser stopped or paused, and how to undo it. */
export type Held = {readonly id: string; readonly name: string; readonly action: 'stopped' | 'paused'};

/**
 * Stops or pauses the running ones; returns what to undo. Undoes its own work when one of them fails or the
 * job is cancelled. A stop, once asked, is waited for, never cut short: the engine would finish it anyway,
 * after hawser had tried to start the container again (too early: it was still running), and leave it stopped.
 */
export async function holdConsumers(engine: EnginePort, consumers: readonly ContainerSummary[], policy: ConsumerPolicy, signal?: AbortSignal): Promise<Held[]> {
  const held: Held[] = [];
  if (policy === 'leave') {
    return held;
  }

  try {
    for (const container of consumers.filter(c => c.state === 'running')) {
      if (signal?.aborted) {
        break;
      }

      // Held before it is asked: a stop or pause that fails half-way is undone too (starting a running container is no harm).
      held.push({id: container.id, name: container.name, action: policy === 'stop' ? 'stopped' : 'paused'});
      await (policy === 'stop' ? engine.stopContainer(container.id) : engine.pauseContainer(container.id));
    }
  } catch (error) {
    await releaseConsumers(engine, held);
    throw error;
  }

  if (signal?.aborted) {
    const failures = await releaseConsumers(engine, held);
    throw new JobError('Cancelled.', failures.length > 0
      ? `Could not bring ${failures.map(f => f.name).join(', ')} back: start ${failures.length === 1 ? 'it' : 'them'} yourself (docker start).`
      : `Nothing was backed up${held.length > 0 ? `; ${held.map(h => h.name).join(', ')} ${policy === 'stop' ? 'started' : 'unpaused'} again` : ''}.`);
  }

  return held;
}

/** Starts or unpauses every held container; returns the ones that could not be brought back. Never aborts. */
export async function releaseConsumers(engine: EnginePort, held: readonly Held[]): Promise<{name: string; error: string}[]> {
  const failures: {name: string; error: string}[] = [];
  for (const container of [...held].reverse()) {
    try {
      if (container.action === 'stopped') {
        await engine.startContainer(container.id);
      } else {
        await engine.unpauseContainer(container.id);
      }
    } catch (error) {
      // Already running (a stop that never happened) or not paused: it is as it was.
      if (!isAlreadyBack(error)) {
        failures.push({name: container.name, error: error instanceof Error ? error.message : String(error)});
      }
    }
  }

  return failures;
}

function isAlreadyBack(error: unknown): boolean {
  const {statusCode, message} = error as {statusCode?: number; message?: string};
  return statusCode === 304 || (statusCode === 409 && /is not paused/i.test(message ?? ''));
}
