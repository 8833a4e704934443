// The archive is flushed behind its writer: one flush at a time, each once enough was written since
// the last, and `settled` waits for the one running.
import {describe, expect, it} from 'vitest';
import {FlushBehind} from '../../source/jobs/volume-archive/volume/flush-behind.js';

describe('FlushBehind', () => {
  it('flushes every `every` bytes, never two at once, and settles after the running one', async () => {
    const started: number[] = [];
    let finish: (() => void) | undefined;
    let written = 0;
    const flush = new FlushBehind(async () => {
      started.push(written);
      await new Promise<void>(resolve => {
        finish = resolve;
      });
    }, 100);

    for (written of [50, 99]) {
      flush.written(written);
    }

    expect(started).toEqual([]);
    written = 100;
    flush.written(written);
    expect(started).toEqual([100]);
    // Still running: more bytes start nothing new.
    written = 350;
    flush.written(written);
    expect(started).toEqual([100]);

    let isSettled = false;
    const settled = flush.settled().then(() => {
      isSettled = true;
    });
    await Promise.resolve();
    expect(isSettled).toBe(false);
    finish!();
    await settled;
    expect(isSettled).toBe(true);

    // The next one starts from where the last began, once `every` more were written.
    written = 360;
    flush.written(written);
    expect(started).toEqual([100, 360]);
    finish!();
    await flush.settled();
  });

  it('a failing flush is not a failure (the final fsync reports problems)', async () => {
    const flush = new FlushBehind(async () => {
      throw new Error('EIO');
    }, 10);
    flush.written(20);
    await expect(flush.settled()).resolves.toBeUndefined();
  });
});
