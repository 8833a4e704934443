// Every subcommand module, in the order `hawser --help` lists them.
import type {RegisterCommand} from './context.js';
import {registerBackup} from './backup.js';
import {registerForwarding} from './forwarding.js';
import {registerLs} from './ls.js';
import {registerNetmode} from './netmode.js';
import {registerNetwork} from './network.js';
import {registerRestore} from './restore.js';
import {registerSandbox} from './sandbox.js';
import {registerVerify} from './verify.js';

/** Registered by the entry point. */
export const commandModules: readonly RegisterCommand[] = [
  registerBackup,
  registerForwarding,
  registerLs,
  registerNetmode,
  registerNetwork,
  registerRestore,
  registerSandbox,
  registerVerify,
];
