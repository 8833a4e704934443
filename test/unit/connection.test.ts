import {createHash} from 'node:crypto';
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {ConnectionConfigError, parseHost, resolveEndpoint} from '../../source/engine/connection.js';

function configWithContext(name: string, host: string, extra: {current?: string; tls?: boolean} = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'hawser-config-'));
  const id = createHash('sha256').update(name).digest('hex');
  mkdirSync(path.join(dir, 'contexts', 'meta', id), {recursive: true});
  writeFileSync(path.join(dir, 'contexts', 'meta', id, 'meta.json'), JSON.stringify({Name: name, Endpoints: {docker: {Host: host, SkipTLSVerify: false}}}));
  if (extra.tls) {
    mkdirSync(path.join(dir, 'contexts', 'tls', id, 'docker'), {recursive: true});
  }

  if (extra.current) {
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({currentContext: extra.current}));
  }

  return dir;
}

describe('parseHost', () => {
  it('uses the CLI default ports for tcp without a port, not port 80', () => {
    expect(parseHost('tcp://example.org', 'test')).toMatchObject({kind: 'tcp', port: 2375, host: 'example.org'});
    expect(parseHost('tcp://example.org', 'test', {isVerifying: true})).toMatchObject({kind: 'tcp', port: 2376});
  });

  it('parses unix sockets, ssh with user and port, and bare host:port', () => {
    expect(parseHost('unix:///run/x.sock', 'test')).toMatchObject({kind: 'unix', socketPath: '/run/x.sock'});
    expect(parseHost('ssh://deploy@box.example:2222', 'test')).toMatchObject({kind: 'ssh', user: 'deploy', host: 'box.example', port: 2222});
    expect(parseHost('10.0.0.5:2375', 'test')).toMatchObject({kind: 'tcp', host: '10.0.0.5', port: 2375});
  });

  it('refuses unsupported schemes with what to use instead, and HTTP URLs and a missing host as the docker CLI does', () => {
    expect(() => parseHost('npipe:////./pipe/docker', 'DOCKER_HOST')).toThrow(/unix:\/\/, tcp:\/\/ or ssh:\/\//);
    expect(() => parseHost('http://10.0.0.5:2375', 'DOCKER_HOST')).toThrow(/HTTP URL; docker hosts are written tcp:\/\/HOST:2375/);
    expect(() => parseHost('https://10.0.0.5:2376', 'DOCKER_HOST')).toThrow(/HTTP URL/);
    expect(() => parseHost('tcp://:2375', 'DOCKER_HOST')).toThrow(/names no host/);
  });

  it('keeps an ssh URL\'s path as the remote engine\'s socket, passed on to the remote docker as the CLI does', async () => {
    const {sshArguments} = await import('../../source/engine/ssh-agent.js');
    const endpoint = parseHost('ssh://deploy@box.example:2222/run/user/1000/docker.sock', 'test');
    expect(endpoint).toMatchObject({kind: 'ssh', host: 'box.example', socketPath: '/run/user/1000/docker.sock', address: 'ssh://deploy@box.example:2222/run/user/1000/docker.sock'});
    expect(sshArguments(endpoint as {host: string})).toEqual(['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=30', '-T', '-l', 'deploy', '-p', '2222', '--', 'box.example', 'docker', '--host', 'unix:///run/user/1000/docker.sock', 'system', 'dial-stdio']);
    expect(sshArguments(parseHost('ssh://box.example/', 'test') as {host: string})).toEqual(['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=30', '-T', '--', 'box.example', 'docker', 'system', 'dial-stdio']);
  });
});

describe('resolveEndpoint follows the docker CLI precedence', () => {
  const socket = (p: string) => ({kind: 'unix', socketPath: p});

  it('prefers --context over everything, then --host, then DOCKER_HOST, then DOCKER_CONTEXT, then currentContext', () => {
    const config = configWithContext('prod', 'unix:///ctx.sock', {current: 'prod'});
    const env = {DOCKER_CONFIG: config, DOCKER_HOST: 'unix:///env.sock', DOCKER_CONTEXT: 'prod'};
    expect(resolveEndpoint({context: 'prod', env})).toMatchObject({...socket('/ctx.sock'), origin: 'context "prod"', context: 'prod'});
    expect(resolveEndpoint({host: 'unix:///flag.sock', env})).toMatchObject(socket('/flag.sock'));
    expect(resolveEndpoint({host: 'unix:///flag.sock', env}).context).toBeUndefined();
    expect(resolveEndpoint({env})).toMatchObject({...socket('/env.sock'), origin: 'DOCKER_HOST'});
    expect(resolveEndpoint({env: {DOCKER_CONFIG: config, DOCKER_CONTEXT: 'prod'}})).toMatchObject({...socket('/ctx.sock'), context: 'prod'});
    expect(resolveEndpoint({env: {DOCKER_CONFIG: config}})).toMatchObject({...socket('/ctx.sock'), context: 'prod'});
  });

  it('falls back to the default socket', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'hawser-config-'));
    expect(resolveEndpoint({env: {DOCKER_CONFIG: empty}})).toMatchObject(socket('/var/run/docker.sock'));
  });

  it('reads TLS files of a context and DOCKER_TLS_VERIFY with any non-empty value', () => {
    const config = configWithContext('secure', 'tcp://engine.example:2376', {tls: true});
    const endpoint = resolveEndpoint({context: 'secure', env: {DOCKER_CONFIG: config}});
    expect(endpoint).toMatchObject({kind: 'tcp', port: 2376, tls: {isVerifying: true}});
    const fromEnv = resolveEndpoint({env: {DOCKER_HOST: 'tcp://engine.example', DOCKER_TLS_VERIFY: 'true', DOCKER_CERT_PATH: '/certs'}});
    expect(fromEnv).toMatchObject({kind: 'tcp', port: 2376, tls: {isVerifying: true, ca: '/certs/ca.pem'}});
  });

  it('names a missing context and how to list them', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'hawser-config-'));
    expect(() => resolveEndpoint({context: 'nope', env: {DOCKER_CONFIG: empty}})).toThrow(ConnectionConfigError);
    expect(() => resolveEndpoint({context: 'nope', env: {DOCKER_CONFIG: empty}})).toThrow(/docker context ls/);
  });

  it('refuses --context together with --host', () => {
    expect(() => resolveEndpoint({context: 'a', host: 'unix:///x', env: {}})).toThrow(/either --context or --host/);
  });
});
