// The user's config file: key bindings, theme and the backups folder. Read once at start; unknown
// or malformed settings are reported with what to do, never silently ignored.
import {existsSync, readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import path from 'node:path';

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
  return env['HAWSER_CONFIG'] || path.join(env['XDG_CONFIG_HOME'] || path.join(env['HOME'] || homedir(), '.config'), 'hawser', 'config.json');
}

/** The config and the problems found in it (each a sentence saying what to do). */
export type LoadedConfig = {readonly config: Config; readonly problems: readonly string[]; readonly file: string};

/** Reads and checks the config file; a missing file is the defaults, with no problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, knownCommands: ReadonlySet<string> = new Set()): LoadedConfig {
  const file = configPath(env);
  if (!existsSync(file)) {
    return {config: defaultConfig, problems: [], file};
  }

  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
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
    switch (name) {
      case 'keys': {
        if (!value || typeof value !== 'object' || Array.isArray(value)) {
          problems.push(`"keys" in ${file} must map command names to lists of keys, like {"quit": ["q", "ctrl+c"]}.`);
          break;
        }

        const checked: Record<string, readonly string[]> = {};
        for (const [command, list] of Object.entries(value as Record<string, unknown>)) {
          if (knownCommands.size > 0 && !knownCommands.has(command)) {
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
          backupsDir = value.startsWith('~/') ? path.join(env['HOME'] || homedir(), value.slice(2)) : value;
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
