// Reads memory and CPU of processes from /proc, and times commands the way a person's shell would.
import {execFile} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {promisify} from 'node:util';

const run = promisify(execFile);

/** Clock ticks per second of utime/stime in /proc/PID/stat (100 on Linux). */
export const ticksPerSecond = 100;

/** VmRSS and VmHWM (peak) of a process, in bytes. */
export function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = name => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return {rss: field('VmRSS'), peak: field('VmHWM')};
}

/** utime + stime of one process, in ms (0 when it is gone). */
export function cpuMsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces: fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 1000 / ticksPerSecond;
  } catch {
    return 0;
  }
}

/** The direct children of a process. */
export function childrenOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** The command name of a process. */
export function commOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** The engine's own processes: dockerd and the containerd it manages (not the containers' shims). */
export function engineProcesses(dockerdPid) {
  return [dockerdPid, ...childrenOf(dockerdPid).filter(pid => commOf(pid) === 'containerd')];
}

/** CPU ms used so far by a set of processes. */
export function cpuMsOfAll(pids) {
  return pids.reduce((sum, pid) => sum + cpuMsOf(pid), 0);
}

/** The docker CLI binary of this machine. */
export function dockerCli() {
  for (const candidate of ['/usr/local/bin/docker', '/usr/bin/docker']) {
    if (existsSync(candidate)) return candidate;
  }

  throw new Error('No docker CLI found at /usr/local/bin/docker or /usr/bin/docker.');
}

/**
 * Times a command as bash's `time` does (its fork and exec included, as for a person at a shell),
 * then runs it again under /usr/bin/time for its peak RSS and CPU. Output goes to a pipe.
 */
export async function measureCommand(args, engineCpu) {
  const script = 'TIMEFORMAT=%R; { time "$@" >/dev/null 2>&1; } 2>&1';
  const {stdout} = await run('bash', ['-c', script, 'bash', ...args]);
  const wallMs = Number(stdout.trim().split('\n').pop()) * 1000;
  const engineBefore = engineCpu();
  const {stderr} = await run('/usr/bin/time', ['-f', 'BENCH %M %U %S', ...args], {maxBuffer: 64 * 1024 * 1024});
  const engineMs = engineCpu() - engineBefore;
  const [, kb, user, system] = /BENCH (\d+) ([\d.]+) ([\d.]+)/.exec(stderr) ?? [];
  return {wallMs, peakRss: Number(kb) * 1024, cpuMs: (Number(user) + Number(system)) * 1000, engineMs};
}
