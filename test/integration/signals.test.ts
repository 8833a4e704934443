// SIGTERM and SIGHUP (the terminal closed) stop a running action as Ctrl-C does: the action undoes
// what it started before hawser leaves. Asserted on the container's state some seconds later, not
// only on what hawser printed.
import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {currentMode} from '../../source/jobs/recreate/modes.js';
import {dockerHost, noEngine, removeByPrefix, runBusybox, sh, testEngine, uniqueName} from '../helpers/engine.js';
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
});
