// The streamed backup's archive file: every byte in order, a new file only, flushed behind the writing,
// on disk before 'finish', and closed only once no flush runs on its descriptor.
import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {DurableFileWriter} from '../../source/jobs/volume-archive/volume/durable-file-writer.js';

// The calls on the descriptor, in order, with the real calls made; a test may hold the next fdatasync.
const calls: string[] = [];
let holdNextFlush: ((finish: () => void) => void) | undefined;
vi.mock('node:fs', async importOriginal => {
  const real = await importOriginal<typeof import('node:fs')>();
  const traced = <F extends (...args: never[]) => unknown>(name: string, call: F) => ((...args: Parameters<F>) => {
    calls.push(name);
    return call(...args);
  }) as unknown as F;
  return {
    ...real,
    fdatasync: traced('fdatasync', ((fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
      const hold = holdNextFlush;
      holdNextFlush = undefined;
      if (hold) {
        hold(() => callback(null));
      } else {
        real.fdatasync(fd, callback);
      }
    }) as typeof real.fdatasync),
    fsync: traced('fsync', real.fsync),
    close: traced('close', real.close),
  };
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hawser-writer-'));
  calls.length = 0;
});
afterEach(() => {
  rmSync(dir, {recursive: true, force: true});
});

/** Chunks of distinct bytes, so any reordering or loss shows in the file. */
function chunks(count: number, size: number): Buffer[] {
  return Array.from({length: count}, (_, i) => Buffer.alloc(size, i % 251));
}

describe('DurableFileWriter', () => {
  it('writes every chunk in order into a new 0600 file, flushing behind and syncing before finish', async () => {
    const file = path.join(dir, 'a.tar');
    const parts = chunks(40, 10_000);
    const writer = new DurableFileWriter(file, 0o600, 64 * 1024);
    let callsAtFinish: string[] = [];
    writer.on('finish', () => {
      callsAtFinish = [...calls];
    });
    // A pause between chunks, as between reads of a socket, lets each flush end before the next is due.
    await pipeline(Readable.from((async function * () {
      for (const part of parts) {
        await new Promise(resolve => setTimeout(resolve, 2));
        yield part;
      }
    })()), writer);
    expect(readFileSync(file).equals(Buffer.concat(parts))).toBe(true);
    expect(writer.bytesWritten).toBe(400_000);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Flushed behind (400 kB at every 64 KiB: several times), then the final sync, all before 'finish'.
    expect(callsAtFinish.filter(call => call === 'fdatasync').length).toBeGreaterThan(1);
    expect(callsAtFinish.at(-1)).toBe('fsync');
    // Closed after, once.
    expect(calls.filter(call => call === 'close')).toHaveLength(1);
  });

  it('refuses a file that exists and leaves it as it was', () => {
    const file = path.join(dir, 'kept.tar');
    writeFileSync(file, 'old');
    expect(() => new DurableFileWriter(file, 0o600)).toThrow(/EEXIST/);
    expect(readFileSync(file, 'utf8')).toBe('old');
  });

  it('closes a destroyed writer only after the flush running on it has ended', async () => {
    const file = path.join(dir, 'b.tar');
    let endFlush!: () => void;
    // Hold the first flush: the destroy that comes meanwhile must wait for it.
    holdNextFlush = finish => {
      endFlush = finish;
    };
    const writer = new DurableFileWriter(file, 0o600, 1000);
    await new Promise<void>(resolve => {
      writer.write(Buffer.alloc(2000), () => resolve());
    });
    expect(calls).toEqual(['fdatasync']);
    const closed = new Promise<void>(resolve => {
      writer.on('close', () => resolve());
    });
    writer.destroy();
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(calls).toEqual(['fdatasync']);
    endFlush();
    await closed;
    expect(calls).toEqual(['fdatasync', 'close']);
  });
});
