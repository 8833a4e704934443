// What every subcommand gets from the entry point: a way to reach the engine the user chose.
import type {Command} from 'commander';
import type {EnginePort} from '../engine/port.js';
import {InputError} from '../jobs/job.js';

/** Given to each subcommand's register function. */
export type CommandContext = {
  /** The engine chosen by --host/--context/--sandbox/DOCKER_HOST; built on first use. */
  readonly connect: () => EnginePort;
  /** A client for another engine address (the sandbox's). */
  readonly connectTo: (host: string) => EnginePort;
  /** A client for the engine these global options name (what a shell completion finds typed on the line); without it, `connect`'s. */
  readonly connectWith?: (globals: {readonly host?: string; readonly context?: string}) => EnginePort;
  /** True with --read-only: commands that change the engine refuse to run. */
  readonly isReadOnly: () => boolean;
};

/** A subcommand module: adds its commands to the program. */
export type RegisterCommand = (program: Command, context: CommandContext) => void;

/** The engine, for a command that changes `what` (networks, volumes): refused with --read-only. */
export function writableEngine(context: CommandContext, what: string): EnginePort {
  if (context.isReadOnly()) {
    throw new InputError(`--read-only is set: hawser will not change ${what}.`, 'Run without --read-only.');
  }

  return context.connect();
}

/** A repeatable option's values, in the order given (commander's collect-into-an-array). */
export function collectValues(value: string, previous: readonly string[]): string[] {
  return [...previous, value];
}
