// A character split between two chunks of an engine's stream (events, pull progress, logs) comes out
// whole, never as replacement characters (#24).
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {Readable} from 'node:stream';
import {expect, it} from 'vitest';
import {parseHost} from '../../source/engine/connection.js';
import {createDockerEngine} from '../../source/engine/dockerode-adapter.js';
import {readNdjson} from '../../source/engine/ndjson.js';

/** The bytes of `text`, cut into chunks of `size` bytes (so multi-byte characters are split). */
function chunked(text: string, size: number): Readable {
  const bytes = Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return Readable.from(chunks);
}

it('decodes JSON lines whose characters are cut between chunks', async () => {
  const text = '{"Actor":{"Attributes":{"name":"données-网络-🐳"}}}\n{"status":"Téléchargé"}\n{"last":"é"}';
  for (const size of [1, 2, 3, 5, 7]) {
    const documents = [];
    for await (const document of readNdjson(chunked(text, size))) documents.push(document);
    expect(documents).toEqual([{Actor: {Attributes: {name: 'données-网络-🐳'}}}, {status: 'Téléchargé'}, {last: 'é'}]);
  }
});

it('the followed logs of a TTY container keep characters cut between chunks whole', async () => {
  // A fake engine: /version, the container's inspect (Tty: true, so the log is raw bytes), and its log sent a byte at a time.
  const server = createServer((request, response) => {
    const url = request.url ?? '';
    if (url.endsWith('/version')) {
      response.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify({ApiVersion: '1.41', Version: '20.10.24'}));
    } else if (url.includes('/logs')) {
      response.writeHead(200, {'content-type': 'application/vnd.docker.raw-stream'});
      const bytes = Buffer.from('journal: café 🐳 网络\nsecond\n', 'utf8');
      let at = 0;
      const next = () => {
        if (at < bytes.length) {
          response.write(bytes.subarray(at, at + 1));
          at++;
          setTimeout(next, 1);
        } else {
          response.end();
        }
      };

      next();
    } else {
      response.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify({Id: 'c1', Config: {Tty: true}}));
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const address = `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const engine = createDockerEngine(parseHost(address, 'the test'));
    const lines: string[] = [];
    for await (const line of engine.followLogs('c1', {})) lines.push(line);
    expect(lines).toEqual(['journal: café 🐳 网络', 'second']);
  } finally {
    server.close();
  }
});
