// Fault tests: run the hawser CLI with HAWSER_TEST_PAUSE_AFTER=<step> (a journaled operation stops
// after that step and says so on stderr), then SIGKILL it there, as a crash or a closed terminal would.
import {spawn} from 'node:child_process';
import path from 'node:path';

const cli = path.resolve('dist/cli.js');

/** Runs `hawser ...args` paused after `step`; resolves once it was killed there, rejects if it ended on its own. */
export async function killHawserAfter(args: readonly string[], step: string, env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn('node', [cli, ...args], {env: {...env, HAWSER_TEST_PAUSE_AFTER: step}, stdio: ['ignore', 'ignore', 'pipe']});
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes(`test pause after ${step}`)) {
        child.kill('SIGKILL');
      }
    });
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') {
        resolve();
      } else {
        reject(new Error(`hawser ${args.join(' ')} ended on its own before pausing after ${step}: ${stderr}`));
      }
    });
  });
}

/**
 * Runs `hawser ...args` paused after `step`, sends it `signal` there (SIGTERM, SIGHUP: a closed
 * terminal, SIGINT: Ctrl-C), and resolves to how it ended once it has finished on its own.
 */
export async function signalHawserAfter(args: readonly string[], step: string, env: NodeJS.ProcessEnv, signal: NodeJS.Signals): Promise<{code: number | null; stderr: string}> {
  const child = spawn('node', [cli, ...args], {env: {...env, HAWSER_TEST_PAUSE_AFTER: step}, stdio: ['ignore', 'ignore', 'pipe']});
  let stderr = '';
  let isSent = false;
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!isSent && stderr.includes(`test pause after ${step}`)) {
        isSent = true;
        child.kill(signal);
      }
    });
    child.on('exit', (code, killedBy) => {
      if (!isSent) {
        reject(new Error(`hawser ${args.join(' ')} ended on its own before pausing after ${step}: ${stderr}`));
      } else if (killedBy) {
        reject(new Error(`hawser ${args.join(' ')} was ended by ${killedBy} instead of handling ${signal}: ${stderr}`));
      } else {
        resolve({code, stderr});
      }
    });
  });
}
