// Runs the built hawser CLI (dist/cli.js) as a user's script would, in an environment of the test's.
import {execFile} from 'node:child_process';
import path from 'node:path';
import {promisify} from 'node:util';

/** How a run ended: its exit code (0 when it succeeded) and what it printed. */
export type CliResult = {code: number; stdout: string; stderr: string};

/** The built CLI's path. */
export const cliPath = path.resolve('dist/cli.js');

const run = promisify(execFile);

/** A runner of `hawser ARGS` with `env`; a failed run resolves with its code rather than rejecting. */
export function hawserIn(env: NodeJS.ProcessEnv): (args: readonly string[]) => Promise<CliResult> {
  return async args => run('node', [cliPath, ...args], {env}).then(result => ({code: 0, ...result}), (error: CliResult) => error);
}
