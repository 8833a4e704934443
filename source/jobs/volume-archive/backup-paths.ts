// Where archives go by default and what they are called.
import {existsSync, statSync} from 'node:fs';
import {homedir} from 'node:os';
import path from 'node:path';

/** The backups folder: $HAWSER_BACKUP_DIR, else $XDG_DATA_HOME/hawser/backups, else ~/.local/share/hawser/backups. */
export function backupsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['HAWSER_BACKUP_DIR']) {
    return path.resolve(env['HAWSER_BACKUP_DIR']);
  }

  const data = env['XDG_DATA_HOME'] || path.join(env['HOME'] || homedir(), '.local', 'share');
  return path.join(data, 'hawser', 'backups');
}

function stamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
}

/** `<volume>-<YYYYMMDD-HHMMSS>.tar[.gz]`. */
export function defaultArchiveName(volume: string, isGzip: boolean, date = new Date()): string {
  return `${volume}-${stamp(date)}.tar${isGzip ? '.gz' : ''}`;
}

/** Resolves -o: nothing → the backups folder; an existing folder or a name ending in '/' → a default name inside it; else the file itself. */
export function resolveDestination(volume: string, output: string | undefined, isGzip: boolean, env: NodeJS.ProcessEnv = process.env, date = new Date()): string {
  if (!output) {
    return path.join(backupsDir(env), defaultArchiveName(volume, isGzip, date));
  }

  const resolved = path.resolve(output);
  if (output.endsWith('/') || (existsSync(resolved) && statSync(resolved).isDirectory())) {
    return path.join(resolved, defaultArchiveName(volume, isGzip, date));
  }

  return resolved;
}

/** A name for a fresh volume restored from an archive of `volume`. */
export function restoredVolumeName(volume: string, date = new Date()): string {
  return `${volume}-restored-${stamp(date)}`;
}
