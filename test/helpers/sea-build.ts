// Builds the single executable for this machine (scripts/package-sea.mjs, as `npm run package` does) before the
// sea project's files run, so the test command tests what it built: seconds when nothing changed. A build that
// fails fails the run with the build's own reason; it is never skipped.
import {spawnSync} from 'node:child_process';

export default function setup() {
  const command = ['scripts/package-sea.mjs', '--arch', process.arch];
  const build = spawnSync(process.execPath, command, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
  if (build.status !== 0) {
    throw new Error(`The single executable could not be built (node ${command.join(' ')}):\n${build.stderr || build.error?.message || `exit ${build.status}`}`);
  }

  // Its lines: what was built (or up to date), its size, and the --version it gave.
  process.stdout.write(build.stderr);
}
