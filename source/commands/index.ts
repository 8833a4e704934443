// Every subcommand module, in the order `hawser --help` lists them.
import type {Command} from 'commander';
import type {CommandContext, RegisterCommand} from './context.js';
import {registerBackup} from './backup.js';
import {registerCompletion} from './completion.js';
import {registerDoctor} from './doctor.js';
import {addExamples} from './examples.js';
import {registerHelp, reportUnknownCommands} from './help.js';
import {registerForwarding} from './forwarding.js';
import {registerLink} from './link.js';
import {registerLs} from './ls.js';
import {registerMan} from './man.js';
import {registerNetmode} from './netmode.js';
import {registerNetwork} from './network.js';
import {registerRecover} from './recover.js';
import {registerRestore} from './restore.js';
import {registerSandbox} from './sandbox.js';
import {registerVerify} from './verify.js';
import {registerVolume} from './volume.js';

/** Registered by the entry point. */
export const commandModules: readonly RegisterCommand[] = [
  registerBackup,
  registerDoctor,
  registerForwarding,
  registerLink,
  registerLs,
  registerNetmode,
  registerNetwork,
  registerRecover,
  registerRestore,
  registerSandbox,
  registerVerify,
  registerVolume,
  registerCompletion,
  registerMan,
  registerHelp,
];

/** Adds every subcommand to `program`, with its examples, and answers an unknown command with the closest one. */
export function registerCommands(program: Command, context: CommandContext): void {
  for (const register of commandModules) {
    register(program, context);
  }

  addExamples(program);
  reportUnknownCommands(program);
}
