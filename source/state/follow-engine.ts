// The connection loop: list everything, then follow the engine's events from the engine's own clock;
// on a dropped stream or a failed listing, say so on screen, wait (backing off), and start again from
// where the stream stopped. No polling: while nothing happens, nothing is sent.
import {isUnreachable, toEngineError} from '../engine/errors.js';
import type {EnginePort} from '../engine/port.js';
import type {EngineEvent, EngineInfo} from '../engine/types.js';
import type {EngineMirror} from './engine-mirror.js';

/** What the loop does at each connection, and with each event. */
export type FollowOptions = {
  readonly signal: AbortSignal;
  /** Delays between reconnect attempts (ms), the last one repeating. */
  readonly backoffMs: readonly number[];
  /** Lists everything into the mirror; the engine's info (its clock) comes back. */
  readonly load: () => Promise<EngineInfo>;
  readonly onEvent: (event: EngineEvent) => void;
};

/** Runs the loop until the signal aborts; `wake` cuts a wait before the next attempt short. */
export function followEngine(engine: EnginePort, mirror: EngineMirror, options: FollowOptions): {wake: () => void} {
  const {signal, backoffMs} = options;
  let wake: (() => void) | undefined;

  async function run(): Promise<void> {
    let attempt = 0;
    let since: number | undefined;
    let lastInfo: EngineInfo | undefined;
    while (!signal.aborted) {
      try {
        const info = await options.load();
        lastInfo = info;
        attempt = 0;
        // Start at the engine's own clock from before the listing: changes made while listing are
        // replayed (handlers are idempotent), and a reconnect resumes where the stream stopped.
        since ??= info.systemTime - 1;
        for await (const event of engine.events({signal, since})) {
          since = event.timeNano / 1e9;
          options.onEvent(event);
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
        const delay = backoffMs[Math.min(attempt, backoffMs.length - 1)] ?? 5000;
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
  return {wake: () => wake?.()};
}
