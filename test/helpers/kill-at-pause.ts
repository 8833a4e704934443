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
