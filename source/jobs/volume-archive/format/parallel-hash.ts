// A sha256 computed on a worker thread: the whole-archive checksum of a version 1 manifest (and of a
// gzip archive, whose version is known only at its end) runs on a second core beside the parsing and
// per-file checksums on the main thread. Chunks are copied into a small pool of reused buffers that travel
// to the worker and back (transferred, not cloned), so memory stays flat and nothing is allocated per chunk.
import {Worker} from 'node:worker_threads';

// Plain CommonJS evaluated by the worker: no file to resolve, so it runs the same from source (tests) and dist.
const workerSource = `
const {parentPort, workerData} = require('node:worker_threads');
const {createHash} = require('node:crypto');
const lag = workerData.lag;
const hash = createHash('sha256');
const queue = [];
let queued = 0;
let hashedUpTo = 0;
parentPort.on('message', message => {
  if (message.type === 'data') {
    queue.push({buffer: message.buffer, length: message.length});
    queued += message.length;
    // Bytes stay unhashed for \`lag\` bytes so a digest can still end at an earlier offset.
    while (queue.length > 0 && queued - queue[0].length >= lag) {
      const head = queue.shift();
      queued -= head.length;
      hash.update(new Uint8Array(head.buffer, 0, head.length));
      hashedUpTo += head.length;
      parentPort.postMessage({type: 'free', buffer: head.buffer}, [head.buffer]);
    }
    return;
  }
  // 'digest': the digest of the bytes before message.offset, or null when they have been passed.
  let hex = null;
  const all = message.offset === null;
  if (all || message.offset >= hashedUpTo) {
    const copy = hash.copy();
    let position = hashedUpTo;
    for (const item of queue) {
      if (!all && position >= message.offset) break;
      copy.update(new Uint8Array(item.buffer, 0, all ? item.length : Math.min(item.length, message.offset - position)));
      position += item.length;
    }
    hex = all || position >= message.offset ? copy.digest('hex') : null;
  }
  parentPort.postMessage({type: 'digest', id: message.id, hex});
});
`;

/** sha256 of a byte stream, computed on a worker thread; `lag` bytes are kept unhashed so `digestAt` can look back that far. */
export class ParallelSha256 {
  private readonly worker: Worker;
  private readonly free: ArrayBuffer[] = [];
  private created = 0;
  private current: Buffer | undefined;
  private currentLength = 0;
  private readonly poolSize: number;
  private waitingForBuffer: (() => void) | undefined;
  private readonly pending = new Map<number, {resolve: (hex: string | undefined) => void; reject: (error: Error) => void}>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor(private readonly lag = 0, private readonly batchSize = 1024 * 1024) {
    // Enough buffers for the lag plus a few in flight: the worker hashes as fast as the main thread.
    this.poolSize = Math.ceil(lag / batchSize) + 4;
    this.worker = new Worker(workerSource, {eval: true, workerData: {lag}});
    this.worker.unref();
    this.worker.on('message', (message: {type: 'free'; buffer: ArrayBuffer} | {type: 'digest'; id: number; hex: string | null}) => {
      if (message.type === 'free') {
        this.free.push(message.buffer);
        this.waitingForBuffer?.();
        return;
      }

      this.pending.get(message.id)?.resolve(message.hex ?? undefined);
      this.pending.delete(message.id);
    });
    this.worker.on('error', error => this.fail(error));
    this.worker.on('exit', () => this.fail(new Error('the hashing thread ended early')));
  }

  /** Adds bytes (copied: the caller may reuse `chunk`); resolves once there was room for them. */
  async update(chunk: Uint8Array): Promise<void> {
    let index = 0;
    while (index < chunk.length) {
      if (!this.current) {
        this.current = await this.takeBuffer();
        this.currentLength = 0;
      }

      const take = Math.min(chunk.length - index, this.current.length - this.currentLength);
      this.current.set(chunk.subarray(index, index + take), this.currentLength);
      this.currentLength += take;
      index += take;
      if (this.currentLength === this.current.length) {
        this.send();
      }
    }
  }

  /** The digest of the bytes before `offset` (all bytes given so far by default); undefined when they are already past the lag. */
  async digestAt(offset?: number): Promise<string | undefined> {
    this.send();
    if (this.failure) {
      throw this.failure;
    }

    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, {resolve, reject});
      this.worker.postMessage({type: 'digest', id, offset: offset ?? null});
    });
  }

  /** Ends the worker; call always (finally). */
  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }

  private send(): void {
    if (!this.current || this.currentLength === 0) {
      return;
    }

    const {buffer} = this.current;
    this.worker.postMessage({type: 'data', buffer, length: this.currentLength}, [buffer as ArrayBuffer]);
    this.current = undefined;
    this.currentLength = 0;
  }

  private async takeBuffer(): Promise<Buffer> {
    while (true) {
      if (this.failure) {
        throw this.failure;
      }

      const buffer = this.free.pop();
      if (buffer) {
        return Buffer.from(buffer);
      }

      if (this.created < this.poolSize) {
        this.created++;
        // Its own ArrayBuffer (not Node's shared pool), so it can be transferred.
        return Buffer.from(new ArrayBuffer(this.batchSize));
      }

      await new Promise<void>(resolve => {
        this.waitingForBuffer = resolve;
      });
      this.waitingForBuffer = undefined;
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.waitingForBuffer?.();
    for (const {reject} of this.pending.values()) {
      reject(this.failure);
    }

    this.pending.clear();
  }
}
