// The user's home folder, for the config, state and backups folders. A process with no HOME and no
// password entry for its user (an `env -i` run, a minimal container) gets a folder of its own under the
// system's temporary folder instead of a crash at start.
import {homedir, tmpdir} from 'node:os';
import path from 'node:path';

/** $HOME, else the password entry's home, else `<tmp>/hawser-home-<uid>`. */
export function homeFolder(env: NodeJS.ProcessEnv = process.env): string {
  if (env['HOME']) {
    return env['HOME'];
  }

  try {
    return homedir();
  } catch {
    return path.join(tmpdir(), `hawser-home-${process.getuid?.() ?? 'user'}`);
  }
}
