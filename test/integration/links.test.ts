// Links on the isolated engine, replaying the seed note: `docker run --name nginx --link
// mysql:aliasmysql nginx`, the legacy way and the modern way, and the refusals.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runLink, runUnlink} from '../../source/commands/link.js';
import type {EnginePort} from '../../source/engine/port.js';
import {InputError, runToEnd, type JobEvent} from '../../source/jobs/job.js';
import {prepareLegacyLink} from '../../source/jobs/links/legacy-link.js';
import {prepareModernLink} from '../../source/jobs/links/modern-link.js';
import {hostsAddresses, readHostsFile} from '../../source/jobs/links/hosts-file.js';
import {prepareUnlink} from '../../source/jobs/links/unlink.js';
import {busyboxImage} from '../../source/sandbox/test-image.js';
import {noEngine, removeByPrefix, runBusybox, sh, testEngine, testLabel, uniqueName} from '../helpers/engine.js';

const mysqlEnv = ['MYSQL_ROOT_PASSWORD=server', 'MYSQL_DATABASE=app'];

function doneOf(events: readonly JobEvent[]): Extract<JobEvent, {type: 'done'}> {
  const done = events.find((e): e is Extract<JobEvent, {type: 'done'}> => e.type === 'done');
  expect(done).toBeDefined();
  return done!;
}

/** What must not change when hawser refuses. */
async function fingerprint(engine: EnginePort, ...names: string[]): Promise<unknown> {
  const containers = await Promise.all(names.map(async name => engine.inspectContainer(name)));
  const networks = (await engine.listNetworks()).map(n => n.name).sort();
  return {containers: containers.map(c => ({id: c.id, state: c.state, links: c.legacyLinks, networks: c.networks.map(n => `${n.name}:${n.aliases.join(',')}`)})), networks};
}

