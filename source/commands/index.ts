// Every subcommand module, in the order `hawser --help` lists them.
import type {RegisterCommand} from './context.js';
import {registerBackup} from './backup.js';
import {registerCompletion} from './completion.js';
import {registerDoctor} from './doctor.js';
import {registerForwarding} from './forwarding.js';
import {registerLink} from './link.js';
import {registerLs} from './ls.js';
import {registerNetmode} from './netmode.js';
import {registerNetwork} from './network.js';
import {registerRecover} from './recover.js';
import {registerRestore} from './restore.js';
import {registerSandbox} from './sandbox.js';
import {registerVerify} from './verify.js';

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
  // Last: it reads the commands above.
  registerCompletion,
];
