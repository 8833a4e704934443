// Long actions as streams of progress events, shared by the TUI and the CLI: one implementation,
// two faces. No React here.
import type {EnginePort} from '../engine/port.js';

/** One thing a running job reports. */
export type JobEvent =
  | {readonly type: 'step'; readonly title: string}
  | {readonly type: 'progress'; readonly done: number; readonly total?: number; readonly unit: 'bytes' | 'items'; readonly current?: string}
  | {readonly type: 'log'; readonly line: string}
  | {readonly type: 'warning'; readonly message: string}
  /** `isBadNews`: the job worked, but what it found is not good (the doctor: A cannot reach B); shown as such. */
  | {readonly type: 'done'; readonly summary: string; readonly data?: Readonly<Record<string, unknown>>; readonly isBadNews?: boolean};

/** A long action: runs against an engine, reports as it goes, stops when the signal aborts. Throws on failure. */
export type Job = (engine: EnginePort, signal: AbortSignal) => AsyncIterable<JobEvent>;

/** What an action will do, shown before anything changes so the user can confirm or cancel. */
export type Preview = {
  readonly title: string;
  /** What will happen, one line each, in order. */
  readonly steps: readonly string[];
  /** What the user loses or risks; shown highlighted. */
  readonly warnings: readonly string[];
  /** True when confirming destroys or replaces something. */
  readonly isDestructive: boolean;
};

/** An action that has been checked and planned but not started. */
export type PreparedJob = {readonly preview: Preview; readonly job: Job};

/** A failure a job reports on purpose: what failed and what to do next. */
export class JobError extends Error {
  override readonly name = 'JobError';
  constructor(message: string, readonly hint = '') {
    super(message);
  }
}

/** Bad input: refused before anything changed. */
export class InputError extends JobError {}

/** Throws an AbortError-like JobError when the signal has fired; call between steps. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) {
    throw new JobError('Cancelled.', 'Nothing further was changed.');
  }
}

/** Runs a job to its end, collecting its events; for tests and for callers that need no live view. */
export async function runToEnd(job: Job, engine: EnginePort, signal: AbortSignal = new AbortController().signal): Promise<JobEvent[]> {
  const events: JobEvent[] = [];
  for await (const event of job(engine, signal)) {
    events.push(event);
  }

  return events;
}

/** Jobs running in this process, each with the controller that cancels it and the promise of its end. */
const runningJobs = new Map<AbortController, Promise<unknown>>();

/**
 * Registers a job run so that a signal (SIGTERM, SIGHUP: the terminal closed) cancels it like Ctrl-C
 * and waits for it to undo its work before the process exits. Returns `run`'s promise.
 */
export function trackJobRun<T>(controller: AbortController, run: Promise<T>): Promise<T> {
  const settled = run.then(() => undefined, () => undefined).finally(() => runningJobs.delete(controller));
  runningJobs.set(controller, settled);
  return run;
}

/** Cancels every tracked job and waits (at most `limitMs`) for each to finish undoing what it started. */
export async function cancelRunningJobs(limitMs = 120_000): Promise<void> {
  if (runningJobs.size === 0) {
    return;
  }

  for (const controller of runningJobs.keys()) {
    controller.abort();
  }

  await Promise.race([Promise.allSettled([...runningJobs.values()]), new Promise(resolve => setTimeout(resolve, limitMs).unref())]);
}
