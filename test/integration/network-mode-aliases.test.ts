// Switching a container from one user-defined network to another keeps the names it answered to:
// its aliases come along to the new network (live, no restart), and a peer there resolves them.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {EnginePort} from '../../source/engine/port.js';
import {runToEnd} from '../../source/jobs/job.js';
import {prepareNetworkModeSwitch} from '../../source/jobs/network-mode/switch.js';
import {noEngine, removeByPrefix, runBusybox, testEngine, testLabel, uniqueName} from '../helpers/engine.js';

describe.skipIf(noEngine)('a switch between user networks keeps the aliases', () => {
  const prefix = uniqueName('hwt-al');
  const from = `${prefix}-old`;
  const to = `${prefix}-new`;
  let engine: EnginePort;

  beforeAll(async () => {
    engine = testEngine();
    await engine.createNetwork({name: from, driver: 'bridge', labels: {[testLabel]: '1'}});
    await engine.createNetwork({name: to, driver: 'bridge', labels: {[testLabel]: '1'}});
  });

  afterAll(async () => {
    await removeByPrefix(engine, prefix);
  });

  it('carries db and database over, says so in the preview, and a peer on the new network resolves them', async () => {
    const id = await runBusybox(engine, `${prefix}-db`, 'sleep 100000', {HostConfig: {NetworkMode: from}, NetworkingConfig: {EndpointsConfig: {[from]: {Aliases: ['db', 'database']}}}});
    const startedAt = (raw: Readonly<Record<string, unknown>>) => (raw['State'] as {StartedAt?: string} | undefined)?.StartedAt;
    const started = startedAt((await engine.inspectContainer(id)).raw);
    const prepared = await prepareNetworkModeSwitch(engine, `${prefix}-db`, to);
    expect(prepared.summary.method).toBe('live');
    expect(prepared.preview.steps.join('\n')).toContain('keeping its aliases db, database');
    await runToEnd(prepared.job, engine);

    const after = await engine.inspectContainer(id);
    expect(startedAt(after.raw)).toBe(started);
    expect(after.networks.map(n => n.name)).toEqual([to]);
    expect(after.networks[0]!.aliases).toEqual(expect.arrayContaining(['db', 'database']));
    await runBusybox(engine, `${prefix}-peer`, 'sleep 100000', {HostConfig: {NetworkMode: to}});
    const ip = after.networks[0]!.ipv4;
    // The engine's DNS learns a new endpoint's names a moment after the connect: ask for a few seconds.
    let answer = '';
    for (let attempt = 0; attempt < 25 && !answer.includes(ip); attempt++) {
      const result = await engine.exec(`${prefix}-peer`, ['nslookup', 'database']);
      answer = result.stdout.split(/^Name:/m)[1] ?? '';
      if (!answer.includes(ip)) {
        await new Promise(resolve => setTimeout(resolve, 200));
      }
    }

    expect(answer).toContain(ip);
  });
});
