// How a failed command ends: one or two lines saying what failed and what to do, never a stack trace.
import {ConnectionConfigError} from '../engine/connection.js';
import {EngineError} from '../engine/errors.js';
import {InputError, JobError} from '../jobs/job.js';
import {SandboxError} from '../sandbox/isolated-engine.js';

/** Exit codes, documented in the readme. */
export const exitCodes = {ok: 0, failure: 1, usage: 2, forwardingOff: 3, unreachable: 4, cancelled: 130} as const;

/** The message a person sees for an error. */
export function formatError(error: unknown): string {
  if (error instanceof EngineError || error instanceof JobError) {
    return `hawser: ${error.message}${error.hint ? `\n  ${error.hint}` : ''}`;
  }

  if (error instanceof ConnectionConfigError || error instanceof SandboxError) {
    return `hawser: ${error.message}`;
  }

  return `hawser: ${error instanceof Error ? error.message : String(error)}`;
}

/** The exit code for an error. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof InputError || error instanceof ConnectionConfigError) {
    return exitCodes.usage;
  }

  if (error instanceof JobError && error.message.startsWith('Cancelled')) {
    return exitCodes.cancelled;
  }

  if (error instanceof EngineError && error.reason === 'unreachable') {
    return exitCodes.unreachable;
  }

  return exitCodes.failure;
}
