// The doctor on the isolated engine: one situation per way a container can fail to reach another,
// each with its verdict, its reason and the fix, and the fix run to show it is the right one.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runDoctor} from '../../source/commands/doctor.js';
import type {EnginePort} from '../../source/engine/port.js';
import {diagnose, type DoctorReport} from '../../source/jobs/doctor/diagnose.js';
import {fixForm, type Fix} from '../../source/jobs/doctor/fixes.js';
import {doctorForm} from '../../source/jobs/doctor/form.js';
import {InputError, runToEnd} from '../../source/jobs/job.js';
import {busyboxImage} from '../../source/sandbox/test-image.js';
import {noEngine, removeByPrefix, runBusybox, testEngine, testLabel, uniqueName} from '../helpers/engine.js';

describe.skipIf(noEngine)('hawser doctor on the isolated engine', () => {
  let engine: EnginePort;
  const prefix = uniqueName('dr');
  let count = 0;
  const names = () => {
    count += 1;
    return {a: `${prefix}-${count}-app`, b: `${prefix}-${count}-mysql`, net: `${prefix}-${count}-net`};
  };

  async function network(name: string, options: {internal?: boolean; icc?: boolean} = {}): Promise<string> {
    await engine.createNetwork({name, driver: 'bridge', internal: options.internal, labels: {[testLabel]: '1'}, ...(options.icc === false ? {options: {'com.docker.network.bridge.enable_icc': 'false'}} : {})});
    return name;
  }

  /** B: the seed's mysql, httpd on 3306. */
  async function mysql(name: string, networkMode?: string, isStarted = true): Promise<void> {
    const spec = {Env: ['MYSQL_ROOT_PASSWORD=server'], ...(networkMode ? {HostConfig: {NetworkMode: networkMode}} : {})};
    if (isStarted) {
      await runBusybox(engine, name, 'exec httpd -f -p 3306', spec);
    } else {
      await engine.createContainer({name, Image: busyboxImage, Cmd: ['httpd', '-f', '-p', '3306'], Labels: {[testLabel]: '1'}, ...spec});
    }
  }

  async function app(name: string, networkMode?: string): Promise<void> {
    await runBusybox(engine, name, 'exec sleep 100000', networkMode ? {HostConfig: {NetworkMode: networkMode}} : {});
  }

  /** Runs a fix's form with the fix's values, as the TUI would after the user confirms. */
  async function applyFix(fix: Fix): Promise<void> {
    const prepared = await fixForm(fix).prepare(engine, fix.values);
    await runToEnd(prepared.job, engine);
  }

  beforeAll(() => {
    engine = testEngine();
  });

  afterAll(async () => {
    await removeByPrefix(engine, prefix);
  });

  it('reachable: both on a user-defined network; the name resolves and the port accepts from inside A', async () => {
    const {a, b, net} = names();
    await network(net);
    await mysql(b, net);
    await app(a, net);
    const report = await diagnose(engine, a, b, {port: 3306});
    expect(report.verdict).toBe('reachable');
    expect(report.reasons).toEqual([]);
    expect(report.fixes).toEqual([]);
    const ip = (await engine.inspectContainer(b)).networks.find(n => n.name === net)!.ipv4;
    expect(report.reachableAs).toEqual(expect.arrayContaining([b, ip]));
    expect(report.probes.resolve?.addresses).toEqual([ip]);
    expect(report.probes.tcp).toMatchObject({port: 3306, outcome: 'open'});
    expect(await runDoctor(engine, a, b, {port: '3306', json: true})).toBe(0);
    // By an alias B has on that network.
    await engine.disconnectNetwork(net, b);
    await engine.connectNetwork(net, b, {aliases: ['aliasmysql']});
    const byAlias = await diagnose(engine, a, 'aliasmysql', {port: 3306});
    expect(byAlias).toMatchObject({to: b, by: 'name', verdict: 'reachable'});
    expect(byAlias.checks.find(c => c.id === 'name')?.message).toMatch(/alias/);
    // Nothing listens on 3307: reachable network, closed port.
    const closed = await diagnose(engine, a, b, {port: 3307});
    expect(closed.verdict).toBe('unreachable');
    expect(closed.reasons.join('\n')).toMatch(/nothing listens on port 3307/);
  });

  it('different networks: unreachable, fixed by connecting A to B\'s network', async () => {
    const {a, b, net} = names();
    await network(net);
    await network(`${net}-a`);
    await mysql(b, net);
    await app(a, `${net}-a`);
    const report = await diagnose(engine, a, b, {isProbing: false});
    expect(report.verdict).toBe('unreachable');
    expect(report.reasons[0]).toMatch(/share no network/);
    expect(report.fixes[0]).toMatchObject({action: 'connect-network', form: {name: 'connectNetworkForm', network: net, container: a}});
    expect(await runDoctor(engine, a, b, {json: true, probe: false})).toBe(1);
    await applyFix(report.fixes[0]!);
    expect((await diagnose(engine, a, b, {port: 3306})).verdict).toBe('reachable');
  });

  it('B stopped: unreachable, fixed by starting B', async () => {
    const {a, b, net} = names();
    await network(net);
    await mysql(b, net, false);
    await app(a, net);
    const report = await diagnose(engine, a, b);
    expect(report.verdict).toBe('unreachable');
    expect(report.reasons[0]).toMatch(/is created: a stopped container has no address/);
    // B never started has no endpoint yet, but it is on A's network: that is not a second problem with another fix.
    expect(report.reasons.join('\n')).not.toMatch(/share no network/);
    expect(report.fixes.map(f => f.action)).toEqual(['start']);
    expect(report.fixes[0]).toMatchObject({action: 'start', form: {name: 'startContainerForm', container: b}});
    await applyFix(report.fixes[0]!);
    expect((await engine.inspectContainer(b)).isRunning).toBe(true);
    expect((await diagnose(engine, a, b, {port: 3306})).verdict).toBe('reachable');
  });

  it('a legacy link whose source is gone: says the link is stale and how to link again, instead of "no such container"', async () => {
    const {a, b} = names();
    await runBusybox(engine, b, 'sleep 100000');
    await runBusybox(engine, a, 'sleep 100000', {HostConfig: {Links: [`${b}:dbalias`]}});
    await engine.removeContainer(b, {force: true});
    const refused = await diagnose(engine, a, 'dbalias').then(() => expect.unreachable('a stale link was not reported'), (error: unknown) => error as InputError);
    expect(refused).toBeInstanceOf(InputError);
    expect(refused.message).toBe(`${a}'s legacy link dbalias points at ${b}, which no longer exists: the link is stale (links break when their source is removed or recreated), dbalias does not resolve, and ${a} will not start again with it.`);
    expect(refused.hint).toContain(`hawser unlink ${a} dbalias, then hawser link ${a} ${b}:dbalias --legacy`);
  });

  it('no name: on the default bridge A reaches B only by address; fixed by a modern link', async () => {
    const {a, b} = names();
    await mysql(b);
    await app(a);
    const report = await diagnose(engine, a, b, {isProbing: false});
    expect(report.verdict).toBe('ip-only');
    const ip = (await engine.inspectContainer(b)).networks.find(n => n.name === 'bridge')!.ipv4;
    expect(report.reachableAs).toEqual([ip]);
    expect(report.reasons.join('\n')).toMatch(/does not know the name .*default bridge/);
    expect(report.fixes[0]).toMatchObject({action: 'link', form: {name: 'linkForm', receiver: a}, values: {source: b, legacy: 'no'}});
    expect(await runDoctor(engine, a, b, {json: true, probe: false})).toBe(1);
    // By address, the same pair is reachable.
    expect((await diagnose(engine, a, ip, {isProbing: false})).verdict).toBe('reachable');
    await applyFix(report.fixes[0]!);
    const after = await diagnose(engine, a, b, {port: 3306});
    expect(after.verdict).toBe('reachable');
    expect(after.probes.resolve?.addresses.length).toBeGreaterThan(0);
  });

  it('internal network: A is isolated on it, so B must join it (A stays isolated)', async () => {
    const {a, b, net} = names();
    const internal = await network(`${net}-int`, {internal: true});
    await network(net);
    await mysql(b, net);
    await app(a, internal);
    const report = await diagnose(engine, a, b, {isProbing: false});
    expect(report.verdict).toBe('unreachable');
    expect(report.reasons.join('\n')).toMatch(/is internal .*nothing leaves it/);
    expect(report.fixes[0]).toMatchObject({action: 'connect-network', form: {name: 'connectNetworkForm', network: internal, container: b}});
    await applyFix(report.fixes[0]!);
    const after = await diagnose(engine, a, b, {port: 3306});
    expect(after.verdict).toBe('reachable');
    expect(after.checks.some(c => c.id === 'internal' && c.status === 'note')).toBe(true);
    expect((await engine.inspectContainer(a)).networks.map(n => n.name)).toEqual([internal]);
  });

  it('ICC disabled: the shared network drops traffic between containers; fixed by linking on another network', async () => {
    const {a, b, net} = names();
    await network(net, {icc: false});
    await mysql(b, net);
    await app(a, net);
    const report = await diagnose(engine, a, b, {port: 3306});
    expect(report.verdict).toBe('unreachable');
    expect(report.reasons[0]).toMatch(/Inter-container communication is disabled on .*enable_icc=false/);
    // The probe agrees: the port does not answer.
    expect(report.probes.tcp?.outcome).not.toBe('open');
    expect(report.fixes[0]).toMatchObject({action: 'link', values: {source: b, network: `${b}-net`}});
    await applyFix(report.fixes[0]!);
    expect((await diagnose(engine, a, b, {port: 3306})).verdict).toBe('reachable');
  });

  it('a shared namespace (container: mode) reaches B at localhost', async () => {
    const {a, b} = names();
    await mysql(b);
    await app(a, `container:${b}`);
    const report = await diagnose(engine, a, b, {port: 3306});
    expect(report.verdict).toBe('reachable');
    expect(report.reachableAs).toEqual(['localhost']);
    expect(report.probes.tcp).toMatchObject({host: 'localhost', outcome: 'open'});
  });

  it('the doctor form runs as a job and carries the report; bad input is refused', async () => {
    const {a, b, net} = names();
    await network(net);
    await mysql(b, net);
    await app(a, net);
    const prepared = await doctorForm(a).prepare(engine, {target: b, port: '3306'});
    const events = await runToEnd(prepared.job, engine);
    const done = events.find(e => e.type === 'done');
    // done.data is the job's untyped bag; the doctor form puts its DoctorReport under `report`.
    const report = done?.data?.['report'] as DoctorReport | undefined;
    expect(report?.verdict).toBe('reachable');
    await expect(doctorForm(a).prepare(engine, {target: b, port: '99999'})).rejects.toBeInstanceOf(InputError);
    await expect(diagnose(engine, a, `${prefix}-nobody`)).rejects.toThrow(/No container, alias or address/);
  });
});
