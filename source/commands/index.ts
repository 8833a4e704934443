// Every subcommand module, in the order `hawser --help` lists them.
import type {RegisterCommand} from './context.js';
import {registerForwarding} from './forwarding.js';
import {registerLs} from './ls.js';
import {registerSandbox} from './sandbox.js';

/** Registered by the entry point. */
export const commandModules: readonly RegisterCommand[] = [
  registerForwarding,
  registerLs,
  registerSandbox,
];
