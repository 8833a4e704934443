// The foundation against the real, isolated engine: listing, live updates from events (changes made
// by another client), reconnecting after the stream drops, and an unreachable engine.
import {execFile} from 'node:child_process';
import {createConnection, createServer, type Server, type Socket} from 'node:net';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parseHost} from '../../source/engine/connection.js';
import {createDockerEngine} from '../../source/engine/dockerode-adapter.js';
import type {EnginePort} from '../../source/engine/port.js';
import {displayNetworkMode} from '../../source/resources/containers.js';
import {memberCount} from '../../source/resources/networks.js';
import {EngineMirror} from '../../source/state/engine-mirror.js';
import {startLiveSync, type LiveSync} from '../../source/state/live-sync.js';
import {busyboxImage} from '../../source/sandbox/test-image.js';
import {eventually} from '../helpers/fake-engine.js';
import {dockerHost, noEngine, removeByPrefix, runBusybox, testEngine, uniqueName} from '../helpers/engine.js';

const run = promisify(execFile);
const prefix = uniqueName('fnd');
const syncs: LiveSync[] = [];

function follow(engine: EnginePort) {
  const mirror = new EngineMirror();
  const sync = startLiveSync(engine, mirror, {backoffMs: [100, 200]});
  syncs.push(sync);
  return mirror;
}

/** The docker CLI, as a user in another terminal would run it. */
async function dockerCli(...args: string[]) {
  return (await run('docker', ['-H', dockerHost, ...args])).stdout.trim();
}

