// Folds a job's events into what the progress view shows. Pure, so it is tested without a terminal.
import type {JobEvent} from '../../jobs/job.js';

/** A job's line, shown under the step it came during. */
export type JobLine = {readonly text: string; readonly step: number};

/** The progress view's model. */
export type JobLog = {
  readonly steps: readonly string[];
  /** The last lines, each with the step it came during (its index in `steps`; -1 before the first step). */
  readonly lines: readonly JobLine[];
  readonly warnings: readonly string[];
  readonly progress?: {readonly done: number; readonly total?: number; readonly unit: 'bytes' | 'items'; readonly current?: string; readonly startedAt: number; readonly at: number};
  readonly summary?: string;
};

/** An empty log. */
export const emptyJobLog: JobLog = {steps: [], lines: [], warnings: []};

/** Adds one event to the log; keeps only the last lines. */
export function foldJobEvent(log: JobLog, event: JobEvent, now = Date.now()): JobLog {
  switch (event.type) {
    case 'step': return {...log, steps: [...log.steps, event.title], progress: undefined};
    case 'log': return {...log, lines: [...log.lines, {text: event.line, step: log.steps.length - 1}].slice(-50)};
    case 'warning': return {...log, warnings: [...log.warnings, event.message]};
    case 'progress': return {...log, progress: {done: event.done, total: event.total, unit: event.unit, current: event.current, startedAt: log.progress?.startedAt ?? now, at: now}};
    case 'done': return {...log, summary: event.summary};
  }
}

/** Rate per second and seconds left, once there is enough to tell. */
export function rateAndEta(progress: NonNullable<JobLog['progress']>): {rate?: number; etaSeconds?: number} {
  const seconds = (progress.at - progress.startedAt) / 1000;
  if (seconds < 0.3 || progress.done <= 0) {
    return {};
  }

  const rate = progress.done / seconds;
  const etaSeconds = progress.total ? Math.max(0, (progress.total - progress.done) / rate) : undefined;
  return {rate, etaSeconds};
}

/** A text progress bar of `width` cells. */
export function progressBar(done: number, total: number, width: number): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(ratio * width);
  return `${'█'.repeat(filled)}${'░'.repeat(Math.max(0, width - filled))}`;
}
