// The engine dies (SIGKILL of dockerd) in the middle of a backup, a restore and a recreate. hawser
// must say so in one or two lines (no stack), leave no partial archive, and once the engine is back
// (`hawser recover` where needed) the original container runs under its name and the volume is
// intact, with no helper containers left. A private isolated engine of its own, since the shared
// test engine cannot be stopped under the other test files.
import {execFile, spawn} from 'node:child_process';
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {promisify} from 'node:util';
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {describeVolume, inVolume} from './volume-backup-helpers.js';
import {parseHost} from '../../source/engine/connection.js';
import {createDockerEngine} from '../../source/engine/dockerode-adapter.js';
import type {EnginePort} from '../../source/engine/port.js';
import {currentMode} from '../../source/model/network-modes.js';
import {layoutFor, runningPid, startIsolatedEngine, stopIsolatedEngine, type IsolatedEngineLayout} from '../../source/sandbox/isolated-engine.js';
import {ensureBusyboxImage} from '../../source/sandbox/test-image.js';
import {noEngine, runBusybox, sh, testNetns} from '../helpers/engine.js';

type Json = Record<string, any>;

const run = promisify(execFile);
const cli = path.resolve('dist/cli.js');
// A private engine needs root and a namespace of its own: only where the suite made one itself.
const canRun = !noEngine && Boolean(testNetns);