describe.skipIf(noEngine)('foundation on the isolated engine', () => {
  const engine = noEngine ? undefined as never : testEngine();

  beforeAll(async () => {
    await engine.createNetwork({name: `${prefix}-net`, driver: 'bridge', ipam: [{subnet: '10.201.0.0/24'}]});
    await engine.createVolume({name: `${prefix}-vol`});
    await runBusybox(engine, `${prefix}-web`, 'exec httpd -f -p 80', {HostConfig: {PortBindings: {'80/tcp': [{HostPort: '18080'}]}, Binds: [`${prefix}-vol:/data`]}, ExposedPorts: {'80/tcp': {}}});
    await runBusybox(engine, `${prefix}-host`, 'exec sleep 1000', {HostConfig: {NetworkMode: 'host'}});
    await runBusybox(engine, `${prefix}-none`, 'exec sleep 1000', {HostConfig: {NetworkMode: 'none'}});
    await runBusybox(engine, `${prefix}-side`, 'exec sleep 1000', {HostConfig: {NetworkMode: `container:${prefix}-web`}});
    await runBusybox(engine, `${prefix}-app`, 'exec sleep 1000', {HostConfig: {NetworkMode: `${prefix}-net`}});
  });

  afterAll(async () => {
    for (const sync of syncs) sync.stop();
    await removeByPrefix(engine, prefix);
  });

  it('lists containers with network mode, addresses and ports, and counts network and volume users', async () => {
    const mirror = follow(engine);
    await eventually(() => expect(mirror.snapshot().hasLoaded).toBe(true));
    const {containers, networks, volumes, index} = mirror.snapshot();
    const byName = (name: string) => containers.find(c => c.name === `${prefix}-${name}`)!;
    expect(displayNetworkMode(byName('web'), index)).toBe('bridge');
    expect(byName('web').networks[0]?.ipv4).toMatch(/^172\.17\./);
    expect(byName('web').ports).toEqual([expect.objectContaining({privatePort: 80, publicPort: 18080})]);
    expect(displayNetworkMode(byName('host'), index)).toBe('host');
    expect(displayNetworkMode(byName('none'), index)).toBe('none');
    expect(displayNetworkMode(byName('side'), index)).toBe(`container:${prefix}-web`);
    expect(byName('app').networks[0]).toMatchObject({name: `${prefix}-net`, ipv4: expect.stringMatching(/^10\.201\.0\./)});
    const network = networks.find(n => n.name === `${prefix}-net`)!;
    expect(network.ipam[0]?.subnet).toBe('10.201.0.0/24');
    expect(memberCount(network, index)).toBe(1);
    expect(volumes.some(v => v.name === `${prefix}-vol`)).toBe(true);
    expect(index.containersByVolume.get(`${prefix}-vol`)?.map(c => c.name)).toEqual([`${prefix}-web`]);
  });

  it('returns the engine\'s own record for a created volume', async () => {
    const volume = await engine.createVolume({name: `${prefix}-made`, labels: {purpose: 'test'}});
    expect(volume).toMatchObject({name: `${prefix}-made`, driver: 'local', labels: {purpose: 'test'}});
    expect(volume.mountpoint).toMatch(new RegExp(`/volumes/${prefix}-made/_data$`));
  });

  it('follows changes made from another terminal: create, stop, rename, connect, remove', async () => {
    const mirror = follow(engine);
    await eventually(() => expect(mirror.snapshot().hasLoaded).toBe(true));
    const names = () => mirror.snapshot().containers.map(c => c.name);
    const name = `${prefix}-live`;
    await dockerCli('run', '-d', '--name', name, busyboxImage, 'sleep', '1000');
    // Generous waits: on a loaded 2-core machine the engine itself can take seconds to stop a container.
    await eventually(() => expect(mirror.snapshot().containers.find(c => c.name === name)?.state).toBe('running'), 20_000);
    await dockerCli('kill', name);
    await eventually(() => expect(mirror.snapshot().containers.find(c => c.name === name)?.state).toBe('exited'), 20_000);
    await dockerCli('rename', name, `${name}2`);
    await eventually(() => expect(names()).toContain(`${name}2`));
    expect(names()).not.toContain(name);
    await dockerCli('start', `${name}2`);
    await dockerCli('network', 'connect', '--alias', 'extra', `${prefix}-net`, `${name}2`);
    await eventually(() => expect(mirror.snapshot().containers.find(c => c.name === `${name}2`)?.networks.map(n => n.name)).toContain(`${prefix}-net`));
    await dockerCli('network', 'create', `${prefix}-net2`);
    await eventually(() => expect(mirror.snapshot().networks.map(n => n.name)).toContain(`${prefix}-net2`));
    await dockerCli('volume', 'create', `${prefix}-vol2`);
    await eventually(() => expect(mirror.snapshot().volumes.map(v => v.name)).toContain(`${prefix}-vol2`));
    await dockerCli('rm', '-f', `${name}2`);
    await eventually(() => expect(names()).not.toContain(`${name}2`));
  });

  it('reconnects after the connection drops, and catches up on what changed meanwhile', async () => {
    // A proxy socket between hawser and the engine that the test can cut.
    const dir = mkdtempSync(path.join(tmpdir(), 'hawser-proxy-'));
    const proxyPath = path.join(dir, 'proxy.sock');
    const target = parseHost(dockerHost, 'test');
    const sockets = new Set<Socket>();
    let isCut = false;
    const server: Server = createServer(client => {
      if (isCut) {
        client.destroy();
        return;
      }

      const upstream = createConnection((target as {socketPath: string}).socketPath);
      sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      const close = () => {
        client.destroy();
        upstream.destroy();
      };

      client.on('error', close).on('close', close);
      upstream.on('error', close).on('close', close);
    });
    await new Promise<void>(resolve => server.listen(proxyPath, resolve));
    try {
      const viaProxy = createDockerEngine(parseHost(`unix://${proxyPath}`, 'proxy'));
      const mirror = follow(viaProxy);
      await eventually(() => expect(mirror.snapshot().connection.state).toBe('connected'));
      isCut = true;
      for (const socket of sockets) socket.destroy();
      await eventually(() => expect(mirror.snapshot().connection.state).not.toBe('connected'));
      const whileAway = `${prefix}-away`;
      await runBusybox(engine, whileAway, 'exec sleep 1000');
      await engine.removeContainer((await engine.inspectContainer(`${prefix}-none`)).id, {force: true});
      isCut = false;
      await eventually(() => expect(mirror.snapshot().connection.state).toBe('connected'), 10_000);
      await eventually(() => {
        const names = mirror.snapshot().containers.map(c => c.name);
        expect(names).toContain(whileAway);
        expect(names).not.toContain(`${prefix}-none`);
      });
    } finally {
      server.close();
      rmSync(dir, {recursive: true, force: true});
    }
  });

  it('says which address failed and why: missing socket, refused, ssh failure, bad TLS', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hawser-bad-'));
    const failure = async (host: string, env: NodeJS.ProcessEnv = {}) => {
      const {resolveEndpoint} = await import('../../source/engine/connection.js');
      const mirror = follow(createDockerEngine(resolveEndpoint({host, env})));
      await eventually(() => expect(mirror.snapshot().connection.state).toBe('failed'), 15_000);
      return mirror.snapshot().connection as {message: string; hint: string};
    };

    const missing = await failure(`unix://${dir}/missing.sock`);
    expect(missing.message).toContain(`${dir}/missing.sock`);
    expect(missing.hint).toMatch(/Is Docker running/);

    writeFileSync(path.join(dir, 'not-a-socket'), '');
    const refused = await failure(`unix://${dir}/not-a-socket`);
    expect(refused.message).toMatch(/Nothing is listening at/);

    const ssh = await failure('ssh://nobody@127.0.0.1:1');
    expect(ssh.message).toMatch(/ssh: .*(refused|Connection)/i);
    expect(ssh.message).toContain('ssh://nobody@127.0.0.1:1');

    // A TLS server whose certificate the CA we trust did not sign.
    const certs = path.join(dir, 'certs');
    const other = path.join(dir, 'other');
    for (const folder of [certs, other]) {
      await run('mkdir', ['-p', folder]);
      await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(folder, 'key.pem'), '-out', path.join(folder, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1']);
    }

    await run('cp', [path.join(other, 'cert.pem'), path.join(certs, 'ca.pem')]);
    const {createServer: createTlsServer} = await import('node:tls');
    const {readFileSync} = await import('node:fs');
    const tlsServer = createTlsServer({key: readFileSync(path.join(certs, 'key.pem')), cert: readFileSync(path.join(certs, 'cert.pem'))}, socket => socket.end());
    await new Promise<void>(resolve => tlsServer.listen(0, '127.0.0.1', resolve));
    try {
      const port = (tlsServer.address() as {port: number}).port;
      const tls = await failure(`tcp://127.0.0.1:${port}`, {DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs});
      expect(tls.message).toMatch(/TLS failed with tcp:\/\/127\.0\.0\.1/);
      expect(tls.hint).toMatch(/DOCKER_CERT_PATH/);
    } finally {
      tlsServer.close();
      rmSync(dir, {recursive: true, force: true});
    }
  });

  it('resolves --context, DOCKER_CONTEXT and currentContext from a docker config, like the CLI', async () => {
    const config = mkdtempSync(path.join(tmpdir(), 'hawser-dockercfg-'));
    const env: NodeJS.ProcessEnv = {...process.env, DOCKER_CONFIG: config};
    delete env['DOCKER_HOST'];
    await run('docker', ['context', 'create', 'hawser-it', '--docker', `host=${dockerHost}`], {env});
    const cli = path.resolve('dist/cli.js');
    const list = async (args: string[], extra: NodeJS.ProcessEnv = {}) => JSON.parse((await run('node', [cli, ...args, 'ls', 'containers', '--json'], {env: {...env, ...extra}})).stdout) as {name: string}[];
    expect((await list(['--context', 'hawser-it'])).map(c => c.name)).toContain(`${prefix}-web`);
    expect((await list([], {DOCKER_CONTEXT: 'hawser-it'})).map(c => c.name)).toContain(`${prefix}-web`);
    await run('docker', ['context', 'use', 'hawser-it'], {env});
    expect((await list([])).map(c => c.name)).toContain(`${prefix}-web`);
    const failed = await run('node', [cli, '--context', 'nope', 'ls', 'containers'], {env}).catch((error: {code: number; stderr: string}) => error);
    expect(failed).toMatchObject({code: 2});
    expect((failed as {stderr: string}).stderr).toMatch(/No docker context named "nope".*docker context ls/);
    expect((failed as {stderr: string}).stderr).not.toMatch(/\bat .*\.js:\d+/);
    rmSync(config, {recursive: true, force: true});
  });
});
