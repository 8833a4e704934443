// A slow engine: every non-streaming request gives up after its timeout with a clear error, can be
// cancelled, and streams (events) are not cut by the timeout. The engine is a fake unix socket that
// accepts and never answers (or, for /events, sends the headers and then nothing).
import {execFile} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {createServer, type Server, type Socket} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {formatError} from '../../source/commands/errors.js';
import {parseHost} from '../../source/engine/connection.js';
import {createDockerEngine} from '../../source/engine/dockerode-adapter.js';
import {EngineError} from '../../source/engine/errors.js';

const run = promisify(execFile);

describe('request timeout against an engine that never answers', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hawser-slow-'));
  const socketPath = path.join(dir, 'slow.sock');
  const sockets = new Set<Socket>();
  let server: Server;

  beforeAll(async () => {
    server = createServer(socket => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('data', chunk => {
        // /version answers (hawser asks it first, to speak the engine's API version); the event stream
        // answers its headers, then stays silent like an idle engine; everything else hangs.
        const request = chunk.toString();
        if (request.startsWith('GET /version ')) {
          socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 21\r\n\r\n{"ApiVersion":"1.41"}');
        } else if (/^GET (\/v[\d.]+)?\/events/.test(request)) {
          socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
        }
      });
    });
    await new Promise<void>(resolve => {
      server.listen(socketPath, resolve);
    });
  });

  afterAll(() => {
    for (const socket of sockets) {
      socket.destroy();
    }

    server.close();
    rmSync(dir, {recursive: true, force: true});
  });

  const engine = () => createDockerEngine(parseHost(`unix://${socketPath}`, 'test'), {requestTimeoutMs: 300});

  it('gives up with "did not answer within N s" and a hint, for lists, inspects, creates and actions', async () => {
    const slow = engine();
    for (const request of [async () => slow.listContainers(), async () => slow.inspectContainer('x'), async () => slow.createContainer({Image: 'x'}), async () => slow.renameContainer('x', 'y'), async () => slow.listNetworks()]) {
      const error = await request().then(() => undefined, (failure: unknown) => failure);
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).message).toBe(`The engine at unix://${socketPath} did not answer within 0.3 s.`);
      expect((error as EngineError).reason).toBe('timeout');
      expect(formatError(error)).toMatch(/did not answer within 0\.3 s\.\n {2}It may be overloaded or stuck.*HAWSER_REQUEST_TIMEOUT/);
    }
  });

  it('is cancelled by the caller\'s signal before the timeout', async () => {
    const controller = new AbortController();
    const slow = createDockerEngine(parseHost(`unix://${socketPath}`, 'test'), {requestTimeoutMs: 60_000});
    const pending = slow.listVolumes({signal: controller.signal});
    controller.abort();
    await expect(pending).rejects.toMatchObject({message: 'Cancelled.', reason: 'aborted'});
  });

  it('does not cut the event stream: it outlives the timeout and ends on its signal', async () => {
    const controller = new AbortController();
    const events = engine().events({signal: controller.signal});
    let outcome = 'open';
    const reading = (async () => {
      for await (const _event of events) {
        // Nothing arrives.
      }
    })().then(() => {
      outcome = 'ended';
    }, (error: unknown) => {
      outcome = `failed: ${String(error)}`;
    });
    await new Promise(resolve => setTimeout(resolve, 1200));
    expect(outcome).toBe('open');
    controller.abort();
    await reading;
    expect(outcome).toBe('ended');
  });

  it('the CLI reports it in one line with its hint, no stack, honouring HAWSER_REQUEST_TIMEOUT', async () => {
    const failed = await run('node', [path.resolve('dist/cli.js'), '-H', `unix://${socketPath}`, 'ls', 'containers'], {env: {...process.env, HAWSER_REQUEST_TIMEOUT: '0.5'}})
      .then(() => undefined, (error: {code: number; stderr: string}) => error);
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(/^hawser: The engine at unix:\/\/.*slow\.sock did not answer within 0\.5 s\.\n {2}It may be overloaded/);
    expect(failed?.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });
});
