// Decides whether a freshly started container is really up: a crash-looping container with
// restart=always still reports Running, so the restart count and the healthcheck count too.
import type {EnginePort} from '../../engine/port.js';
import {JobError, throwIfAborted} from '../job.js';

/** How long the gate watches. */
export type HealthGateOptions = {
  /** Without a healthcheck: how long the container must stay up. */
  readonly settleMs?: number;
  /** With a healthcheck: how long to wait for "healthy". */
  readonly healthTimeoutMs?: number;
  readonly pollMs?: number;
};

async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  await new Promise<void>(resolve => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }

    signal.addEventListener('abort', done, {once: true});
  });
}

/** Resolves when the container is up (and healthy when it has a healthcheck); throws JobError saying why not. */
export async function waitUntilUp(engine: EnginePort, id: string, hasHealthcheck: boolean, signal: AbortSignal, options: HealthGateOptions = {}): Promise<void> {
  const settleMs = options.settleMs ?? 2000;
  const timeoutMs = options.healthTimeoutMs ?? 120_000;
  const pollMs = options.pollMs ?? 250;
  const started = Date.now();
  for (;;) {
    throwIfAborted(signal);
    const state = await engine.inspectContainer(id, {signal});
    if (!state.isRunning || state.isRestarting || state.restartCount > 0) {
      const exitCode = Number((state.raw['State'] as Record<string, unknown> | undefined)?.['ExitCode'] ?? 0);
      const logs = await engine.containerLogs(id).catch(() => '');
      const lastLine = logs.trim().split('\n').pop() ?? '';
      throw new JobError(
        `The new container did not stay up (${state.isRestarting || state.restartCount > 0 ? 'restarting' : `exited with code ${exitCode}`})${lastLine ? `: ${lastLine}` : ''}.`,
        'Check its command and settings in the target mode.',
      );
    }

    if (hasHealthcheck) {
      if (state.health === 'healthy') {
        return;
      }

      if (state.health === 'unhealthy') {
        throw new JobError('The new container reports unhealthy.', 'Check its healthcheck against the target mode (a port or address that changed?).');
      }

      if (Date.now() - started > timeoutMs) {
        throw new JobError(`The new container was not healthy after ${Math.round(timeoutMs / 1000)} s.`, 'Check its healthcheck, or raise its start period.');
      }
    } else if (Date.now() - started >= settleMs) {
      return;
    }

    await sleep(pollMs, signal);
  }
}
