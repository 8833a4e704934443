// The logs view's reading options against the real engine, through the adapter (no TUI): timestamps
// when asked (RFC 3339 with nanoseconds, UTC), a since that leaves out the earlier lines, tail lengths
// and the whole log. A container prints two lines, waits two seconds, prints two more a second apart.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {FollowLogsOptions} from '../../source/engine/port.js';
import {noEngine, removeByPrefix, runBusybox, testEngine, uniqueName} from '../helpers/engine.js';

const prefix = uniqueName('logopts');
const stamped = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z) (.*)$/;

describe.skipIf(noEngine)('following logs with timestamps, since and tail on the isolated engine', () => {
  const engine = noEngine ? undefined as never : testEngine();
  let id = '';

  /** The lines followed until `last` comes (the log is followed: it never ends by itself). */
  const readUntil = async (last: string, options: Omit<FollowLogsOptions, 'signal'>): Promise<string[]> => {
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), 15_000);
    const lines: string[] = [];
    try {
      for await (const line of engine.followLogs(id, {...options, signal: controller.signal})) {
        lines.push(line);
        if (line === last || line.endsWith(` ${last}`)) {
          controller.abort();
        }
      }
    } finally {
      clearTimeout(timeout);
    }

    return lines;
  };

  beforeAll(async () => {
    id = await runBusybox(engine, `${prefix}-talker`, 'echo early-1; echo early-2; sleep 2; echo late-1; sleep 1; echo late-2; exec sleep 1000');
    // Until the late lines are logged.
    await readUntil('late-2', {});
  }, 30_000);
  afterAll(async () => removeByPrefix(engine, prefix));

  it('puts the engine\'s RFC 3339 nano time, in UTC, before each line when asked', async () => {
    const started = Date.now();
    const lines = await readUntil('late-2', {timestamps: true});
    expect(lines.map(line => stamped.exec(line)?.[2])).toEqual(['early-1', 'early-2', 'late-1', 'late-2']);
    const times = lines.map(line => Date.parse(stamped.exec(line)![1]!));
    // Logged within the last minute, in order, the late ones two seconds after the early ones.
    expect(started - times[0]!).toBeLessThan(60_000);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(1900);
    expect(times[3]! - times[2]!).toBeGreaterThanOrEqual(900);
    expect(await readUntil('late-2', {})).toEqual(['early-1', 'early-2', 'late-1', 'late-2']);
  });

  it('leaves out the lines logged before a since, to the millisecond', async () => {
    const times = (await readUntil('late-2', {timestamps: true})).map(line => Date.parse(stamped.exec(line)![1]!));
    const between = (times[1]! + times[2]!) / 2 / 1000;
    expect(await readUntil('late-2', {since: between, tail: 'all'})).toEqual(['late-1', 'late-2']);
    // A since just after late-1 (a millisecond) leaves out late-1 as well: the fraction counts.
    expect(await readUntil('late-2', {since: (times[2]! + 1) / 1000, tail: 'all'})).toEqual(['late-2']);
    // A since before every line gives them all.
    expect(await readUntil('late-2', {since: (times[0]! - 60_000) / 1000, tail: 'all'})).toEqual(['early-1', 'early-2', 'late-1', 'late-2']);
  });

  it('starts from the last lines asked for, or the whole log', async () => {
    expect(await readUntil('late-2', {tail: 1})).toEqual(['late-2']);
    expect(await readUntil('late-2', {tail: 3})).toEqual(['early-2', 'late-1', 'late-2']);
    expect(await readUntil('late-2', {tail: 'all'})).toEqual(['early-1', 'early-2', 'late-1', 'late-2']);
    // The two together: whichever starts later (both keep an end of the log). Hence the view asks for the
    // whole log when a since is set and no tail was chosen: the default tail would cut a since of a day.
    const times = (await readUntil('late-2', {timestamps: true})).map(line => Date.parse(stamped.exec(line)![1]!));
    expect(await readUntil('late-2', {tail: 3, since: (times[0]! - 60_000) / 1000})).toEqual(['early-2', 'late-1', 'late-2']);
    expect(await readUntil('late-2', {tail: 3, since: (times[1]! + times[2]!) / 2 / 1000})).toEqual(['late-1', 'late-2']);
  });
});
