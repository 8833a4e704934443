// A remote engine over tcp with TLS, as `DOCKER_HOST=tcp://… DOCKER_TLS_VERIFY=1` and as a docker
// context with TLS files: a TLS server with client-certificate authentication forwards to the real
// isolated engine, so hawser's TLS path is proven against a real engine.
import {execFile} from 'node:child_process';
import {createHash} from 'node:crypto';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync} from 'node:fs';
import {createConnection} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {createServer, type Server} from 'node:tls';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {dockerHost, noEngine, removeByPrefix, runBusybox, testEngine, uniqueName} from '../helpers/engine.js';
import {expectExactRemoteRoundTrip} from './volume-backup-helpers.js';

const run = promisify(execFile);
const prefix = uniqueName('tls');
const cli = path.resolve('dist/cli.js');

async function openssl(...args: string[]) {
  await run('openssl', args);
}

describe.skipIf(noEngine)('a remote engine over tcp with TLS', () => {
  const engine = noEngine ? undefined as never : testEngine();
  const dir = mkdtempSync(path.join(tmpdir(), 'hawser-tls-'));
  const client = path.join(dir, 'client');
  const stranger = path.join(dir, 'stranger');
  let server: Server;
  let port = 0;

  beforeAll(async () => {
    mkdirSync(client);
    mkdirSync(stranger);
    const ca = (name: string) => path.join(dir, name);
    await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', ca('ca-key.pem'), '-out', ca('ca.pem'), '-days', '1', '-subj', '/CN=hawser test CA');
    const sign = async (name: string, subject: string, extensions: string) => {
      await openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', ca(`${name}-key.pem`), '-out', ca(`${name}.csr`), '-subj', subject);
      writeFileSync(ca(`${name}.ext`), extensions);
      await openssl('x509', '-req', '-in', ca(`${name}.csr`), '-CA', ca('ca.pem'), '-CAkey', ca('ca-key.pem'), '-CAcreateserial', '-out', ca(`${name}.pem`), '-days', '1', '-extfile', ca(`${name}.ext`));
    };

    await sign('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    await sign('client', '/CN=hawser', 'extendedKeyUsage=clientAuth\n');
    copyFileSync(ca('ca.pem'), path.join(client, 'ca.pem'));
    copyFileSync(ca('client.pem'), path.join(client, 'cert.pem'));
    copyFileSync(ca('client-key.pem'), path.join(client, 'key.pem'));
    // A client certificate the engine's CA never signed.
    await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(stranger, 'key.pem'), '-out', path.join(stranger, 'cert.pem'), '-days', '1', '-subj', '/CN=stranger');
    copyFileSync(ca('ca.pem'), path.join(stranger, 'ca.pem'));

    const socketPath = dockerHost.replace('unix://', '');
    server = createServer({
      key: readFileSync(ca('server-key.pem')),
      cert: readFileSync(ca('server.pem')),
      ca: readFileSync(ca('ca.pem')),
      requestCert: true,
      rejectUnauthorized: true,
    }, tlsSocket => {
      const upstream = createConnection(socketPath);
      tlsSocket.pipe(upstream).pipe(tlsSocket);
      tlsSocket.on('error', () => upstream.destroy());
      upstream.on('error', () => tlsSocket.destroy());
    });
    server.on('tlsClientError', () => undefined);
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as {port: number}).port;
    await runBusybox(engine, `${prefix}-remote`, 'exec sleep 1000');
  });

  afterAll(async () => {
    server?.close();
    await removeByPrefix(engine, prefix);
    rmSync(dir, {recursive: true, force: true});
  });

  const ls = async (env: NodeJS.ProcessEnv, args: string[] = []) => {
    const clean = {...process.env, ...env};
    delete clean['DOCKER_HOST'];
    Object.assign(clean, env);
    return run('node', [cli, ...args, 'ls', 'containers', '--json'], {env: clean});
  };

  it('lists the engine\'s containers with DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH', async () => {
    const {stdout} = await ls({DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_TLS_VERIFY: 'true', DOCKER_CERT_PATH: client});
    expect((JSON.parse(stdout) as {name: string}[]).map(c => c.name)).toContain(`${prefix}-remote`);
  });

  it('lists them through a docker context that holds the TLS files', async () => {
    const config = path.join(dir, 'docker-config');
    const id = createHash('sha256').update('remote').digest('hex');
    mkdirSync(path.join(config, 'contexts', 'meta', id), {recursive: true});
    mkdirSync(path.join(config, 'contexts', 'tls', id, 'docker'), {recursive: true});
    writeFileSync(path.join(config, 'contexts', 'meta', id, 'meta.json'), JSON.stringify({Name: 'remote', Endpoints: {docker: {Host: `tcp://127.0.0.1:${port}`, SkipTLSVerify: false}}}));
    for (const file of ['ca.pem', 'cert.pem', 'key.pem']) {
      copyFileSync(path.join(client, file), path.join(config, 'contexts', 'tls', id, 'docker', file));
    }

    const {stdout} = await ls({DOCKER_CONFIG: config}, ['--context', 'remote']);
    expect((JSON.parse(stdout) as {name: string}[]).map(c => c.name)).toContain(`${prefix}-remote`);
  });

  it('backs up a volume and restores it over TLS, through the archive API, exactly', async () => {
    const env: NodeJS.ProcessEnv = {...process.env, DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: client};
    await expectExactRemoteRoundTrip(engine, async (...args) => run('node', [cli, ...args], {env}), `${prefix}-vol`, path.join(dir, 'remote.tar'));
  }, 120_000);

  it('refuses a client certificate the engine does not trust, saying it is TLS and what to check', async () => {
    const failure = await ls({DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: stranger}).catch((error: {code: number; stderr: string}) => error);
    expect(failure).toMatchObject({code: expect.any(Number)});
    expect((failure as {code: number}).code).not.toBe(0);
    expect((failure as {stderr: string}).stderr).toMatch(/tcp:\/\/127\.0\.0\.1/);
    expect((failure as {stderr: string}).stderr).not.toMatch(/\bat .*\.js:\d+/);
  });
});
