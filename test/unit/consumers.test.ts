import {describe, expect, it} from 'vitest';
import type {EnginePort} from '../../source/engine/port.js';
import {JobError} from '../../source/jobs/job.js';
import {holdConsumers} from '../../source/jobs/volume-archive/consumers.js';
import {fakeContainer} from '../helpers/fake-engine.js';

/** An engine whose stop takes `stopMs` and finishes whatever the client does meanwhile, as dockerd does. */
function slowStopper(stopMs: number) {
  const running = new Set(['app', 'db']);
  const calls: string[] = [];
  const engine = {
    async stopContainer(id: string) {
      calls.push(`stop ${id}`);
      await new Promise(resolve => setTimeout(resolve, stopMs));
      running.delete(id);
    },
    async startContainer(id: string) {
      calls.push(`start ${id}`);
      if (running.has(id)) {
        throw Object.assign(new Error('container already started'), {statusCode: 304});
      }

      running.add(id);
    },
  } as unknown as EnginePort;
  return {engine, running, calls};
}

describe('holding the containers that use a volume', () => {
  it('a cancel while a container is being stopped waits for the stop, then starts it again, and says so', async () => {
    const {engine, running, calls} = slowStopper(150);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const consumers = [fakeContainer('app', {id: 'app'}), fakeContainer('db', {id: 'db'})];
    const failure = await holdConsumers(engine, consumers, 'stop', controller.signal).then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(JobError);
    expect((failure as JobError).message).toBe('Cancelled.');
    expect((failure as JobError).hint).toMatch(/app started again/);
    // db was never touched; app was stopped (the engine finished it) and started again.
    expect(calls).toEqual(['stop app', 'start app']);
    expect([...running].sort()).toEqual(['app', 'db']);
  });

  it('without a cancel, stops every running one and returns them to be started again', async () => {
    const {engine, running} = slowStopper(1);
    const held = await holdConsumers(engine, [fakeContainer('app', {id: 'app'}), fakeContainer('db', {id: 'db'})], 'stop');
    expect(held.map(h => `${h.name} ${h.action}`)).toEqual(['app stopped', 'db stopped']);
    expect(running.size).toBe(0);
  });
});
