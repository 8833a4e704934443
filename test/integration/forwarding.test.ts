// IPv4 forwarding on the isolated engine: it has its own network namespace, so switching forwarding off
// there never touches the machine's own setting.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {runForwarding} from '../../source/commands/forwarding.js';
import {exitCodes} from '../../source/commands/errors.js';
import type {EnginePort} from '../../source/engine/port.js';
import {detectForwarding} from '../../source/jobs/forwarding/detect.js';
import {prepareForwardingFix} from '../../source/jobs/forwarding/fix.js';
import {helperPurposeLabel} from '../../source/jobs/helpers/helper-container.js';
import {findHelperImage, pullHelperImage} from '../../source/jobs/helpers/helper-image.js';
import {persistFileContent, persistFileName} from '../../source/jobs/forwarding/sysctl-files.js';
import {JobError, runToEnd, type JobEvent} from '../../source/jobs/job.js';
import {helperLabel} from '../../source/jobs/helpers/leftovers.js';
import {busyboxImage} from '../../source/sandbox/test-image.js';
import {noEngine, testEngine, testNetns} from '../helpers/engine.js';

function inEngineNetns(command: string): string {
  return execFileSync('nsenter', [`--net=/var/run/netns/${testNetns}`, 'sh', '-c', command], {encoding: 'utf8'}).trim();
}

/** The test engine's own ip_forward, read from outside hawser. */
function engineForwarding(): string {
  return inEngineNetns('cat /proc/sys/net/ipv4/ip_forward');
}

function setEngineForwarding(value: 0 | 1): void {
  inEngineNetns(`echo ${value} > /proc/sys/net/ipv4/ip_forward`);
  expect(engineForwarding()).toBe(String(value));
}

async function forwardingHelpers(engine: EnginePort): Promise<string[]> {
  const containers = await engine.listContainers();
  return containers
    .filter(container => container.labels[helperLabel] === '1' && (container.labels[helperPurposeLabel] ?? '').startsWith('forwarding'))
    .map(container => container.name);
}

// An external engine has no namespace of its own to switch off safely.
describe.skipIf(noEngine || !testNetns)('IPv4 forwarding on the isolated engine', () => {
  let engine: EnginePort;
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'hawser-sysctl-'));
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    engine = testEngine();
    expect(await findHelperImage(engine)).toBe(busyboxImage);
  });

  afterEach(async () => {
    // The helper never outlives an action, whatever the test did.
    expect(await forwardingHelpers(engine)).toEqual([]);
  });

  afterAll(() => {
    // Other test files share this engine: leave forwarding on.
    setEngineForwarding(1);
    for (const dir of dirs) {
      rmSync(dir, {recursive: true, force: true});
    }
  });

  it('detects forwarding off through the live check, and the CLI exits 3', async () => {
    setEngineForwarding(0);
    const report = await detectForwarding(engine, {live: 'always'});
    expect(report.source).toBe('live');
    expect(report.liveSaysOn).toBe(false);
    expect(report.state).toBe('off');
    expect(await runForwarding(engine, {json: true})).toBe(exitCodes.forwardingOff);

    setEngineForwarding(1);
    const on = await detectForwarding(engine, {live: 'always'});
    expect(on).toMatchObject({source: 'live', liveSaysOn: true, state: 'on'});
    expect(await runForwarding(engine, {json: true})).toBe(exitCodes.ok);
  });

  it('a declined confirmation changes nothing', async () => {
    setEngineForwarding(0);
    const dir = tempDir();
    // No --yes and no terminal: the CLI shows the preview and refuses.
    await expect(runForwarding(engine, {fix: true, persist: true, sysctlDir: dir})).rejects.toThrow(/needs a confirmation/);
    // A prepared job that is never run.
    const prepared = await prepareForwardingFix(engine, {persist: true, sysctlDir: dir});
    expect(prepared.preview.steps.join('\n')).toMatch(/NET_ADMIN only/);
    expect(prepared.preview.steps.join('\n')).toMatch(/never --privileged/);
    expect(prepared.preview.warnings.join('\n')).toMatch(/every interface/);
    expect(prepared.preview.warnings.join('\n')).toMatch(/FORWARD chain's policy is ACCEPT/);
    expect(prepared.preview.warnings.join('\n')).toMatch(/Hardening baselines/);
    expect(engineForwarding()).toBe('0');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('the fix turns forwarding on, persists it into the chosen directory and warns about files that set it back', async () => {
    setEngineForwarding(0);
    const dir = tempDir();
    writeFileSync(join(dir, '10-early.conf'), 'net.ipv4.ip_forward = 0\n');
    writeFileSync(join(dir, 'zz-late.conf'), '# hardening\nnet/ipv4/ip_forward=0\n');
    const prepared = await prepareForwardingFix(engine, {persist: true, sysctlDir: dir});
    const events = await runToEnd(prepared.job, engine);

    expect(engineForwarding()).toBe('1');
    const file = join(dir, persistFileName);
    expect(readFileSync(file, 'utf8')).toBe(persistFileContent);
    expect(statSync(file).mode & 0o777).toBe(0o644);
    // Written atomically: no temporary file left next to it.
    expect(readdirSync(dir).sort()).toEqual(['10-early.conf', persistFileName, 'zz-late.conf'].sort());

    const warnings = events.filter((event): event is Extract<JobEvent, {type: 'warning'}> => event.type === 'warning').map(event => event.message);
    expect(warnings.some(message => message.includes(`${join(dir, 'zz-late.conf')}:2`))).toBe(true);
    expect(warnings.some(message => message.includes('10-early.conf'))).toBe(false);
    const done = events.at(-1);
    expect(done).toMatchObject({type: 'done', data: {state: 'on', persistedTo: file}});

    const report = await detectForwarding(engine, {live: 'always'});
    expect(report).toMatchObject({source: 'live', state: 'on'});
  });

  it('the CLI with --yes fixes forwarding and exits 0', async () => {
    setEngineForwarding(0);
    expect(await runForwarding(engine, {fix: true, yes: true, json: true})).toBe(exitCodes.ok);
    expect(engineForwarding()).toBe('1');
  });

  it('a failing fix leaves no helper behind and says what happened', async () => {
    setEngineForwarding(0);
    const missing = join(tempDir(), 'does-not-exist');
    const prepared = await prepareForwardingFix(engine, {persist: true, sysctlDir: missing});
    const failure = await runToEnd(prepared.job, engine).then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(JobError);
    expect((failure as JobError).message).toMatch(/was not written/);
    // The runtime part ran before the persist step failed, and no directory was created on the host.
    expect(engineForwarding()).toBe('1');
    expect(() => statSync(missing)).toThrow();
  });

  it('a cancelled fix changes nothing and leaves no helper behind', async () => {
    setEngineForwarding(0);
    const prepared = await prepareForwardingFix(engine, {});
    const controller = new AbortController();
    controller.abort();
    await expect(runToEnd(prepared.job, engine, controller.signal)).rejects.toThrow(/Cancelled/);
    expect(engineForwarding()).toBe('0');
  });

  it('a pull that fails reports it as a job error', async () => {
    const failure = await (async () => {
      for await (const event of pullHelperImage(engine, 'localhost:1/hawser-nothing:latest', new AbortController().signal)) {
        void event;
      }
    })().then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(JobError);
    expect((failure as JobError).message).toMatch(/Could not pull localhost:1\/hawser-nothing:latest/);
  });
});
