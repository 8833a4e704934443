// `hawser netmode CONTAINER MODE`: switch a container's network mode, live where the engine allows,
// by the safe recreate otherwise; the preview lists what the mode cannot keep and who depends on it.
import type {Command} from 'commander';
import {InputError} from '../jobs/job.js';
import type {RegisterCommand} from './context.js';
import {confirmAndRun, printJson} from './job-output.js';
import {checkContainerName, checkNetworkName} from './names.js';
import {argumentOf} from './value-kinds.js';

/** The flags of `hawser netmode`. */
export type NetmodeFlags = {readonly yes?: boolean; readonly json?: boolean};

/** Throws InputError, before the engine is asked, for a CONTAINER or MODE that cannot name anything (empty, or with "/"). */
export function checkNetmodeArguments(container: string, mode: string): void {
  checkContainerName(container, 'CONTAINER');
  const trimmed = mode.trim();
  if (trimmed.startsWith('container:')) {
    // An empty name after container: is said by the switch itself, with the modes there are.
    if (trimmed.slice('container:'.length).trim()) {
      checkContainerName(trimmed.slice('container:'.length), 'the container in container:NAME');
    }
  } else if (trimmed) {
    checkNetworkName(mode, 'MODE');
  }
}

/** Registers `hawser netmode`. */
export const registerNetmode: RegisterCommand = (program: Command, context) => {
  program.command('netmode')
    .description('switch a container\'s network mode without losing its settings, volumes or dependants')
    .addArgument(argumentOf('container', '<container>', 'container name or id'))
    .addArgument(argumentOf('netmode', '<mode>', 'bridge, host, none, container:NAME, or the name of a user-defined network'))
    .option('-y, --yes', 'do not ask')
    .option('--json', 'print JSON lines (the plan, the preview, then the events)')
    .addHelpText('after', '\nExamples:\n  hawser netmode web host        # ports are kept aside and come back on the way back\n  hawser netmode web bridge --yes\n  hawser netmode sidecar container:web')
    .action(async (container: string, mode: string, flags: NetmodeFlags) => {
      if (context.isReadOnly()) {
        throw new InputError('--read-only is set: hawser will not switch network modes.', 'Run without --read-only.');
      }

      checkNetmodeArguments(container, mode);
      const engine = context.connect();
      const {prepareNetworkModeSwitch} = await import('../jobs/network-mode/switch.js');
      const prepared = await prepareNetworkModeSwitch(engine, container, mode);
      if (flags.json) {
        printJson({type: 'plan', ...prepared.summary});
      }

      await confirmAndRun(prepared, engine, {json: flags.json, yes: flags.yes});
    });
};