describe.skipIf(noEngine)('links on the isolated engine', () => {
  let engine: EnginePort;
  const prefix = uniqueName('lk');
  let count = 0;

  /** A mysql source (httpd on 3306, the seed's root password) and an nginx receiver, both on the default bridge. */
  async function seedPair(options: {isSourceRunning?: boolean; sourceNetwork?: string} = {}): Promise<{mysql: string; nginx: string}> {
    count += 1;
    const mysql = `${prefix}-${count}-mysql`;
    const nginx = `${prefix}-${count}-nginx`;
    const spec = {Env: mysqlEnv, ExposedPorts: {'3306/tcp': {}}, ...(options.sourceNetwork ? {HostConfig: {NetworkMode: options.sourceNetwork}} : {})};
    if (options.isSourceRunning === false) {
      await engine.createContainer({name: mysql, Image: busyboxImage, Cmd: ['httpd', '-f', '-p', '3306'], Labels: {[testLabel]: '1'}, ...spec});
    } else {
      await runBusybox(engine, mysql, 'exec httpd -f -p 3306', spec);
    }

    await runBusybox(engine, nginx, 'exec httpd -f -p 80', {HostConfig: {RestartPolicy: {Name: 'unless-stopped'}}});
    return {mysql, nginx};
  }

  beforeAll(() => {
    engine = testEngine();
  });

  afterAll(async () => {
    await removeByPrefix(engine, prefix);
  });

  it('legacy: the receiver is recreated with the link, gets the source\'s env vars and an /etc/hosts entry; unlink takes them away', async () => {
    const {mysql, nginx} = await seedPair();
    const before = await engine.inspectContainer(nginx);
    const prepared = await prepareLegacyLink(engine, {receiver: nginx, source: mysql, alias: 'aliasmysql'});
    const previewText = [...prepared.preview.steps, ...prepared.preview.warnings].join('\n');
    expect(previewText).toContain('ALIASMYSQL_ENV_MYSQL_ROOT_PASSWORD=••••••••');
    expect(previewText).toContain('ALIASMYSQL_ENV_MYSQL_DATABASE=app');
    expect(previewText).not.toContain('=server');
    expect(previewText).toMatch(/Links break when .* is recreated/);
    expect(prepared.preview.isDestructive).toBe(true);

    const done = doneOf(await runToEnd(prepared.job, engine));
    expect((done.data?.['verification'] as {status: string}).status).toBe('resolves');
    const after = await engine.inspectContainer(nginx);
    expect(after.id).not.toBe(before.id);
    expect(after.isRunning).toBe(true);
    expect(after.restartPolicy).toBe('unless-stopped');
    expect(after.legacyLinks).toEqual([`/${mysql}:/${nginx}/aliasmysql`]);
    expect((await sh(engine, nginx, 'echo "$ALIASMYSQL_ENV_MYSQL_ROOT_PASSWORD"')).trim()).toBe('server');
    const source = await engine.inspectContainer(mysql);
    const bridgeIp = source.networks.find(n => n.name === 'bridge')!.ipv4;
    expect(hostsAddresses(await readHostsFile(engine, nginx), 'aliasmysql')).toEqual([bridgeIp]);
    // The old receiver is gone, nothing is left aside.
    expect((await engine.listContainers()).filter(c => c.name.startsWith(nginx))).toHaveLength(1);

    const unlink = await prepareUnlink(engine, nginx, 'aliasmysql');
    expect(unlink.summary.legacy).toEqual([{source: mysql, alias: 'aliasmysql'}]);
    await runToEnd(unlink.job, engine);
    const unlinked = await engine.inspectContainer(nginx);
    expect(unlinked.legacyLinks).toEqual([]);
    expect(unlinked.isRunning).toBe(true);
    expect((await sh(engine, nginx, 'echo "[$ALIASMYSQL_ENV_MYSQL_ROOT_PASSWORD]"')).trim()).toBe('[]');
    expect(hostsAddresses(await readHostsFile(engine, nginx), 'aliasmysql')).toEqual([]);
  });

  it('modern: both join a user-defined network live, aliasmysql resolves from the receiver; unlink removes the alias', async () => {
    const {mysql, nginx} = await seedPair();
    const before = await engine.inspectContainer(nginx);
    const prepared = await prepareModernLink(engine, {receiver: nginx, source: mysql, alias: 'aliasmysql'});
    expect(prepared.summary).toMatchObject({network: `${mysql}-net`, createsNetwork: true, sourceAction: 'connect', receiverAction: 'connect'});
    expect(prepared.preview.isDestructive).toBe(false);
    const done = doneOf(await runToEnd(prepared.job, engine));
    expect((done.data?.['verification'] as {status: string}).status).toBe('resolves');

    const after = await engine.inspectContainer(nginx);
    expect(after.id).toBe(before.id);
    const source = await engine.inspectContainer(mysql);
    const ip = source.networks.find(n => n.name === `${mysql}-net`)!.ipv4;
    expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const answer = await sh(engine, nginx, 'nslookup aliasmysql');
    expect(answer.split(/^Name:/m)[1]).toContain(ip);

    await runToEnd((await prepareUnlink(engine, nginx, 'aliasmysql')).job, engine);
    const unlinked = await engine.inspectContainer(mysql);
    expect(unlinked.networks.find(n => n.name === `${mysql}-net`)!.aliases).not.toContain('aliasmysql');
    const gone = await engine.exec(nginx, ['nslookup', 'aliasmysql']);
    expect(gone.exitCode).not.toBe(0);
    // The receiver still reaches the source by its name on that network.
    expect((await sh(engine, nginx, `nslookup ${mysql}`)).split(/^Name:/m)[1]).toContain('Address');
  });

  it('a --link made on a user-defined network (on the receiver\'s endpoint) is removed live: same container, the name stops resolving', async () => {
    const network = `${prefix}-eplink`;
    await engine.createNetwork({name: network, driver: 'bridge', labels: {[testLabel]: '1'}});
    const {mysql} = await seedPair({sourceNetwork: network});
    const receiver = `${prefix}-eplink-app`;
    const id = await runBusybox(engine, receiver, 'exec httpd -f -p 80', {HostConfig: {NetworkMode: network}, NetworkingConfig: {EndpointsConfig: {[network]: {Links: [`${mysql}:dbalias`], Aliases: ['app-alias']}}}});
    expect((await sh(engine, receiver, 'nslookup dbalias')).split(/^Name:/m)[1]).toContain('Address');

    const prepared = await prepareUnlink(engine, receiver, 'dbalias');
    expect(prepared.summary.endpointLinks).toEqual([{network, source: mysql, alias: 'dbalias'}]);
    expect(prepared.preview.steps.join('\n')).toContain(`without its link ${mysql}:dbalias`);
    const done = doneOf(await runToEnd(prepared.job, engine));
    expect(done.data?.['stillResolving']).toEqual([]);

    const after = await engine.inspectContainer(receiver);
    expect(after.id).toBe(id);
    expect(after.isRunning).toBe(true);
    const endpoint = (after.raw['NetworkSettings'] as {Networks: Record<string, {Links: string[] | null; Aliases: string[] | null}>}).Networks[network]!;
    expect(endpoint.Links ?? []).toEqual([]);
    expect(endpoint.Aliases).toContain('app-alias');
    expect((await engine.exec(receiver, ['nslookup', 'dbalias'])).exitCode).not.toBe(0);
    // The source is still reachable by its own name on that network.
    expect((await sh(engine, receiver, `nslookup ${mysql}`)).split(/^Name:/m)[1]).toContain('Address');
  });

  it('the CLI links the modern way on a named network with --yes --json, and refuses a second identical link', async () => {
    const {mysql, nginx} = await seedPair();
    const network = `${prefix}-cli-net`;
    expect(await runLink(engine, nginx, `${mysql}:aliasmysql`, {network, yes: true, json: true})).toBe(0);
    expect((await engine.inspectContainer(mysql)).networks.find(n => n.name === network)?.aliases).toContain('aliasmysql');
    expect((await engine.inspectContainer(nginx)).networks.map(n => n.name)).toContain(network);
    await expect(runLink(engine, nginx, `${mysql}:aliasmysql`, {network, yes: true, json: true})).rejects.toThrow(/already reaches/);
    // Another container may not take the same alias on that network: the name would resolve to both.
    const other = `${prefix}-cli-other`;
    await runBusybox(engine, other, 'exec sleep 100000', {HostConfig: {NetworkMode: network}});
    await expect(runLink(engine, nginx, `${other}:aliasmysql`, {network, yes: true, json: true})).rejects.toThrow(/already answers to aliasmysql/);
    expect(await runUnlink(engine, nginx, 'aliasmysql', {yes: true, json: true})).toBe(0);
  });

  it('refuses a legacy link to a stopped source, with a clear error, and changes nothing', async () => {
    const {mysql, nginx} = await seedPair({isSourceRunning: false});
    const before = await fingerprint(engine, mysql, nginx);
    const error = await prepareLegacyLink(engine, {receiver: nginx, source: mysql, alias: 'aliasmysql'}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/is not running, and a legacy link needs a running source/);
    expect((error as InputError).hint).toContain(`hawser link ${nginx} ${mysql}:aliasmysql`);
    expect(await fingerprint(engine, mysql, nginx)).toEqual(before);
  });

  it('refuses a legacy link across a user-defined network and offers the modern way; nothing changes', async () => {
    const network = `${prefix}-user`;
    await engine.createNetwork({name: network, driver: 'bridge', labels: {[testLabel]: '1'}});
    const {mysql, nginx} = await seedPair({sourceNetwork: network});
    const before = await fingerprint(engine, mysql, nginx);
    const error = await prepareLegacyLink(engine, {receiver: nginx, source: mysql, alias: 'aliasmysql'}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/work only on the default bridge/);
    expect((error as InputError).message).toContain(network);
    expect((error as InputError).hint).toContain(`--network ${network}`);
    expect(await fingerprint(engine, mysql, nginx)).toEqual(before);
  });

  it('refuses an alias on the default bridge, and a malformed alias; nothing changes', async () => {
    const {mysql, nginx} = await seedPair();
    const before = await fingerprint(engine, mysql, nginx);
    const onBridge = await prepareModernLink(engine, {receiver: nginx, source: mysql, alias: 'aliasmysql', network: 'bridge'}).catch((e: unknown) => e);
    expect(onBridge).toBeInstanceOf(InputError);
    expect((onBridge as InputError).message).toMatch(/Aliases are refused on the default bridge/);
    expect((onBridge as InputError).hint).toMatch(/--legacy/);
    await expect(runLink(engine, nginx, `${mysql}:bad alias!`, {yes: true})).rejects.toThrow(/not a valid alias/);
    await expect(runLink(engine, nginx, `${mysql}:-x`, {yes: true, legacy: true})).rejects.toThrow(/not a valid alias/);
    expect(await fingerprint(engine, mysql, nginx)).toEqual(before);
  });
});
