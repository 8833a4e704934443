import {mkdtempSync, rmSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import net from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Readable} from 'node:stream';
import {afterEach, expect, it, vi} from 'vitest';
import {parseHost} from '../../source/engine/connection.js';
import {createDockerEngine} from '../../source/engine/dockerode-adapter.js';

let server: Server | undefined;
let dir: string | undefined;

afterEach(async () => {
  vi.restoreAllMocks();
  server?.closeAllConnections();
  await new Promise(resolve => server?.close(resolve) ?? resolve(undefined));
  rmSync(dir ?? '/nonexistent', {recursive: true, force: true});
});

// Node asks net.isIP of every request's host to work out a TLS server name; the first asks compile its IPv6
// pattern (some 15 ms of each run). A plain connection has no server name: the question must not be asked.
it('requests on a plain connection (the local socket) ask no TLS server name, for the API and for uploads', async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'hawser-plain-'));
  const socketPath = path.join(dir, 'engine.sock');
  const seen: string[] = [];
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    // An engine whose API is older than hawser's newest: the requests after the negotiation speak its version.
    req.on('end', () => (req.url === '/version' ? res.writeHead(200, {'Content-Type': 'application/json'}).end('{"ApiVersion":"1.43"}') : res.writeHead(200, {'Content-Type': 'text/plain'}).end('OK')));
  });
  await new Promise<void>(resolve => server!.listen(socketPath, resolve));
  const isIP = vi.spyOn(net, 'isIP');
  const engine = createDockerEngine(parseHost(`unix://${socketPath}`, 'test'));
  await engine.ping();
  await engine.putArchive('x', '/vol', Readable.from([Buffer.alloc(1024)]));
  expect(seen.map(line => line.split('?')[0])).toEqual(['GET /version', 'GET /v1.43/_ping', 'PUT /v1.43/containers/x/archive']);
  expect(isIP).not.toHaveBeenCalled();
});
