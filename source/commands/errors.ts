// How a failed command ends: one or two lines saying what failed and what to do, never a stack trace.
import {ConnectionConfigError} from '../engine/connection.js';
import {EngineError} from '../engine/errors.js';
import {InputError, JobError} from '../jobs/job.js';
import {SandboxError} from '../sandbox/isolated-engine.js';
import {maskSecretText} from '../model/secrets.js';

/** Exit codes, documented in the readme. */
export const exitCodes = {ok: 0, failure: 1, usage: 2, forwardingOff: 3, unreachable: 4, differences: 5, cancelled: 130} as const;

type SystemError = Error & {readonly code?: string; readonly path?: string; readonly syscall?: string};

/** A file system error from Node (it has a syscall and a path) said in words, with what to do; undefined for any other error. */
function fileSystemProblem(error: unknown): {readonly message: string; readonly hint: string; readonly isUsage: boolean} | undefined {
  const {code, path, syscall} = (error ?? {}) as SystemError;
  if (!(error instanceof Error) || !code || !syscall || !path) {
    return undefined;
  }

  switch (code) {
    case 'ENOENT': {
      return {message: `${path} does not exist.`, hint: 'Check the path (a folder on the way may be missing).', isUsage: true};
    }

    case 'EISDIR': {
      return {message: `${path} is a folder, where a file is needed.`, hint: 'Give the file inside it.', isUsage: true};
    }

    case 'ENOTDIR': {
      return {message: `A part of ${path} is a file, where a folder is needed.`, hint: 'Check the path.', isUsage: true};
    }

    case 'EEXIST': {
      return {message: `${path} already exists.`, hint: 'Choose another path, or move it away first.', isUsage: true};
    }

    case 'EACCES':
    case 'EPERM': {
      return {message: `Permission denied on ${path} (${syscall}).`, hint: 'Run hawser as a user who may use it, or choose another path.', isUsage: true};
    }

    case 'EROFS': {
      return {message: `${path} is on a read-only file system.`, hint: 'Choose a path on a writable file system.', isUsage: true};
    }

    case 'ENOSPC': {
      return {message: `No space left on the device of ${path}.`, hint: 'Free some space (df -h), or choose a path on another file system.', isUsage: false};
    }

    case 'ENAMETOOLONG': {
      // The path may be thousands of characters: shown shortened, with what is too long in it.
      const longest = Math.max(...path.split('/').map(name => Buffer.byteLength(name)));
      const characters = [...path];
      const shown = characters.length > 80 ? `${characters.slice(0, 50).join('')}…${characters.slice(-20).join('')}` : path;
      const why = longest > 255 ? `a name in it is ${longest} bytes long, and a file or folder name can have at most 255` : `it is ${Buffer.byteLength(path)} bytes long, more than the system takes (4,095 at most)`;
      return {message: `The path ${shown} is too long: ${why}.`, hint: 'Give a shorter path: shorter names, or fewer folders.', isUsage: true};
    }

    default: {
      return undefined;
    }
  }
}

/** The message a person sees for an error, secrets in it masked (a URL's password the engine echoed). */
export function formatError(error: unknown): string {
  return maskSecretText(errorText(error));
}

function errorText(error: unknown): string {
  if (error instanceof EngineError || error instanceof JobError) {
    return `hawser: ${error.message}${error.hint ? `\n  ${error.hint}` : ''}`;
  }

  const problem = fileSystemProblem(error);
  if (problem) {
    return `hawser: ${problem.message}\n  ${problem.hint}`;
  }

  if (error instanceof ConnectionConfigError || error instanceof SandboxError) {
    return `hawser: ${error.message}`;
  }

  return `hawser: ${error instanceof Error ? error.message : String(error)}`;
}

/** The exit code for an error. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof InputError || error instanceof ConnectionConfigError || fileSystemProblem(error)?.isUsage) {
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
