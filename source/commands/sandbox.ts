// `hawser sandbox up|down|status`: an isolated engine to try hawser on.
import type {Command} from 'commander';
import type {CommandContext} from './context.js';
import {optionOf} from './value-kinds.js';

/** Registers `sandbox`. */
export function registerSandbox(program: Command, context: CommandContext): void {
  const sandbox = program
    .command('sandbox')
    .description('an isolated Docker engine (own network namespace, data and socket) seeded with examples; needs root')
    .addHelpText('after', '\nExamples:\n  sudo hawser sandbox up              # start the newest engine that can be had, print its DOCKER_HOST\n  sudo hawser sandbox up --engine 20  # Debian bookworm\'s Docker 20.10 instead (26: trixie\'s, 28: sid\'s)\n  sudo hawser --sandbox               # open the TUI on it\n  sudo hawser sandbox down --purge');
  sandbox
    .command('up')
    .description('start the sandbox engine (installing docker.io and busybox-static when missing) and seed it')
    .addOption(optionOf({values: ['20', '26', '28']}, '--engine <version>', 'which Docker Engine: 20 (Debian bookworm\'s docker.io), 26 (trixie\'s) or 28 (sid\'s, the newest Debian has); default: the running one, else the newest that can be had'))
    .action(async (options: {engine?: string}) => {
      const {sandboxLayout, sandboxUp} = await import('../sandbox/sandbox.js');
      const {SandboxError} = await import('../sandbox/isolated-engine.js');
      if (context.isReadOnly()) {
        throw new SandboxError('--read-only: sandbox up starts an engine and creates containers in it. Leave out --read-only to start it.');
      }

      const layout = sandboxLayout();
      const host = await sandboxUp(layout, context.connectTo, line => process.stderr.write(`sandbox: ${line}\n`), options.engine);
      process.stderr.write(`The sandbox is up. Use it with:\n  hawser --sandbox\nor\n  export DOCKER_HOST=${host}\n`);
      process.stdout.write(`${host}\n`);
    });
  sandbox
    .command('down')
    .description('stop the sandbox engine')
    .option('--purge', 'also delete its data (containers, volumes, images)')
    .action(async (options: {purge?: boolean}) => {
      const {sandboxDown, sandboxLayout} = await import('../sandbox/sandbox.js');
      const layout = sandboxLayout();
      const wasRunning = await sandboxDown(layout, Boolean(options.purge));
      process.stderr.write(`${wasRunning ? 'Stopped the sandbox engine.' : 'The sandbox engine was not running.'}${options.purge ? ` Removed ${layout.baseDir}.` : ''}\n`);
    });
  sandbox
    .command('status')
    .description('say whether the sandbox engine runs, and its DOCKER_HOST')
    .action(async () => {
      const {sandboxLayout, sandboxStatus} = await import('../sandbox/sandbox.js');
      const status = sandboxStatus(sandboxLayout());
      process.stdout.write(status.isRunning ? `running engine ${status.engine ?? '20'} (pid ${status.pid}) at ${status.host}\n` : `not running (hawser sandbox up starts it)\n`);
      process.exitCode = status.isRunning ? 0 : 1;
    });
}
