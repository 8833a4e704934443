import {afterEach, describe, expect, it, vi} from 'vitest';
import {collectWhenIdle} from '../../source/ui/collect-when-idle.js';

const withGc = globalThis as {gc?: () => void};

afterEach(() => {
  delete withGc.gc;
  vi.useRealTimers();
});

describe('giving memory back once the screen is still', () => {
  it('collects once after a burst of frames, not during it, and never again while nothing is drawn', () => {
    vi.useFakeTimers();
    const gc = vi.fn();
    withGc.gc = gc;
    const collector = collectWhenIdle(2000);
    for (let frame = 0; frame < 10; frame++) {
      collector.frame();
      vi.advanceTimersByTime(500);
    }

    expect(gc).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1600);
    expect(gc).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(60_000);
    expect(gc).toHaveBeenCalledTimes(1);

    // Stopped with a collection pending: it never comes.
    collector.frame();
    collector.stop();
    vi.advanceTimersByTime(5000);
    expect(gc).toHaveBeenCalledTimes(1);
  });

  it('schedules nothing when node was started without --expose-gc', () => {
    vi.useFakeTimers();
    const collector = collectWhenIdle();
    collector.frame();
    expect(vi.getTimerCount()).toBe(0);
    collector.stop();
  });
});
