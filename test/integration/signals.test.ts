// SIGTERM and SIGHUP (the terminal closed) stop a running action as Ctrl-C does: the action undoes
// what it started before hawser leaves. Asserted on the container's state some seconds later, not
// only on what hawser printed.
import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {execFile, spawn} from 'node:child_process';
import {promisify} from 'node:util';
import {afterAll, describe, expect, it} from 'vitest';
import {currentMode} from '../../source/model/network-modes.js';
import {busyboxImage} from '../../source/sandbox/test-image.js';
import {dockerHost, noEngine, removeByPrefix, runBusybox, sh, testEngine, testLabel, uniqueName} from '../helpers/engine.js';
import {signalHawserAfter} from '../helpers/kill-at-pause.js';

const prefix = uniqueName('hwt-sig');
const stateDir = mkdtempSync(path.join(tmpdir(), 'hawser-signals-'));
const env = {...process.env, HAWSER_STATE_DIR: stateDir, DOCKER_HOST: dockerHost};

describe.skipIf(noEngine)('signals during a network-mode switch', () => {
  const engine = noEngine ? undefined as never : testEngine();
  afterAll(async () => {
    await removeByPrefix(engine, prefix);
    rmSync(stateDir, {recursive: true, force: true});
  });

  for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129], ['SIGINT', 130]] as const) {
    it(`${signal} after the stop puts the original back, running, with its restart policy, and exits ${code}`, async () => {
      const name = `${prefix}-${signal.toLowerCase()}`;
      const id = await runBusybox(engine, name, 'sleep 100000', {HostConfig: {Binds: [`${name}-data:/data`], RestartPolicy: {Name: 'unless-stopped', MaximumRetryCount: 0}}});
      await sh(engine, name, 'echo kept > /data/file');
      const ended = await signalHawserAfter(['netmode', name, 'host', '--yes'], 'stopped', env, signal);
      expect(ended.code).toBe(code);
      expect(ended.stderr).toMatch(/put back as it was/);
      // Some seconds later: still the original, running, restart policy back, nothing left aside.
      await new Promise(resolve => setTimeout(resolve, 2000));
      const after = await engine.inspectContainer(name);
      expect(after.id).toBe(id);
      expect(after.isRunning).toBe(true);
      expect(currentMode(after)).toBe('bridge');
      expect((after.raw['HostConfig'] as Record<string, any>)['RestartPolicy']).toMatchObject({Name: 'unless-stopped'});
      expect(await sh(engine, name, 'cat /data/file')).toBe('kept\n');
      expect((await engine.listContainers()).filter(c => c.name.startsWith(`${name}-hawser-`))).toEqual([]);
      expect(readdirSync(path.join(stateDir, 'journal')).filter(file => file.includes(name))).toEqual([]);
    });
  }

  /** A service whose main process ignores SIGTERM (PID 1 without a handler): the engine's stop takes its whole timeout, then kills it. */
  async function stubborn(name: string): Promise<string> {
    const {id} = await engine.createContainer({name, Image: busyboxImage, Cmd: ['sleep', '100000'], StopSignal: 'SIGTERM', StopTimeout: 6, Labels: {[testLabel]: '1'}, HostConfig: {RestartPolicy: {Name: 'unless-stopped', MaximumRetryCount: 0}}});
    await engine.startContainer(id);
    return id;
  }

  /** Runs `hawser netmode NAME host --yes` and sends `signal` a second after it says it is stopping the container. */
  async function signalDuringStop(name: string, signal: NodeJS.Signals): Promise<number | null> {
    const child = spawn('node', [path.resolve('dist/cli.js'), 'netmode', name, 'host', '--yes'], {env, stdio: ['ignore', 'ignore', 'pipe']});
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes(`Stopping ${name}`) && !stderr.includes('SENT')) {
        stderr += 'SENT';
        setTimeout(() => child.kill(signal), 1000);
      }
    });
    return new Promise(resolve => child.on('exit', code => resolve(code)));
  }

  async function expectRunningLater(name: string, id: string): Promise<void> {
    // Past the engine's stop timeout (6 s): a stop left running in the engine would have killed it by now.
    await new Promise(resolve => setTimeout(resolve, 9000));
    const after = await engine.inspectContainer(name);
    expect(after.id).toBe(id);
    expect(after.state).toBe('running');
    expect((after.raw['HostConfig'] as Record<string, any>)['RestartPolicy']).toMatchObject({Name: 'unless-stopped'});
    expect((await engine.listContainers()).filter(c => c.name.startsWith(`${name}-hawser-`))).toEqual([]);
  }

  it('Ctrl-C while the engine is still stopping the container: the stop is let finish, then it runs again, and stays running', async () => {
    const name = `${prefix}-stopcancel`;
    const id = await stubborn(name);
    expect(await signalDuringStop(name, 'SIGINT')).toBe(130);
    await expectRunningLater(name, id);
  }, 60_000);

  it('killed while the engine is stopping it: recover --rollback lets that stop finish, then it runs again, and stays running', async () => {
    const name = `${prefix}-stopkill`;
    const id = await stubborn(name);
    expect(await signalDuringStop(name, 'SIGKILL')).toBe(null);
    const recovered = await promisify(execFile)('node', [path.resolve('dist/cli.js'), 'recover', '--rollback', '--yes'], {env});
    expect(recovered.stdout).toMatch(/back as it was and running/);
    await expectRunningLater(name, id);
  }, 60_000);
});
