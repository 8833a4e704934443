import {describe, expect, it} from 'vitest';
import type {ContainerDetails} from '../../source/engine/types.js';
import {humanDuration, stateNow} from '../../source/resources/containers.js';
import {fakeContainer} from '../helpers/fake-engine.js';

const now = Date.parse('2026-11-28T12:00:00Z');
const inspected = (state: Record<string, unknown>) => ({raw: {State: state}}) as unknown as ContainerDetails;

describe("a container's state as it is now", () => {
  it('says durations as docker ps does', () => {
    expect([0.4, 1, 59, 60, 119, 120, 3599, 3600, 5400, 7200, 47 * 3600, 3 * 86_400, 20 * 86_400, 100 * 86_400, 800 * 86_400].map(humanDuration)).toEqual([
      'Less than a second', '1 second', '59 seconds', 'About a minute', 'About a minute', '2 minutes', '59 minutes', 'About an hour', '2 hours', '2 hours',
      '47 hours', '3 days', '2 weeks', '3 months', '2 years',
    ]);
  });

  it("counts from the inspected start or finish, not from the list's text of the last event", () => {
    const web = fakeContainer('web', {status: 'Up Less than a second'});
    expect(stateNow(web, inspected({Status: 'running', StartedAt: '2026-11-28T11:56:00.123Z'}), now)).toBe('Up 3 minutes');
    expect(stateNow(web, inspected({Status: 'paused', StartedAt: '2026-11-28T09:00:00Z'}), now)).toBe('Up 3 hours (Paused)');
    expect(stateNow(web, inspected({Status: 'exited', ExitCode: 137, FinishedAt: '2026-11-28T11:59:30Z'}), now)).toBe('Exited (137) 30 seconds ago');
    // Without the inspected document (not selected yet), or never started, the list's text stands.
    expect(stateNow(web, undefined, now)).toBe('Up Less than a second');
    expect(stateNow(fakeContainer('new', {state: 'created', status: 'Created'}), inspected({Status: 'created', StartedAt: '0001-01-01T00:00:00Z'}), now)).toBe('Created');
  });
});
