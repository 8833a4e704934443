import {createHash, randomBytes} from 'node:crypto';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Readable} from 'node:stream';
import {afterEach, describe, expect, it} from 'vitest';
import {FileBody} from '../../source/engine/file-body.js';
import {uploadStream} from '../../source/engine/upload.js';

const statusCodes = {200: true, 404: 'no such container', 500: 'server error'} as const;
const request = {method: 'PUT', path: '/containers/x/archive?path=%2Fvol', contentType: 'application/x-tar'};
let server: Server | undefined;
let dir: string | undefined;

/** An engine on a unix socket that answers each upload with `answer` (after reading it, or not). */
async function engine(answer: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void, readFirst = true): Promise<string> {
  dir = mkdtempSync(path.join(tmpdir(), 'hawser-upload-'));
  const socketPath = path.join(dir, 'engine.sock');
  server = createServer((req, res) => {
    if (!readFirst) {
      answer(req, res, Buffer.alloc(0));
      return;
    }

    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => answer(req, res, Buffer.concat(chunks)));
    req.on('error', () => undefined);
  });
  await new Promise<void>(resolve => server!.listen(socketPath, resolve));
  return socketPath;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise(resolve => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
  rmSync(dir ?? '/nonexistent', {recursive: true, force: true});
});

describe('uploading an archive to the engine', () => {
  it('sends every byte, as a tar, and resolves on the engine\'s 200', async () => {
    let received: {type?: string; path?: string; bytes: number} | undefined;
    const socketPath = await engine((req, res, body) => {
      received = {type: req.headers['content-type'], path: req.url, bytes: body.length};
      res.end();
    });
    const body = Readable.from([Buffer.alloc(3 * 1024 * 1024, 1), Buffer.alloc(1024)]);
    await uploadStream({socketPath}, request, body, statusCodes);
    expect(received).toEqual({type: 'application/x-tar', path: '/containers/x/archive?path=%2Fvol', bytes: 3 * 1024 * 1024 + 1024});
  });

  it('fails with the engine\'s message and status, also when it answers before reading the body', async () => {
    const socketPath = await engine((_req, res) => {
      res.writeHead(404, {'Content-Type': 'application/json'}).end(JSON.stringify({message: 'No such container: x'}));
    }, false);
    const body = Readable.from((function * () {
      for (let i = 0; i < 64; i++) {
        yield Buffer.alloc(1024 * 1024);
      }
    })());
    await expect(uploadStream({socketPath}, request, body, statusCodes)).rejects.toMatchObject({statusCode: 404, json: {message: 'No such container: x'}, message: expect.stringContaining('No such container: x')});
  });

  it('fails with the body\'s own error when the body fails half-way, not a hang-up', async () => {
    const socketPath = await engine((_req, res) => res.end());
    const body = Readable.from((async function * () {
      yield Buffer.alloc(1024 * 1024);
      await new Promise(resolve => setTimeout(resolve, 20));
      throw new Error('unexpected end of file');
    })());
    await expect(uploadStream({socketPath}, request, body, statusCodes)).rejects.toThrow('unexpected end of file');
  });

  it('stops when cancelled', async () => {
    const socketPath = await engine(() => undefined, false);
    const controller = new AbortController();
    const body = new Readable({read() {}});
    body.push(Buffer.alloc(1024));
    setTimeout(() => controller.abort(), 20);
    await expect(uploadStream({socketPath}, request, body, statusCodes, controller.signal)).rejects.toMatchObject({name: 'AbortError'});
  });

  it('sends a file body exactly, reusing a few buffers: each one only after the socket took its chunk', async () => {
    let received: Buffer | undefined;
    const socketPath = await engine((_req, res, body) => {
      received = body;
      res.end();
    });
    // 24 MiB and a bit, not a whole number of chunks; the trailer after it.
    const content = randomBytes(24 * 1024 * 1024 + 777);
    const file = path.join(dir!, 'archive.tar');
    writeFileSync(file, content);
    let reported = 0;
    const body = new FileBody(file, content.length - 100, Buffer.from('TRAILER'), bytes => {
      reported = bytes;
    });
    const released = new Set<ArrayBufferLike>();
    let releases = 0;
    const release = body.release;
    Object.defineProperty(body, 'release', {value: (chunk: Buffer) => {
      releases++;
      released.add(chunk.buffer);
      // Poisoned at once: a chunk released before its bytes were sent would arrive as 0xAA.
      chunk.fill(0xAA);
      release(chunk);
    }});
    await uploadStream({socketPath}, request, body, statusCodes);
    const expected = Buffer.concat([content.subarray(0, content.length - 100), Buffer.from('TRAILER')]);
    expect(received!.length).toBe(expected.length);
    expect(createHash('sha256').update(received!).digest('hex')).toBe(createHash('sha256').update(expected).digest('hex'));
    expect(reported).toBe(content.length - 100);
    // The 25 chunks of the file were handed back (the trailer's turn may come a tick after the answer); the pool of 4 held them all.
    expect(releases).toBeGreaterThanOrEqual(25);
    expect(released.size).toBeLessThanOrEqual(5);
  });

  it('stops reading a file body when the engine answers early, and fails with its message', async () => {
    const socketPath = await engine((_req, res) => {
      res.writeHead(500, {'Content-Type': 'application/json'}).end(JSON.stringify({message: 'mount is read-only'}));
    }, false);
    const file = path.join(dir!, 'big.tar');
    writeFileSync(file, Buffer.alloc(64 * 1024 * 1024));
    const body = new FileBody(file, 64 * 1024 * 1024, Buffer.alloc(1024));
    await expect(uploadStream({socketPath}, request, body, statusCodes)).rejects.toMatchObject({statusCode: 500, message: expect.stringContaining('read-only')});
    expect(body.destroyed).toBe(true);
  });

  it('fails a file body that is shorter than it should be (the file changed since it was checked)', async () => {
    const socketPath = await engine((_req, res) => res.end());
    const file = path.join(dir!, 'short.tar');
    writeFileSync(file, Buffer.alloc(3 * 1024 * 1024));
    const body = new FileBody(file, 5 * 1024 * 1024, Buffer.alloc(1024));
    await expect(uploadStream({socketPath}, request, body, statusCodes)).rejects.toThrow(/ended at byte 3145728 of 5242880/);
  });

  it('gives a consumer that never releases its chunks fresh buffers: every byte arrives as it is in the file', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hawser-upload-'));
    const content = randomBytes(9 * 1024 * 1024 + 5);
    const file = path.join(dir, 'archive.tar');
    writeFileSync(file, content);
    const chunks: Buffer[] = [];
    // Kept, never released: a reused buffer would show up here overwritten by later bytes.
    for await (const chunk of new FileBody(file, content.length, Buffer.alloc(1024))) {
      chunks.push(chunk as Buffer);
    }

    expect(Buffer.concat(chunks).equals(Buffer.concat([content, Buffer.alloc(1024)]))).toBe(true);
    expect(new Set(chunks.map(chunk => chunk.buffer)).size).toBe(chunks.length);
  });
});
