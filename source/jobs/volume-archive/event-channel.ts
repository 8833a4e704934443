// Bridges stream callbacks and a job's async generator: callbacks push events, the generator yields
// them while the work runs, and the work's outcome ends the loop.
import type {JobEvent} from '../job.js';

/** Runs `work`, yielding every event it pushes as it goes; rethrows its failure after the last event. */
export async function * runWithEvents<T>(work: (push: (event: JobEvent) => void) => Promise<T>, onResult: (result: T) => JobEvent[] = () => []): AsyncGenerator<JobEvent> {
  const queue: JobEvent[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  let result: T | undefined;
  let failure: unknown;
  const push = (event: JobEvent) => {
    queue.push(event);
    wake?.();
  };

  const running = work(push).then(value => {
    result = value;
  }, (error: unknown) => {
    failure = error ?? new Error('failed');
  }).finally(() => {
    finished = true;
    wake?.();
  });
  while (true) {
    while (queue.length > 0) {
      yield queue.shift()!;
    }

    if (finished) {
      break;
    }

    await new Promise<void>(resolve => {
      wake = resolve;
    });
    wake = undefined;
  }

  await running;
  if (failure !== undefined) {
    throw failure;
  }

  yield * onResult(result as T);
}

/** Calls `emit` at most every `intervalMs`, plus once when forced. */
export function throttle(intervalMs: number): (force?: boolean) => boolean {
  let last = 0;
  return (force = false) => {
    const now = Date.now();
    if (force || now - last >= intervalMs) {
      last = now;
      return true;
    }

    return false;
  };
}
