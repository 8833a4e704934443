// The CLI face of a job: a progress bar on a terminal, plain lines otherwise, JSON lines with --json.
import type cliProgress from 'cli-progress';
import type {EnginePort} from '../engine/port.js';
import {InputError, JobError, type Job, type JobEvent, type PreparedJob, type Preview} from '../jobs/job.js';
import {maskedDocument, maskSecretText} from '../model/secrets.js';

/** How a command prints. */
export type OutputOptions = {readonly json?: boolean; readonly yes?: boolean};

/**
 * The version of every JSON record hawser prints (docs/json.md): raised when a record loses a key or a key changes
 * its meaning, not when one is added.
 */
export const jsonSchemaVersion = 1;

/** `value` with the schema version first: in the record, or in each record of a list. */
export function versioned(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(versioned);
  }

  return value && typeof value === 'object' ? {schemaVersion: jsonSchemaVersion, ...value} : value;
}

/** Writes one JSON line to stdout, each record versioned, secrets masked (env, labels, command lines, passwords in URLs). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(maskedDocument(versioned(value)))}\n`);
}

type BarModules = {readonly bars: typeof cliProgress; readonly formatAmount: (value: number, unit: 'bytes' | 'items') => string};

/** What the progress bar needs: loaded only where one is drawn (never with --json, nor without a terminal). */
async function loadBarModules(): Promise<BarModules> {
  const [{default: bars}, {default: prettyBytes}] = await Promise.all([import('cli-progress'), import('pretty-bytes')]);
  return {bars, formatAmount: (value, unit) => unit === 'bytes' ? prettyBytes(value) : String(value)};
}

/** Prints a preview for a person. */
export function printPreview(preview: Preview): void {
  const out = process.stderr;
  out.write(`${preview.title}\n`);
  for (const step of preview.steps) {
    out.write(`  • ${step}\n`);
  }

  for (const warning of preview.warnings) {
    out.write(`  ! ${warning}\n`);
  }
}

/**
 * Asks the user to confirm a preview. --yes confirms; without a terminal and without --yes it refuses,
 * so a script never hangs on a prompt.
 */
export async function confirmPreview(preview: Preview, options: OutputOptions): Promise<boolean> {
  if (options.json) {
    printJson({type: 'preview', ...preview});
  } else {
    printPreview(preview);
  }

  if (options.yes) {
    return true;
  }

  if (!process.stdin.isTTY) {
    throw new InputError('This action needs a confirmation and there is no terminal to ask on.', 'Read the preview above and pass --yes to go ahead.');
  }

  const {createInterface} = await import('node:readline/promises');
  const prompt = createInterface({input: process.stdin, output: process.stderr});
  try {
    const answer = await prompt.question(preview.isDestructive ? 'Go ahead? Type "yes" to confirm: ' : 'Go ahead? [y/N] ');
    return preview.isDestructive ? answer.trim().toLowerCase() === 'yes' : /^y(es)?$/i.test(answer.trim());
  } finally {
    prompt.close();
  }
}

/**
 * Runs `work` with a signal that Ctrl-C fires, instead of Ctrl-C ending the process at once: what the work made
 * for itself (a helper container, a partial file) is cleaned up by the work as it stops.
 */
export async function withCtrlC<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  // SIGTERM and SIGHUP (the terminal closed) cancel as Ctrl-C does: the job undoes what it started.
  const handlers = stopSignals.map(name => [name, () => {
    receivedSignal ??= name;
    if (name === 'SIGHUP') {
      // The terminal is gone: writing to it fails (EIO), which must not stop the undoing.
      for (const stream of [process.stdout, process.stderr]) {
        stream.on('error', () => undefined);
      }
    }

    controller.abort();
  }] as const);
  for (const [name, handler] of handlers) {
    process.on(name, handler);
  }

  try {
    return await work(controller.signal);
  } finally {
    for (const [name, handler] of handlers) {
      process.off(name, handler);
    }
  }
}

const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let receivedSignal: (typeof stopSignals)[number] | undefined;

/** The exit status for a run a signal stopped (128 + its number, as shells report it), if one did. */
export function signalExitCode(): number | undefined {
  return receivedSignal === undefined ? undefined : 128 + ({SIGHUP: 1, SIGINT: 2, SIGTERM: 15} as const)[receivedSignal];
}

/** Runs a job, printing its events; resolves to the `done` event. Ctrl-C aborts the job cleanly. */
export async function runJobInCli(job: Job, engine: EnginePort, options: OutputOptions): Promise<Extract<JobEvent, {type: 'done'}> | undefined> {
  return withCtrlC(async signal => printJob(job, engine, signal, options));
}

async function printJob(job: Job, engine: EnginePort, signal: AbortSignal, options: OutputOptions): Promise<Extract<JobEvent, {type: 'done'}> | undefined> {
  const isBar = !options.json && process.stderr.isTTY;
  // Loaded while the job starts, awaited at its first progress event (which sees a failed load).
  const barModules = isBar ? loadBarModules() : undefined;
  barModules?.catch(() => undefined);
  let bar: cliProgress.SingleBar | undefined;
  let lastUnit: 'bytes' | 'items' = 'items';
  let done: Extract<JobEvent, {type: 'done'}> | undefined;
  const stopBar = () => {
    bar?.stop();
    bar = undefined;
  };

  try {
    for await (const event of job(engine, signal)) {
      if (options.json) {
        printJson(event);
      } else if (event.type === 'progress') {
        if (barModules && event.total) {
          const {bars, formatAmount} = await barModules;
          lastUnit = event.unit;
          if (!bar) {
            bar = new bars.SingleBar({
              format: '  {bar} {percentage}% | {amount} of {all} | {current}',
              hideCursor: true,
              clearOnComplete: true,
              stream: process.stderr,
            }, bars.Presets.shades_classic);
            bar.start(event.total, 0, {amount: '0', all: formatAmount(event.total, lastUnit), current: ''});
          }

          bar.setTotal(event.total);
          bar.update(event.done, {amount: formatAmount(event.done, lastUnit), all: formatAmount(event.total, lastUnit), current: (event.current ?? '').slice(-40)});
        }
      } else {
        stopBar();
        if (event.type === 'step') {
          process.stderr.write(`→ ${maskSecretText(event.title)}\n`);
        } else if (event.type === 'log') {
          process.stderr.write(`  ${maskSecretText(event.line)}\n`);
        } else if (event.type === 'warning') {
          process.stderr.write(`! ${maskSecretText(event.message)}\n`);
        } else {
          done = event;
          // ✓ only when the job's own read-back holds: a done with bad news (differences found) is ✗.
          process.stdout.write(`${event.isBadNews ? '✗' : '✓'} ${maskSecretText(event.summary)}\n`);
        }
      }

      if (event.type === 'done') {
        done = event;
      }
    }
  } finally {
    stopBar();
  }

  return done;
}

/** Shows the preview, asks, and runs; prints "Cancelled" and changes nothing when declined. */
export async function confirmAndRun(prepared: PreparedJob, engine: EnginePort, options: OutputOptions): Promise<Extract<JobEvent, {type: 'done'}> | undefined> {
  if (!await confirmPreview(prepared.preview, options)) {
    throw new JobError('Cancelled: nothing was changed.');
  }

  return runJobInCli(prepared.job, engine, options);
}