describe.skipIf(!canRun)('the engine dies mid-operation', () => {
  let layout: IsolatedEngineLayout;
  let engine: EnginePort;
  let host: string;
  let work: string;
  let env: NodeJS.ProcessEnv;

  const start = async () => startIsolatedEngine(layout, async () => engine.ping().then(() => true, () => false)).catch((error: unknown) => {
    console.log(readFileSync(layout.logFile, 'utf8').split('\n').filter(l => !l.includes('grpc')).slice(-30).join('\n'));
    throw error;
  });

  const isAlive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  /** The engine dies as in a crash of the service: dockerd and its containerd killed, nothing cleaned up. */
  async function killEngine(): Promise<void> {
    const pid = runningPid(layout);
    expect(pid).toBeDefined();
    const containerd = Number(readFileSync(path.join(layout.execRoot, 'containerd', 'containerd.pid'), 'utf8').trim());
    // pids are reused quickly here: kill only processes that are what the files say they are, never
    // another test's process (a tmux server, a node) that got a stale pid.
    const commandOf = (candidate: number) => {
      try {
        return readFileSync(`/proc/${candidate}/cmdline`, 'utf8');
      } catch {
        return '';
      }
    };

    expect(commandOf(pid!)).toContain('dockerd');
    process.kill(pid!, 'SIGKILL');
    if (commandOf(containerd).includes('containerd') && commandOf(containerd).includes(layout.execRoot)) {
      process.kill(containerd, 'SIGKILL');
    }
    // A restart while the old containerd is still exiting waits on its dead socket and fails.
    while (runningPid(layout) || isAlive(containerd)) {
      await sleep(50);
    }

    // pids wrap around quickly here: a stale containerd.pid naming a reused pid makes dockerd wait for a containerd that is not there.
    rmSync(path.join(layout.execRoot, 'containerd', 'containerd.pid'), {force: true});
  }

  async function hawser(args: readonly string[]): Promise<{code: number; stdout: string; stderr: string}> {
    return run('node', [cli, ...args], {env}).then(r => ({code: 0, ...r}), (error: {code: number; stdout: string; stderr: string}) => error);
  }

  /** Runs hawser; when `trigger(stdout, stderr)` first holds, kills the engine and calls `after`; resolves with how hawser ended. */
  async function killEngineDuring(args: readonly string[], trigger: (stdout: string, stderr: string) => boolean, extraEnv: NodeJS.ProcessEnv = {}, after?: (child: ReturnType<typeof spawn>) => void): Promise<{code: number | null; stdout: string; stderr: string; killed: boolean}> {
    const child = spawn('node', [cli, ...args], {env: {...env, ...extraEnv}, stdio: ['ignore', 'pipe', 'pipe']});
    let stdout = '';
    let stderr = '';
    let killed = false;
    let killing: Promise<void> | undefined;
    const check = () => {
      if (!killed && trigger(stdout, stderr)) {
        killed = true;
        killing = killEngine().then(() => after?.(child));
      }
    };

    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      check();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      check();
    });
    const code = await new Promise<number | null>(resolve => child.on('exit', resolve));
    await killing;
    return {code, stdout, stderr, killed};
  }

  async function helpers(): Promise<string[]> {
    return (await engine.listContainers()).filter(c => c.labels['io.hawser.helper']).map(c => c.name);
  }

  async function checksum(container: string): Promise<string> {
    return sh(engine, container, 'md5sum /data/big /data/small | cut -d" " -f1');
  }

  beforeAll(async () => {
    const base = mkdtempSync('/tmp/hwf-');
    layout = layoutFor(base, `hawser-fault-${process.pid}`);
    host = `unix://${layout.socketPath}`;
    engine = createDockerEngine(parseHost(host, 'fault engine'), {requestTimeoutMs: 20_000});
    await start();
    await ensureBusyboxImage(engine);
    work = path.join(base, 'work');
    mkdirSync(work);
    env = {...process.env, DOCKER_HOST: host, HAWSER_STATE_DIR: path.join(work, 'state')};
    // 128 MiB of noise takes long enough through the archive API for the kill to land mid-stream.
    await runBusybox(engine, 'app', 'sleep 100000', {HostConfig: {Binds: ['appdata:/data'], RestartPolicy: {Name: 'unless-stopped', MaximumRetryCount: 0}}});
    await sh(engine, 'app', 'dd if=/dev/urandom of=/data/big bs=1M count=128 2>/dev/null; echo small > /data/small; echo rootfs > /root/marker');
  }, 180_000);

  afterAll(async () => {
    if (layout) {
      await stopIsolatedEngine(layout, {removeData: true});
    }
  }, 120_000);

  // Each case brings the engine back first, so one failing case does not take the others with it.
  beforeEach(async () => {
    await start();
    await ensureRunning('app');
  }, 120_000);

  it('backup: reports the engine is gone, keeps no partial archive; the volume is intact once it is back', async () => {
    const before = await checksum('app');
    const out = path.join(work, 'backups');
    mkdirSync(out);
    const result = await killEngineDuring(['backup', 'appdata', '-o', `${out}/`, '--via-api', '--yes', '--json'], stdout => /"type":"progress","done":[1-9]/.test(stdout));
    expect(result.killed).toBe(true);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^hawser: The connection to the engine broke while volume appdata was read \(did the engine stop\?\)\. No archive was kept\.\n {2}Check that the engine runs/);
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(readdirSync(out)).toEqual([]);

    await start();
    expect((await hawser(['recover', '--yes'])).code).toBe(0);
    expect(await helpers()).toEqual([]);
    await ensureRunning('app');
    expect(await checksum('app')).toBe(before);
  });

  it('restore into a new volume: reports it; recover removes the half-filled volume and the helper; the source is intact', async () => {
    const before = await checksum('app');
    const archive = path.join(work, 'appdata.tar');
    expect((await hawser(['backup', 'appdata', '-o', archive, '--via-api', '--yes'])).code).toBe(0);
    const result = await killEngineDuring(['restore', archive, '--volume', 'restored', '--via-api', '--yes', '--json'], stdout => /"type":"progress","done":[1-9]/.test(stdout));
    expect(result.killed).toBe(true);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^hawser: The restore into restored failed: .*\n {2}The new volume restored holds part of the archive.*hawser recover --yes/m);
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);

    await start();
    const recovered = await hawser(['recover', '--yes']);
    expect(recovered.code).toBe(0);
    expect(recovered.stderr).toMatch(/restore into the new volume restored never finished/);
    expect(await helpers()).toEqual([]);
    expect((await engine.listVolumes()).map(v => v.name)).not.toContain('restored');
    await ensureRunning('app');
    expect(await checksum('app')).toBe(before);
  });

  it('restore --replace: the engine dies while the archive is staged; the volume keeps its old contents, recover removes the staging volume', async () => {
    const archive = path.join(work, 'appdata-replace.tar');
    expect((await hawser(['backup', 'appdata', '-o', archive, '--via-api', '--yes'])).code).toBe(0);
    await engine.createVolume({name: 'spare'});
    await inVolume(engine, 'spare', 'echo old > /v/old; mkdir /v/keep; echo kept > /v/keep/me');
    const before = await describeVolume(engine, 'spare');
    const result = await killEngineDuring(['restore', archive, '--volume', 'spare', '--replace', '--via-api', '--yes', '--json'], stdout => /"type":"progress","done":[1-9]/.test(stdout));
    expect(result.killed).toBe(true);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^hawser: The restore into spare failed: .*\n {2}Volume spare was left as it was; the staging volume spare\.hawser-replace-\w+ could not be removed yet: once the engine answers, run hawser recover --yes\./m);
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);

    await start();
    expect((await hawser(['recover', '--yes'])).code).toBe(0);
    expect(await helpers()).toEqual([]);
    expect((await engine.listVolumes()).map(v => v.name).filter(n => n.includes('hawser-replace'))).toEqual([]);
    expect(await describeVolume(engine, 'spare')).toBe(before);
  });

  it('recreate: reports that putting it back failed too; recover --rollback gives the original back, running, with its data', async () => {
    const before = await checksum('app');
    const original = await engine.inspectContainer('app');
    const result = await killEngineDuring(['netmode', 'app', 'host', '--yes'], (_out, stderr) => stderr.includes('test pause after stopped'), {HAWSER_TEST_PAUSE_AFTER: 'stopped'}, child => child.kill('SIGUSR2'));
    expect(result.killed).toBe(true);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^hawser: Switching app failed \(Nothing is listening at unix:\/\/.*\), and putting it back failed too: .*\n {2}Once the engine answers again, run: hawser recover --rollback/m);
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);

    await start();
    const recovered = await hawser(['recover', '--rollback', '--yes']);
    expect(recovered.code).toBe(0);
    const after = await engine.inspectContainer('app');
    expect(after.id).toBe(original.id);
    expect(after.isRunning).toBe(true);
    expect(currentMode(after)).toBe('bridge');
    expect((after.raw as Json)['HostConfig']['RestartPolicy']).toEqual({Name: 'unless-stopped', MaximumRetryCount: 0});
    expect(await sh(engine, 'app', 'cat /root/marker')).toBe('rootfs\n');
    expect(await checksum('app')).toBe(before);
    expect((await engine.listContainers()).filter(c => c.name !== 'app').map(c => c.name)).toEqual([]);
    expect(readdirSync(path.join(work, 'state', 'journal')).filter(f => f.endsWith('.json'))).toEqual([]);
  });

  /**
   * The crash stopped every container (hawser never touched this one in a backup or a restore, it only
   * read its volume); the engine 20.10 here does not restart it on its own, so the test does.
   */
  async function ensureRunning(name: string): Promise<void> {
    if (!(await engine.inspectContainer(name)).isRunning) {
      await engine.startContainer(name);
    }
  }
});
