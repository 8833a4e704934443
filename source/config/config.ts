// The user's config file: key bindings, theme and the backups folder. Read once at start; unknown
// or malformed settings are reported with what to do, never silently ignored.
import {closeSync, constants, fstatSync, openSync, readSync, statSync} from 'node:fs';
import path from 'node:path';
import {homeFolder} from '../model/home.js';

/** The settings hawser reads, with their defaults. */
export type Config = {
  /** Command → keys, replacing the default keys of that command (see `?` for command names). */
  readonly keys: Readonly<Record<string, readonly string[]>>;
  /** 'default' (colours) or 'mono' (no colours, as with NO_COLOR). */
  readonly theme: 'default' | 'mono';
  /** Where backups go and restores look, unless $HAWSER_BACKUP_DIR is set. */
  readonly backupsDir?: string;
  /** Mouse: click selects a row, the wheel moves. Off by default (it takes over the terminal's own selection). */
  readonly mouse: boolean;
};

/** The defaults, documented in the readme. */
export const defaultConfig: Config = {keys: {}, theme: 'default', mouse: false};

/** Where the file is: $HAWSER_CONFIG, else $XDG_CONFIG_HOME/hawser/config.json, else ~/.config/hawser/config.json. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return env['HAWSER_CONFIG'] || path.join(env['XDG_CONFIG_HOME'] || path.join(homeFolder(env), '.config'), 'hawser', 'config.json');
}

/** The config and the problems found in it (each a sentence saying what to do). */
export type LoadedConfig = {readonly config: Config; readonly problems: readonly string[]; readonly file: string};

/** The largest config file hawser reads: a real one is a few hundred bytes. */
export const maxConfigBytes = 1024 * 1024;

/** Names that would reach an object's prototype instead of a setting: never read as settings or commands. */
const prototypeNames: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The file's text, or why it cannot be read (a sentence saying what to do); undefined when there is no file and
 * that is fine. `defaultFile` is given when $HAWSER_CONFIG named `file`: the file used without it.
 */
function readConfigText(file: string, defaultFile: string | undefined): {readonly text: string} | {readonly problem: string} | undefined {
  const isNamed = defaultFile !== undefined;
  const where = isNamed ? `${file} (named by HAWSER_CONFIG)` : file;
  const nameAFile = isNamed ? 'Name a JSON file in HAWSER_CONFIG, or unset it' : 'Make it a JSON file, or remove it';
  const checkIt = `Check that ${isNamed ? 'HAWSER_CONFIG names' : 'it is'} the config file (a real one is a few hundred bytes)`;
  // Followed when it is a link (a dotfile manager's); anything but a plain file (a device, a pipe) would never end, or block.
  let stats;
  try {
    stats = statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return isNamed ? {problem: `${where} does not exist; using the defaults. Create it, or unset HAWSER_CONFIG to use ${defaultFile}.`} : undefined;
    }

    return {problem: `${where} cannot be read (${code ?? String(error)}); using the defaults. Check the path and its permissions.`};
  }

  if (!stats.isFile()) {
    return {problem: `${where} is ${stats.isDirectory() ? 'a folder' : 'not a plain file (a device, a pipe or a socket)'}; using the defaults. ${nameAFile}.`};
  }

  if (stats.size > maxConfigBytes) {
    return {problem: `${where} is ${stats.size} bytes; a config file may have at most 1 MiB, so it was not read and the defaults are used. ${checkIt}.`};
  }

  let descriptor: number;
  try {
    // Non-blocking: should a pipe take the file's place meanwhile, opening it does not wait for a writer.
    descriptor = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return {problem: `${where} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); using the defaults. Check its permissions.`};
  }

  try {
    if (!fstatSync(descriptor).isFile()) {
      return {problem: `${where} is not a plain file; using the defaults. ${nameAFile}.`};
    }

    // At most one byte past the limit is read: a file that grew meanwhile is refused, never read to its end.
    const buffer = Buffer.alloc(maxConfigBytes + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length < buffer.length; length += read) {
      read = readSync(descriptor, buffer, length, buffer.length - length, null);
    }

    if (length > maxConfigBytes) {
      return {problem: `${where} grew past 1 MiB, the most a config file may have, while it was read; using the defaults. ${checkIt}.`};
    }

    return {text: buffer.toString('utf8', 0, length)};
  } catch (error) {
    return {problem: `${where} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); using the defaults. Check the file.`};
  } finally {
    closeSync(descriptor);
  }
}

