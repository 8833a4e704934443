import {mkdtempSync, rmSync} from 'node:fs';
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Readable} from 'node:stream';
import {afterEach, describe, expect, it} from 'vitest';
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
});
