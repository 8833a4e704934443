// The everyday container actions against the real engine: lifecycle, logs, inspect, a shell.
import {PassThrough, Writable} from 'node:stream';
import {afterAll, describe, expect, it} from 'vitest';
import {lifecycleForm} from '../../source/jobs/container-lifecycle.js';
import {JobError, runToEnd} from '../../source/jobs/job.js';
import {noEngine, removeByPrefix, runBusybox, testEngine, uniqueName} from '../helpers/engine.js';

const prefix = uniqueName('daily');

describe.skipIf(noEngine)('daily container actions on the isolated engine', () => {
  const engine = noEngine ? undefined as never : testEngine();
  afterAll(async () => removeByPrefix(engine, prefix));

  const act = async (id: string, action: Parameters<typeof lifecycleForm>[1]) => {
    const prepared = await lifecycleForm(id, action).prepare(engine, {});
    await runToEnd(prepared.job, engine);
    return prepared.preview;
  };

  it('stops, starts, pauses, unpauses, restarts; refuses a plain remove of a running one; force-removes', async () => {
    const id = await runBusybox(engine, `${prefix}-life`, 'exec sleep 1000');
    await act(id, 'stop');
    expect((await engine.inspectContainer(id)).isRunning).toBe(false);
    await act(id, 'start');
    expect((await engine.inspectContainer(id)).isRunning).toBe(true);
    await act(id, 'pause');
    expect((await engine.inspectContainer(id)).state).toBe('paused');
    await act(id, 'unpause');
    expect((await engine.inspectContainer(id)).state).toBe('running');
    const before = (await engine.inspectContainer(id)).raw['State'] as {StartedAt: string};
    await act(id, 'restart');
    expect(((await engine.inspectContainer(id)).raw['State'] as {StartedAt: string}).StartedAt).not.toBe(before.StartedAt);
    await expect(lifecycleForm(id, 'remove').prepare(engine, {})).rejects.toThrow(/is running/);
    expect((await engine.inspectContainer(id)).isRunning).toBe(true);
    const preview = await act(id, 'forceRemove');
    expect(preview.isDestructive).toBe(true);
    await expect(engine.inspectContainer(id)).rejects.toThrow();
  });

  it('explains a refused legacy link in hawser\'s words on every engine, with the engine\'s own text kept', async () => {
    const network = `${prefix}-un`;
    await engine.createNetwork({name: network, driver: 'bridge'});
    await runBusybox(engine, `${prefix}-src`, 'exec sleep 1000', {HostConfig: {NetworkMode: network}});
    const {id: receiver} = await engine.createContainer({name: `${prefix}-recv`, Image: 'hawser/busybox:latest', Cmd: ['sleep', '1000'], HostConfig: {Links: [`${prefix}-src:db`]}});
    const offBridge = await act(receiver, 'start').then(() => undefined, (error: unknown) => error as JobError);
    expect(offBridge).toBeInstanceOf(JobError);
    // Engine 28 names the source by its id only; hawser names it by name, with the alias.
    expect(offBridge!.message).toMatch(new RegExp(`legacy link to ${prefix}-src \\(as db\\), which is not on the default bridge\\. The engine said: "`));
    expect(offBridge!.hint).toContain(`hawser unlink ${prefix}-recv db`);

    const stopped = await runBusybox(engine, `${prefix}-src2`, 'exec sleep 1000');
    const {id: second} = await engine.createContainer({name: `${prefix}-recv2`, Image: 'hawser/busybox:latest', Cmd: ['sleep', '1000'], HostConfig: {Links: [`${prefix}-src2:cache`]}});
    await engine.stopContainer(stopped, {timeoutSeconds: 0});
    const notRunning = await act(second, 'start').then(() => undefined, (error: unknown) => error as JobError);
    expect(notRunning!.message).toMatch(new RegExp(`legacy link to ${prefix}-src2 \\(as cache\\), which is not running`));
    expect((await engine.inspectContainer(second)).isRunning).toBe(false);
  });

  it('follows logs live, and inspects the raw document', async () => {
    const id = await runBusybox(engine, `${prefix}-logs`, 'echo first line; sleep 1; echo second line; exec sleep 1000');
    const controller = new AbortController();
    const lines: string[] = [];
    for await (const line of engine.followLogs(id, {signal: controller.signal, tail: 100})) {
      lines.push(line);
      if (line === 'second line') {
        controller.abort();
      }
    }

    expect(lines).toEqual(['first line', 'second line']);
    const raw = await engine.inspectRaw('container', id) as {Id: string; Name: string};
    expect(raw.Id).toBe(id);
    expect(raw.Name).toBe(`/${prefix}-logs`);
  });

  it('runs an interactive shell on a TTY and hands back its exit code', async () => {
    const id = await runBusybox(engine, `${prefix}-shell`, 'exec sleep 1000');
    const stdin = new PassThrough() as unknown as NodeJS.ReadStream;
    let output = '';
    const stdout = new Writable({write(chunk, _encoding, done) {
      output += String(chunk);
      done();
    }}) as unknown as NodeJS.WriteStream;
    Object.assign(stdout, {columns: 80, rows: 24});
    setTimeout(() => (stdin as unknown as PassThrough).write('echo HELLO-$((6*7)); exit 3\n'), 500);
    const code = await engine.execInteractive(id, ['sh'], {stdin, stdout, columns: 80, rows: 24});
    expect(code).toBe(3);
    expect(output).toContain('HELLO-42');
  });
});