/**
 * Reads and checks the config file. A missing file at the default place is the defaults, with no problem; one
 * named by $HAWSER_CONFIG that is missing, not a plain file, or over 1 MiB is the defaults with a problem.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, knownCommands: ReadonlySet<string> = new Set()): LoadedConfig {
  const file = configPath(env);
  const read = readConfigText(file, env['HAWSER_CONFIG'] ? configPath({...env, HAWSER_CONFIG: ''}) : undefined);
  if (!read) {
    return {config: defaultConfig, problems: [], file};
  }

  if ('problem' in read) {
    return {config: defaultConfig, problems: [read.problem], file};
  }

  let raw: unknown;
  try {
    raw = JSON.parse(read.text);
  } catch (error) {
    return {config: defaultConfig, problems: [`${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}); using the defaults. Fix the file or remove it.`], file};
  }

  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return {config: defaultConfig, problems: [`${file} must hold a JSON object; using the defaults.`], file};
  }

  const problems: string[] = [];
  const entries = raw as Record<string, unknown>;
  let {keys, theme, backupsDir, mouse} = defaultConfig;
  for (const [name, value] of Object.entries(entries)) {
    if (prototypeNames.has(name)) {
      problems.push(`"${name}" in ${file} is not a setting (hawser never reads __proto__, constructor or prototype); it was left out. Remove it.`);
      continue;
    }

    switch (name) {
      case 'keys': {
        if (!value || typeof value !== 'object' || Array.isArray(value)) {
          problems.push(`"keys" in ${file} must map command names to lists of keys, like {"quit": ["q", "ctrl+c"]}.`);
          break;
        }

        // No prototype: a command's keys are looked up by name, and no name may reach Object's own properties.
        const checked = Object.create(null) as Record<string, readonly string[]>;
        for (const [command, list] of Object.entries(value as Record<string, unknown>)) {
          if (prototypeNames.has(command)) {
            problems.push(`"keys.${command}" in ${file} is not a command (hawser never reads __proto__, constructor or prototype); it was left out. Remove it.`);
          } else if (knownCommands.size > 0 && !knownCommands.has(command)) {
            problems.push(`Unknown command "${command}" in "keys" of ${file}; the help screen (?) lists the commands.`);
          } else if (!Array.isArray(list) || list.length === 0 || !list.every(key => typeof key === 'string' && key.length > 0)) {
            problems.push(`"keys.${command}" in ${file} must be a non-empty list of keys, like ["q"].`);
          } else {
            checked[command] = list as string[];
          }
        }

        keys = checked;
        break;
      }

      case 'theme': {
        if (value === 'default' || value === 'mono') {
          theme = value;
        } else {
          problems.push(`"theme" in ${file} must be "default" or "mono".`);
        }

        break;
      }

      case 'backupsDir': {
        if (typeof value === 'string' && value.trim()) {
          backupsDir = value.startsWith('~/') ? path.join(homeFolder(env), value.slice(2)) : value;
        } else {
          problems.push(`"backupsDir" in ${file} must be a folder path.`);
        }

        break;
      }

      case 'mouse': {
        if (typeof value === 'boolean') {
          mouse = value;
        } else {
          problems.push(`"mouse" in ${file} must be true or false.`);
        }

        break;
      }

      default: {
        problems.push(`Unknown setting "${name}" in ${file}; hawser reads keys, theme, backupsDir and mouse.`);
      }
    }
  }

  return {config: {keys, theme, backupsDir, mouse}, problems, file};
}
