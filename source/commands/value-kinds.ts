// What kind of value each positional argument and option of the command line takes, declared where the
// command is defined: shell completion (`hawser __complete`) offers live names of that kind, and the man page
// says what each one is. Nothing else is needed for a new command's arguments to complete.
import {Argument, Option} from 'commander';

/**
 * The kinds of value the command line takes. Live names come from the engine (container, network, volume),
 * the docker CLI's contexts (context) or the file system (archive, path, directory); `netmode` is a network or
 * `container:NAME`; `command` is a hawser command (for `hawser help`); `values` is a fixed list.
 */
export type ValueKind =
  | 'container'
  | 'network'
  | 'volume'
  | 'context'
  | 'archive'
  | 'path'
  | 'directory'
  | 'netmode'
  | 'command'
  | {readonly values: readonly string[]};

const kinds = new WeakMap<Argument | Option, ValueKind>();

/** A positional argument that takes `kind` (commander's `new Argument`, with the kind recorded). */
export function argumentOf(kind: ValueKind, name: string, description?: string): Argument {
  const argument = new Argument(name, description);
  kinds.set(argument, kind);
  return argument;
}

/** An option whose value is of `kind` (commander's `new Option`, with the kind recorded). */
export function optionOf(kind: ValueKind, flags: string, description?: string): Option {
  const option = new Option(flags, description);
  kinds.set(option, kind);
  return option;
}

/** The kind an argument or option was declared with: its choices when it has some, else what `argumentOf`/`optionOf` recorded. */
export function kindOf(target: Argument | Option): ValueKind | undefined {
  return target.argChoices ? {values: target.argChoices} : kinds.get(target);
}

/** The extensions of the archives `hawser backup` writes and `hawser restore` reads. */
export const archiveExtensions = ['tar', 'tar.gz', 'tgz'] as const;
