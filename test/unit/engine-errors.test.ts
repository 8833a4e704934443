import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {describe, expect, it} from 'vitest';
import {parseHost} from '../../source/engine/connection.js';
import {createDockerEngine} from '../../source/engine/dockerode-adapter.js';
import {clause, toEngineError} from '../../source/engine/errors.js';

/** An error as docker-modem and the upload make them for an engine's answer. */
function answered(statusCode: number, message: string): Error {
  return Object.assign(new Error(`(HTTP code ${statusCode}) unexpected - ${message} `), {statusCode, json: {message}});
}

describe('what went wrong talking to an engine', () => {
  it('an engine\'s answer is the engine\'s, even when a name in it looks like TLS or SSL', () => {
    for (const name of ['tls-certs', 'ssl-data', 'nginx-certificate']) {
      const error = toEngineError(answered(404, `get ${name}: no such volume`), 'tcp://10.0.0.5:2376');
      expect(error.reason).toBe('engine');
      expect(error.statusCode).toBe(404);
      expect(error.message).toBe(`Get ${name}: no such volume`);
    }
  });

  it('a failed handshake is TLS\'s, with what to check', () => {
    const error = toEngineError(Object.assign(new Error('self-signed certificate in certificate chain'), {code: 'SELF_SIGNED_CERT_IN_CHAIN'}), 'tcp://10.0.0.5:2376');
    expect(error.reason).toBe('unreachable');
    expect(error.message).toMatch(/^TLS failed with tcp:\/\/10\.0\.0\.5:2376/);
    expect(error.hint).toMatch(/DOCKER_CERT_PATH/);
  });

  it('an engine answering 500 with an empty body is said so, with the status and where to look, never an empty message', async () => {
    const server = createServer((_req, res) => res.writeHead(500).end());
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const address = `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const engine = createDockerEngine(parseHost(address, 'the test'));
      const failure = await engine.listVolumes().then(() => undefined, (error: unknown) => toEngineError(error, address));
      expect(failure?.message).toMatch(new RegExp(`^The engine at ${address.replace(/[.]/g, '\\.')} answered HTTP 500( \\(.+\\))? with no message\\.$`));
      expect(failure?.hint).toMatch(/engine's logs/);
      expect(failure?.statusCode).toBe(500);
    } finally {
      server.close();
    }
  });

  it('something other than an engine at the address (a bare 404) is said to be that, with where to look', async () => {
    const server = createServer((_req, res) => res.writeHead(404, {server: 'some-proxy'}).end());
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const address = `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const engine = createDockerEngine(parseHost(address, 'the test'));
      const failure = await engine.listContainers().then(() => undefined, (error: unknown) => toEngineError(error, address));
      expect(failure?.message).toBe(`${address} answered, but not as a Docker engine (HTTP 404 with no message).`);
      expect(failure?.hint).toMatch(/--host, DOCKER_HOST or the docker context/);
      expect(failure?.reason).toBe('unreachable');
    } finally {
      server.close();
    }

    // The engine's own 404 names what is missing, and stays the engine's.
    expect(toEngineError(answered(404, 'No such container: web'), address).reason).toBe('engine');
  });
});

describe('a message inside a sentence', () => {
  it('loses its final full stops, so "…: MESSAGE. Next" never reads ".."', () => {
    const unreachable = toEngineError(Object.assign(new Error('connect ECONNREFUSED'), {code: 'ECONNREFUSED'}), 'tcp://10.0.0.1:2375');
    expect(unreachable.message.endsWith('.')).toBe(true);
    expect(`Reading volume v failed: ${clause(unreachable.message)}. No archive was kept.`).not.toContain('..');
    expect(clause('Address already in use..')).toBe('Address already in use');
    expect(clause('no such container')).toBe('no such container');
    expect(clause('v1.2.3')).toBe('v1.2.3');
  });
});
