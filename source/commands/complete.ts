// What the shell's TAB offers, worked out from the command definitions themselves: the subcommands, the flags,
// and for a positional argument or an option's value the kind it declares (value-kinds.ts): live names of
// that kind from the engine, the docker contexts, fixed values, or a file directive the shell answers itself.
import type {Argument, Command, Option} from 'commander';
import {archiveExtensions, kindOf, type ValueKind} from './value-kinds.js';

/** One thing to offer, with what it is (zsh and fish show it beside the name). */
export type Candidate = {readonly value: string; readonly description?: string};

/** What to complete: these candidates, or files (with one of `extensions`) or directories, listed by the shell. */
export type Completion =
  | {readonly type: 'values'; readonly candidates: readonly Candidate[]}
  | {readonly type: 'files'; readonly extensions: readonly string[]}
  | {readonly type: 'directories'};

/** The kinds whose names come from somewhere live. */
export type LiveKind = 'container' | 'network' | 'volume' | 'context';

/** Live names of a kind; resolves to none when they cannot be had (no engine, a timeout). */
export type NameSource = (kind: LiveKind) => Promise<readonly string[]>;

/** The global options typed before the word being completed: where live names come from. */
export type TypedGlobals = {readonly host?: string; readonly context?: string; readonly sandbox?: boolean};

const none: Completion = {type: 'values', candidates: []};

/** The options a person can type in `command`: its own and its ancestors' (the globals), as --help shows them. */
function optionsIn(command: Command): Option[] {
  const options: Option[] = [];
  for (let current: Command | null = command; current; current = current.parent) {
    options.push(...current.createHelp().visibleOptions(current));
  }

  // The program's --version says nothing about a command, and each command's own --help comes first.
  const isRoot = command.parent === null;
  return options.filter((option, index) => (isRoot || option.long !== '--version') && options.findIndex(other => other.long === option.long) === index);
}

function findOption(command: Command, flag: string): Option | undefined {
  return optionsIn(command).find(option => option.long === flag || option.short === flag);
}

function takesValue(option: Option): boolean {
  return option.required || option.optional;
}

function visibleSubcommands(command: Command): Command[] {
  return command.createHelp().visibleCommands(command);
}

function findSubcommand(command: Command, name: string): Command | undefined {
  return visibleSubcommands(command).find(sub => sub.name() === name || sub.aliases().includes(name));
}

function firstLine(text: string): string {
  return text.split('\n')[0]!;
}

/** The global options typed in `words` (the words before the one being completed). */
export function typedGlobals(program: Command, words: readonly string[]): TypedGlobals {
  const globals: {host?: string; context?: string; sandbox?: boolean} = {};
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--') {
      break;
    }

    const [flag, inline] = word.startsWith('--') && word.includes('=') ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)] : [word, undefined];
    const option = program.options.find(o => o.long === flag || o.short === flag);
    if (option?.long === '--sandbox') {
      globals.sandbox = true;
    } else if (option?.long === '--host' || option?.long === '--context') {
      const value = inline ?? words[++i];
      if (value !== undefined) {
        globals[option.long === '--host' ? 'host' : 'context'] = value;
      }
    }
  }

  return globals;
}

async function valuesOf(kind: ValueKind | undefined, parent: Command, positionals: readonly string[], current: string, names: NameSource): Promise<Completion> {
  if (kind === undefined) {
    return none;
  }

  if (typeof kind === 'object') {
    return {type: 'values', candidates: kind.values.map(value => ({value}))};
  }

  switch (kind) {
    case 'archive': {
      return {type: 'files', extensions: archiveExtensions};
    }

    case 'path': {
      return {type: 'files', extensions: []};
    }

    case 'directory': {
      return {type: 'directories'};
    }

    case 'command': {
      // `hawser help network cr`: the commands below the ones already named.
      let named = parent;
      for (const name of positionals) {
        named = findSubcommand(named, name) ?? named;
      }

      return {type: 'values', candidates: visibleSubcommands(named).filter(sub => sub.name() !== 'help').map(sub => ({value: sub.name(), description: firstLine(sub.description())}))};
    }

    case 'netmode': {
      if (current.startsWith('container:')) {
        return {type: 'values', candidates: (await names('container')).map(name => ({value: `container:${name}`}))};
      }

      const [networks, containers] = await Promise.all([names('network'), names('container')]);
      const builtIn = ['bridge', 'host', 'none'];
      return {type: 'values', candidates: [...new Set([...builtIn, ...networks])].map(value => ({value})).concat(containers.map(name => ({value: `container:${name}`})))};
    }

    default: {
      return {type: 'values', candidates: (await names(kind)).map(value => ({value}))};
    }
  }
}

/** Keeps the candidates that start with `current`, and puts `prefix` (an option's `--flag=`) before each. */
function narrowed(completion: Completion, current: string, prefix = ''): Completion {
  if (completion.type !== 'values') {
    return completion;
  }

  const seen = new Set<string>();
  return {
    type: 'values',
    candidates: completion.candidates.filter(({value}) => value.startsWith(current) && !seen.has(value) && seen.add(value)).map(candidate => ({...candidate, value: `${prefix}${candidate.value}`})),
  };
}

