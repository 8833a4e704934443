import {afterEach, describe, expect, it, vi} from 'vitest';
import {collectWhenIdle} from '../../source/ui/collect-when-idle.js';

const withGc = globalThis as {gc?: () => void};

afterEach(() => {
  delete withGc.gc;
  vi.useRealTimers();
});

function fakeStream(): {stream: NodeJS.WriteStream; written: string[]} {
  const written: string[] = [];
  const stream = {write: (text: string) => written.push(text) > 0} as unknown as NodeJS.WriteStream;
  return {stream, written};
}

describe('giving memory back once the screen is still', () => {
  it('collects once after a burst of frames, not during it, and never again while nothing is drawn', () => {
    vi.useFakeTimers();
    const gc = vi.fn();
    withGc.gc = gc;
    const {stream, written} = fakeStream();
    const stop = collectWhenIdle(stream, 2000);
    for (let frame = 0; frame < 10; frame++) {
      stream.write(`frame ${frame}`);
      vi.advanceTimersByTime(500);
    }

    expect(gc).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1600);
    expect(gc).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(60_000);
    expect(gc).toHaveBeenCalledTimes(1);
    expect(written).toHaveLength(10);

    stop();
    stream.write('after');
    vi.advanceTimersByTime(5000);
    expect(gc).toHaveBeenCalledTimes(1);
    expect(written.at(-1)).toBe('after');
  });

  it('leaves the stream alone when node was started without --expose-gc', () => {
    const {stream} = fakeStream();
    const write = stream.write;
    const stop = collectWhenIdle(stream);
    expect(stream.write).toBe(write);
    stop();
  });
});
