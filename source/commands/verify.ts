// `hawser verify FILE`: is an archive complete, safe to restore, and true to its manifest.
import type {Command} from 'commander';
import type {EnginePort} from '../engine/port.js';
import type {RegisterCommand} from './context.js';
import {runJobInCli} from './job-output.js';
import {argumentOf} from './value-kinds.js';

/** Registers `hawser verify`. */
export const registerVerify: RegisterCommand = (program: Command) => {
  program.command('verify')
    .description('check an archive made by hawser backup: complete, safe to restore, every checksum right (exit 1 when not)')
    .addArgument(argumentOf('archive', '<file>', 'the archive'))
    .option('--json', 'print JSON lines')
    .action(async (file: string, flags: {json?: boolean}) => {
      const {prepareVerify} = await import('../jobs/volume-archive/verify-job.js');
      // Reading a local file needs no engine.
      await runJobInCli(prepareVerify(file).job, undefined as unknown as EnginePort, {json: flags.json});
    });
};
