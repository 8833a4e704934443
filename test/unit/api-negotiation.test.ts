// API version negotiation as the docker CLI does it: the lower of the engine's API and the newest
// hawser is tested on, asked once; DOCKER_API_VERSION pins it.
import {mkdtempSync, rmSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, expect, it} from 'vitest';
import {parseHost} from '../../source/engine/connection.js';
import {createDockerEngine, lowerApiVersion, newestTestedApiVersion} from '../../source/engine/dockerode-adapter.js';

let server: Server | undefined;
let dir: string | undefined;

afterEach(async () => {
  delete process.env['DOCKER_API_VERSION'];
  server?.closeAllConnections();
  await new Promise(resolve => server?.close(resolve) ?? resolve(undefined));
  rmSync(dir ?? '/nonexistent', {recursive: true, force: true});
});

async function engineSpeaking(api: string): Promise<{seen: string[]; socketPath: string}> {
  dir = mkdtempSync(path.join(tmpdir(), 'hawser-api-'));
  const socketPath = path.join(dir, 'engine.sock');
  const seen: string[] = [];
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url?.split('?')[0]}`);
    const body = req.url === '/version' || /\/version$/.test(req.url ?? '') ? JSON.stringify({ApiVersion: api, Version: 'x'}) : req.url?.endsWith('/info') ? '{}' : '[]';
    res.writeHead(200, {'Content-Type': 'application/json'}).end(body);
  });
  await new Promise<void>(resolve => server!.listen(socketPath, resolve));
  return {seen, socketPath};
}

it('compares versions as numbers', () => {
  expect(lowerApiVersion('1.9', '1.41')).toBe('1.9');
  expect(lowerApiVersion('1.52', newestTestedApiVersion)).toBe(newestTestedApiVersion);
  expect(lowerApiVersion('1.41', '1.51')).toBe('1.41');
});

it('speaks no newer API than hawser is tested on, asked once, and says both in info', async () => {
  const {seen, socketPath} = await engineSpeaking('1.52');
  const engine = createDockerEngine(parseHost(`unix://${socketPath}`, 'test'));
  await Promise.all([engine.listNetworks(), engine.listVolumes()]);
  const info = await engine.info();
  expect(seen.filter(line => line === 'GET /version')).toHaveLength(1);
  expect(seen.filter(line => line !== 'GET /version').every(line => line.includes(`/v${newestTestedApiVersion}/`))).toBe(true);
  expect(info).toMatchObject({apiVersion: newestTestedApiVersion, engineApiVersion: '1.52'});
});

it('DOCKER_API_VERSION pins the version without asking', async () => {
  process.env['DOCKER_API_VERSION'] = '1.41';
  const {seen, socketPath} = await engineSpeaking('1.51');
  await createDockerEngine(parseHost(`unix://${socketPath}`, 'test')).listNetworks();
  expect(seen).toEqual(['GET /v1.41/networks']);
});

it('the first info asks /version once, for the negotiation and the engine\'s version alike', async () => {
  const {seen, socketPath} = await engineSpeaking('1.45');
  const info = await createDockerEngine(parseHost(`unix://${socketPath}`, 'test')).info();
  expect(seen.filter(line => line.endsWith('/version'))).toEqual(['GET /version']);
  expect(info).toMatchObject({apiVersion: '1.45', engineApiVersion: '1.45'});
});