function optionCandidates(command: Command, current: string): Completion {
  const candidates = optionsIn(command).flatMap(option => [option.long, option.short].filter((flag): flag is string => Boolean(flag)).map(flag => ({value: flag, description: option.description})));
  // Nothing typed yet, or "--": the long flags; "-" shows the short ones too.
  return narrowed({type: 'values', candidates: current === '' || current.startsWith('--') ? candidates.filter(c => c.value.startsWith('--')) : candidates}, current);
}

/**
 * What to offer for the last of `words` (the words after `hawser`; the last is the one being completed, '' for a new
 * one), from `program`'s definitions. `names` gives live names of a kind.
 */
export async function completeWords(program: Command, words: readonly string[], names: NameSource): Promise<Completion> {
  const current = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  let command = program;
  // The command `command` is below: a help command's commands are its parent's.
  let parent = program;
  let positionals: string[] = [];
  let isLiteral = false;
  let pendingOption: Option | undefined;
  for (const word of before) {
    if (pendingOption) {
      pendingOption = undefined;
      continue;
    }

    if (!isLiteral && word === '--') {
      isLiteral = true;
      continue;
    }

    if (!isLiteral && word.startsWith('-') && word.length > 1) {
      const option = findOption(command, word.includes('=') ? word.slice(0, word.indexOf('=')) : word);
      pendingOption = option && takesValue(option) && !word.includes('=') ? option : undefined;
      continue;
    }

    const sub = positionals.length === 0 ? findSubcommand(command, word) : undefined;
    if (sub) {
      parent = command;
      command = sub;
      positionals = [];
    } else {
      positionals.push(word);
    }
  }

  if (pendingOption) {
    return narrowed(await valuesOf(kindOf(pendingOption), parent, positionals, current, names), current);
  }

  if (!isLiteral && current.startsWith('--') && current.includes('=')) {
    const flag = current.slice(0, current.indexOf('=') + 1);
    const option = findOption(command, flag.slice(0, -1));
    return option && takesValue(option) ? narrowed(await valuesOf(kindOf(option), parent, positionals, current.slice(flag.length), names), current.slice(flag.length), flag) : none;
  }

  if (!isLiteral && current.startsWith('-')) {
    return optionCandidates(command, current);
  }

  const subcommands = visibleSubcommands(command);
  if (subcommands.length > 0 && positionals.length > 0) {
    // A word that is no command: nothing after it can be told.
    return none;
  }

  if (subcommands.length > 0) {
    return narrowed({type: 'values', candidates: subcommands.map(sub => ({value: sub.name(), description: firstLine(sub.description())}))}, current);
  }

  const argumentsOf: readonly Argument[] = command.registeredArguments;
  const last = argumentsOf.at(-1);
  const argument = argumentsOf[positionals.length] ?? (last?.variadic ? last : undefined);
  if (!argument) {
    // Nothing more to name: what is left to type is options.
    return isLiteral ? none : optionCandidates(command, current);
  }

  // The help commands commander adds below `network` and `sandbox` take a command too.
  const kind = kindOf(argument) ?? (command.name() === 'help' ? 'command' : undefined);
  return narrowed(await valuesOf(kind, parent, positionals, current, names), current);
}

/**
 * The words of a command line (bash hands over the line up to the cursor): split as the shell does at spaces,
 * quotes and backslashes taken away. The last word is the one being completed: '' after a space.
 */
export function splitLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: '"' | '\'' | undefined;
  let hasWord = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quote) {
      if (char === quote) {
        quote = undefined;
      } else if (char === '\\' && quote === '"' && i + 1 < line.length) {
        word += line[++i];
      } else {
        word += char;
      }
    } else if (char === '"' || char === '\'') {
      quote = char;
      hasWord = true;
    } else if (char === '\\' && i + 1 < line.length) {
      word += line[++i];
      hasWord = true;
    } else if (/\s/.test(char)) {
      if (hasWord || word) {
        words.push(word);
      }

      word = '';
      hasWord = false;
    } else {
      word += char;
      hasWord = true;
    }
  }

  words.push(word);
  return words;
}

/** The shells `hawser completion` writes a script for. */
export const shells = ['bash', 'zsh', 'fish'] as const;

/** One of `shells`. */
export type Shell = (typeof shells)[number];

/**
 * The answer the completion scripts read: a first line saying what it is (`:values`, `:files EXT…`, `:directories`),
 * then one candidate a line, with a tab and its description for zsh and fish. Bash completes only what follows the
 * last ":" or "=" of the word (they break words for it), so that much of `current` is taken off its candidates.
 */
export function formatCompletion(completion: Completion, shell: Shell, current: string): string {
  if (completion.type === 'files') {
    return `:files${completion.extensions.map(extension => ` ${extension}`).join('')}\n`;
  }

  if (completion.type === 'directories') {
    return ':directories\n';
  }

  const cut = shell === 'bash' ? current.slice(0, Math.max(current.lastIndexOf(':'), current.lastIndexOf('=')) + 1) : '';
  const lines = completion.candidates.map(({value, description}) => {
    const shown = value.startsWith(cut) ? value.slice(cut.length) : value;
    const said = description?.replaceAll(/\s+/g, ' ').trim();
    return shell === 'bash' || !said ? shown : `${shown}\t${said}`;
  });
  return `:values\n${lines.map(line => `${line}\n`).join('')}`;
}
