// Starts and stops a Docker engine of its own: own network namespace, data root, exec root and
// socket, so nothing it does touches the user's engine or the host's network settings. Used by
// `hawser sandbox` and by the test suite alike.
import {execFileSync, spawn} from 'node:child_process';
import {closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync} from 'node:fs';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';

/** Where one isolated engine keeps its files, and its names. */
export type IsolatedEngineLayout = {
  /** Network namespace name (`ip netns`). */
  readonly netns: string;
  readonly baseDir: string;
  readonly dataRoot: string;
  readonly execRoot: string;
  readonly socketPath: string;
  readonly pidFile: string;
  readonly logFile: string;
};

/** The folders and names of an isolated engine under `baseDir`. */
export function layoutFor(baseDir: string, netns: string): IsolatedEngineLayout {
  return {
    netns,
    baseDir,
    dataRoot: path.join(baseDir, 'data'),
    // Kept short: containerd's socket paths below it must fit in 108 bytes.
    execRoot: path.join(baseDir, 'x'),
    socketPath: path.join(baseDir, 'docker.sock'),
    pidFile: path.join(baseDir, 'dockerd.pid'),
    logFile: path.join(baseDir, 'dockerd.log'),
  };
}

/** Why the isolated engine cannot run here, in words a person can act on. */
export class SandboxError extends Error {
  override readonly name = 'SandboxError';
}

function run(command: string, args: readonly string[]): string {
  return execFileSync(command, args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
}

function hasCommand(command: string): boolean {
  try {
    run('sh', ['-c', 'command -v "$1"', 'sh', command]);
    return true;
  } catch {
    return false;
  }
}

/** The pid of the engine when it is running, else undefined. */
export function runningPid(layout: IsolatedEngineLayout): number | undefined {
  let pid: number;
  try {
    // Read, not checked first: dockerd deletes the file as it exits, also between a check and a read.
    pid = Number(readFileSync(layout.pidFile, 'utf8').trim());
  } catch {
    return undefined;
  }

  if (!pid) {
    return undefined;
  }

  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/**
 * Makes sure dockerd, ip and busybox-static are present; as root with apt, installs Debian's
 * docker.io and busybox-static. `report` receives what is being done.
 */
export function ensureHostPackages(report: (line: string) => void, extra: readonly {command: string; package: string}[] = []): void {
  const missing: string[] = extra.filter(need => !hasCommand(need.command)).map(need => need.package);
  if (!hasCommand('dockerd')) {
    missing.push('docker.io');
  }

  if (!existsSync('/bin/busybox') && !hasCommand('busybox')) {
    missing.push('busybox-static');
  }

  if (!hasCommand('ip')) {
    missing.push('iproute2');
  }

  if (!hasCommand('nsenter')) {
    missing.push('util-linux');
  }

  if (missing.length === 0) {
    return;
  }

  if (process.getuid?.() !== 0 || !hasCommand('apt-get')) {
    throw new SandboxError(`The sandbox needs ${missing.join(', ')}, and hawser can install them only as root on Debian. Install them (apt-get install ${missing.join(' ')}) and try again.`);
  }

  report(`Installing ${missing.join(', ')} from Debian's packages…`);
  const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'};
  const apt = (args: string[]) => execFileSync('apt-get', args, {stdio: ['ignore', 'ignore', 'pipe'], env});
  try {
    apt(['install', '-y', '--no-install-recommends', ...missing]);
  } catch {
    apt(['update']);
    apt(['install', '-y', '--no-install-recommends', ...missing]);
  }
}

/** Checks the things only root can do before trying. */
export function assertCanRun(): void {
  if (process.platform !== 'linux') {
    throw new SandboxError('The sandbox needs Linux (network namespaces and dockerd).');
  }

  if (process.getuid?.() !== 0) {
    throw new SandboxError('The sandbox starts its own dockerd in a network namespace, which needs root. Run it as root (sudo), or point hawser at an engine with --host.');
  }
}

async function waitForSocket(layout: IsolatedEngineLayout, pid: number, ping: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      const log = existsSync(layout.logFile) ? readFileSync(layout.logFile, 'utf8').trim().split('\n').slice(-5).join('\n') : '';
      throw new SandboxError(`The sandbox engine exited while starting. Its log (${layout.logFile}) ends with:\n${log}`);
    }

    if (existsSync(layout.socketPath) && await ping()) {
      return;
    }

    await sleep(100);
  }

  throw new SandboxError(`The sandbox engine did not answer on ${layout.socketPath} within 60 s. See ${layout.logFile}.`);
}

/**
 * Starts dockerd in its namespace; resolves once it answers pings. Idempotent. `pathDirs` go first
 * on dockerd's PATH: a newer engine's unpacked binaries (see engine-versions.ts).
 */
export async function startIsolatedEngine(layout: IsolatedEngineLayout, ping: () => Promise<boolean>, options: {pathDirs?: readonly string[]} = {}): Promise<{pid: number; wasRunning: boolean}> {
  assertCanRun();
  const existing = runningPid(layout);
  if (existing) {
    await waitForSocket(layout, existing, ping);
    return {pid: existing, wasRunning: true};
  }

  mkdirSync(layout.dataRoot, {recursive: true});
  mkdirSync(layout.execRoot, {recursive: true});
  const namespaces = run('ip', ['netns', 'list']);
  if (!namespaces.split('\n').some(line => line.split(' ')[0] === layout.netns)) {
    run('ip', ['netns', 'add', layout.netns]);
  }

  run('ip', ['-n', layout.netns, 'link', 'set', 'lo', 'up']);
  rmSync(layout.socketPath, {force: true});
  const log = openSync(layout.logFile, 'a');
  // nsenter, not `ip netns exec`: that one remounts /sys and hides the cgroup mounts.
  const child = spawn('nsenter', [
    `--net=/var/run/netns/${layout.netns}`,
    'dockerd',
    '--data-root', layout.dataRoot,
    '--exec-root', layout.execRoot,
    '--pidfile', layout.pidFile,
    '-H', `unix://${layout.socketPath}`,
    '--iptables=true',
  ], {detached: true, stdio: ['ignore', log, log], env: {...process.env, PATH: [...(options.pathDirs ?? []), process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin'].join(':')}});
  closeSync(log);
  child.unref();
  const pid = child.pid;
  if (!pid) {
    throw new SandboxError('Could not start dockerd.');
  }

  await waitForSocket(layout, pid, ping);
  return {pid, wasRunning: false};
}

/** Stops the engine, removes its namespace and, when asked, its data. */
export async function stopIsolatedEngine(layout: IsolatedEngineLayout, options: {removeData?: boolean} = {}): Promise<boolean> {
  const pid = runningPid(layout);
  if (pid) {
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && runningPid(layout)) {
      await sleep(100);
    }

    if (runningPid(layout)) {
      process.kill(pid, 'SIGKILL');
      await sleep(500);
    }
  }

  try {
    run('ip', ['netns', 'del', layout.netns]);
  } catch {}

  if (options.removeData) {
    // dockerd unmounts its layers on a clean stop; a leftover mount would make rm fail loudly.
    try {
      const mounts = readFileSync('/proc/mounts', 'utf8').split('\n')
        .map(line => line.split(' ')[1] ?? '')
        .filter(mountPoint => mountPoint.startsWith(layout.baseDir + '/'))
        .sort((a, b) => b.length - a.length);
      for (const mountPoint of mounts) {
        try {
          run('umount', ['-l', mountPoint]);
        } catch {}
      }
    } catch {}

    rmSync(layout.baseDir, {recursive: true, force: true});
  }

  return Boolean(pid);
}
