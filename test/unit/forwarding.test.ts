// The pure parts of the forwarding feature, and its decisions against a scripted fake engine: when the
// live check runs, what is refused before anything changes, and that helpers are removed on failure.
import {Readable} from 'node:stream';
import {Command} from 'commander';
import {describe, expect, it} from 'vitest';
import {registerForwarding} from '../../source/commands/forwarding.js';
import {EngineError} from '../../source/engine/errors.js';
import type {EnginePort} from '../../source/engine/port.js';
import {pullQuery, readPullProgress} from '../../source/engine/pull-progress.js';
import type {EngineInfo, PullProgress} from '../../source/engine/types.js';
import {bannerFor, detectForwarding, forgetLiveCheck} from '../../source/jobs/forwarding/detect.js';
import {engineKind, isInfoCached} from '../../source/jobs/forwarding/explain.js';
import {fixHostConfig, parseScan, prepareForwardingFix, validateSysctlDir} from '../../source/jobs/forwarding/fix.js';
import {runHelper} from '../../source/jobs/helpers/helper-container.js';
import {candidateTags, pullHelperImage} from '../../source/jobs/helpers/helper-image.js';
import {findConflicts, forwardingSettings, persistFileName} from '../../source/jobs/forwarding/sysctl-files.js';
import {InputError, JobError, type JobEvent} from '../../source/jobs/job.js';

const baseInfo: EngineInfo = {
  version: '20.10.24+dfsg1',
  apiVersion: '1.41',
  engineApiVersion: '1.41',
  os: 'linux',
  name: 'host',
  isIpv4ForwardingOn: true,
  warnings: [],
  securityOptions: ['name=apparmor', 'name=seccomp,profile=default'],
  isSwarmManager: false,
  operatingSystem: 'Debian GNU/Linux 12 (bookworm)',
  systemTime: 1_700_000_000,
};

type Calls = {created: Record<string, unknown>[]; removed: string[]};

/** A fake engine whose helper containers print `liveValue`; every other call fails the test. */
function fakeEngine(info: Partial<EngineInfo>, options: {liveValue?: string; images?: string[]; failStart?: boolean; pull?: () => AsyncIterable<PullProgress>} = {}): {engine: EnginePort; calls: Calls} {
  const calls: Calls = {created: [], removed: []};
  const implemented: Partial<EnginePort> = {
    address: 'unix:///fake.sock',
    info: async () => ({...baseInfo, ...info}),
    listImages: async () => (options.images ?? ['busybox:latest']).map((tag, index) => ({id: `sha256:${index}`, tags: [tag], size: 1})),
    listContainers: async () => [],
    createContainer: async spec => {
      calls.created.push(spec);
      return {id: `c${calls.created.length}`, warnings: []};
    },
    startContainer: async () => {
      if (options.failStart) {
        throw new EngineError('exec failed', '');
      }
    },
    waitContainer: async () => ({exitCode: 0}),
    containerLogs: async () => `${options.liveValue ?? '1'}\n`,
    removeContainer: async id => {
      calls.removed.push(id);
    },
    getArchive: async () => Readable.from([]),
    pullImage: options.pull ? () => options.pull!() : undefined,
  };
  const engine = new Proxy(implemented, {
    get(target, key) {
      const value = target[key as keyof EnginePort];
      if (value === undefined && key !== 'then') {
        throw new Error(`fake engine: ${String(key)} was not expected`);
      }

      return value;
    },
  }) as EnginePort;
  return {engine, calls};
}

describe('sysctl files', () => {
  it('finds every spelling of the forwarding switch and nothing else', () => {
    const text = '# net.ipv4.ip_forward = 0\n; net.ipv4.ip_forward=0\nnet.ipv4.ip_forward=1\n-net/ipv4/ip_forward = 0\nnet.ipv4.conf.all.forwarding=0\nnet.ipv6.conf.all.forwarding=0\nnet.ipv4.ip_forward_use_pmtu=0\n';
    expect(forwardingSettings('/etc/x.conf', text).map(s => [s.line, s.value])).toEqual([[3, '1'], [4, '0'], [5, '0']]);
  });

  it('marks a 0 as winning only when it is applied after hawser\'s file', () => {
    const ours = `/etc/sysctl.d/${persistFileName}`;
    const conflicts = findConflicts([
      {path: ours, text: 'net.ipv4.ip_forward = 0'},
      {path: '/etc/sysctl.conf', text: 'net.ipv4.ip_forward=0'},
      {path: '/etc/sysctl.d/10-early.conf', text: 'net.ipv4.ip_forward=0'},
      {path: '/etc/sysctl.d/99-zz-late.conf', text: 'net.ipv4.ip_forward=0'},
      {path: `/usr/lib/sysctl.d/${persistFileName}`, text: 'net.ipv4.ip_forward=0'},
      {path: '/etc/sysctl.d/99-zzz-on.conf', text: 'net.ipv4.ip_forward=1'},
    ], ours);
    expect(conflicts.map(c => [c.file, c.isWinning])).toEqual([
      ['/etc/sysctl.conf', true],
      ['/etc/sysctl.d/10-early.conf', false],
      ['/etc/sysctl.d/99-zz-late.conf', true],
      [`/usr/lib/sysctl.d/${persistFileName}`, false],
    ]);
  });

  it('maps the persist helper\'s output to host paths with the files\' own line numbers', () => {
    const scan = parseScan('@@written\n@@file /hawser/etc/sysctl.conf\n28:net.ipv4.ip_forward=0\n@@file /hawser/sysctl.d/a.conf\n@@file /hawser/usr-lib/sysctl.d/b.conf\n1:x=1\n', '/srv/sysctl.d');
    expect(scan.isWritten).toBe(true);
    expect(scan.files.map(f => f.path)).toEqual(['/etc/sysctl.conf', '/srv/sysctl.d/a.conf', '/usr/lib/sysctl.d/b.conf']);
    expect(findConflicts(scan.files, '/srv/sysctl.d/99-hawser-ip-forward.conf')).toMatchObject([{file: '/etc/sysctl.conf', line: 28}]);
    expect(parseScan('sh: cannot create\n', '/x').isWritten).toBe(false);
  });

  it('accepts only an absolute sysctl directory', () => {
    expect(validateSysctlDir('/etc/sysctl.d/')).toBe('/etc/sysctl.d');
    for (const bad of ['etc/sysctl.d', '/', '//', '/etc/../root', '', '/a\nb']) {
      expect(() => validateSysctlDir(bad), bad).toThrow(InputError);
    }
  });
});

describe('helper image and pulls', () => {
  it('ranks local images with a shell, small first, mirrors included', () => {
    const images = ['debian:bookworm', 'nginx:latest', 'registry.local:5000/library/alpine:3.20', 'busybox:1.36', 'hawser/busybox:latest', 'myalpine:1'].map((tag, i) => ({id: String(i), tags: [tag], size: 1}));
    expect(candidateTags(images)).toEqual(['busybox:1.36', 'hawser/busybox:latest', 'registry.local:5000/library/alpine:3.20', 'debian:bookworm']);
  });

  it('splits references into fromImage and tag', () => {
    expect(pullQuery('busybox')).toEqual({fromImage: 'busybox', tag: 'latest'});
    expect(pullQuery('localhost:5000/x')).toEqual({fromImage: 'localhost:5000/x', tag: 'latest'});
    expect(pullQuery('localhost:5000/x:1.2')).toEqual({fromImage: 'localhost:5000/x', tag: '1.2'});
    expect(pullQuery('busybox@sha256:abc')).toEqual({fromImage: 'busybox@sha256:abc'});
  });

  it('turns an in-band {error} into a failure although the stream went well so far', async () => {
    const body = Readable.from([
      '{"status":"Pulling from library/busybox","id":"latest"}\n{"status":"Downloading","id":"a1","progressDetail":{"current":10,"total":100}}\n',
      '{"error":"unexpected EOF","errorDetail":{"message":"unexpected EOF"}}\n',
    ]);
    const seen: PullProgress[] = [];
    await expect((async () => {
      for await (const message of readPullProgress(body)) {
        seen.push(message);
      }
    })()).rejects.toThrow(/The pull failed: unexpected EOF/);
    expect(seen[1]).toEqual({id: 'a1', status: 'Downloading', current: 10, total: 100});
  });

  it('reports a pull\'s bytes over all layers, and its failure as a JobError', async () => {
    const {engine} = fakeEngine({}, {
      async * pull() {
        yield {id: 'a', status: 'Downloading', current: 5, total: 10};
        yield {id: 'b', status: 'Downloading', current: 1, total: 30};
        throw new EngineError('The pull failed: toomanyrequests', '');
      },
    });
    const events: JobEvent[] = [];
    const failure = await (async () => {
      for await (const event of pullHelperImage(engine, 'busybox:latest', new AbortController().signal)) {
        events.push(event);
      }
    })().then(() => undefined, (error: unknown) => error);
    expect(events.filter(e => e.type === 'progress').at(-1)).toMatchObject({done: 6, total: 40, unit: 'bytes'});
    expect(failure).toBeInstanceOf(JobError);
    expect((failure as JobError).message).toBe('Could not pull busybox:latest: toomanyrequests');
  });
});

describe('detection', () => {
  it('tells rootless engines, Docker Desktop and cached /info apart', () => {
    expect(engineKind({...baseInfo, securityOptions: ['name=seccomp,profile=default', 'name=rootless']})).toBe('rootless');
    expect(engineKind({...baseInfo, operatingSystem: 'Docker Desktop'})).toBe('desktop');
    expect(engineKind(baseInfo)).toBe('standard');
    expect(isInfoCached(baseInfo)).toBe(false);
    expect(isInfoCached({...baseInfo, version: '23.0.1'})).toBe(true);
    expect(isInfoCached({...baseInfo, version: 'dev', apiVersion: '1.47', engineApiVersion: '1.47'})).toBe(true);
    // The engine's own API decides, not the one negotiated down (DOCKER_API_VERSION=1.41 on Engine 27).
    expect(isInfoCached({...baseInfo, version: 'dev', apiVersion: '1.41', engineApiVersion: '1.47'})).toBe(true);
  });

  it('trusts /info before Engine 23 and runs no container for the banner', async () => {
    const {engine, calls} = fakeEngine({isIpv4ForwardingOn: false, warnings: ['WARNING: IPv4 forwarding is disabled']});
    const banner = bannerFor(await detectForwarding(engine, {live: 'auto'}));
    expect(calls.created).toEqual([]);
    expect(banner).toMatchObject({isShown: true, state: 'off', canFix: true});
    expect(banner.consequences.join(' ')).toMatch(/cannot reach anything outside the host/);
  });

  it('checks live from Engine 23 on, at most once a minute until a fix forgets it', async () => {
    const {engine, calls} = fakeEngine({version: '27.3.1', apiVersion: '1.47', isIpv4ForwardingOn: true}, {liveValue: '0'});
    const report = await detectForwarding(engine, {live: 'auto'});
    expect(report).toMatchObject({state: 'off', source: 'live', isInfoStale: true, infoSaysOn: true});
    expect(bannerFor(report).message).toMatch(/\/info still says on/);
    const helpers = calls.created.filter(spec => (spec['Labels'] as Record<string, string>)['io.hawser.helper.purpose'] === 'forwarding-check');
    expect(helpers).toHaveLength(1);
    expect(helpers[0]!['HostConfig']).toMatchObject({NetworkMode: 'host', CapDrop: ['ALL'], ReadonlyRootfs: true, Privileged: false});
    expect(helpers[0]!['HostConfig']).not.toHaveProperty('CapAdd');

    const before = calls.created.length;
    await detectForwarding(engine, {live: 'auto'});
    expect(calls.created.length).toBe(before);
    forgetLiveCheck(engine);
    await detectForwarding(engine, {live: 'auto'});
    expect(calls.created.length).toBeGreaterThan(before);
  });

  it('falls back to /info and says why when no image has a shell', async () => {
    const {engine, calls} = fakeEngine({isIpv4ForwardingOn: false}, {images: ['nginx:latest']});
    const report = await detectForwarding(engine, {live: 'always'});
    expect(report).toMatchObject({state: 'off', source: 'info', liveCheck: {status: 'unavailable'}});
    expect(report.liveCheck.note).toMatch(/No local image with a shell.*pull a small one/);
    expect(calls.created).toEqual([]);
  });
});

describe('the fix', () => {
  it('asks for NET_ADMIN only and is never privileged', () => {
    const config = fixHostConfig(baseInfo);
    expect(config).toMatchObject({NetworkMode: 'host', CapDrop: ['ALL'], CapAdd: ['NET_ADMIN'], MaskedPaths: [], ReadonlyPaths: [], ReadonlyRootfs: true, Privileged: false});
    expect(config['SecurityOpt']).toContain('apparmor=unconfined');
    expect(fixHostConfig({...baseInfo, securityOptions: ['name=userns']})).toMatchObject({UsernsMode: 'host'});
  });

  it('refuses rootless engines and Docker Desktop before anything runs, saying what to do', async () => {
    for (const [info, pattern] of [
      [{securityOptions: ['name=rootless']}, /RootlessKit/],
      [{operatingSystem: 'Docker Desktop'}, /Docker Desktop/],
    ] as const) {
      const {engine, calls} = fakeEngine(info);
      const failure = await prepareForwardingFix(engine, {persist: true}).then(() => undefined, (error: unknown) => error);
      expect(failure).toBeInstanceOf(InputError);
      expect((failure as InputError).message).toMatch(/cannot reach the real host/);
      expect((failure as InputError).message).toMatch(pattern);
      expect((failure as InputError).hint).not.toBe('');
      expect(calls.created).toEqual([]);
    }
  });

  it('offers to pull busybox when no local image has a shell', async () => {
    const {engine} = fakeEngine({isIpv4ForwardingOn: false}, {images: []});
    const prepared = await prepareForwardingFix(engine, {});
    expect(prepared.preview.steps[0]).toMatch(/No local image with a shell.*Pull busybox:latest/);
  });

  it('from Engine 23 the fix asks the engine\'s namespace, not the /info read at daemon start', async () => {
    const {engine, calls} = fakeEngine({version: '28.5.2', apiVersion: '1.51', isIpv4ForwardingOn: true}, {liveValue: '0'});
    const prepared = await prepareForwardingFix(engine, {});
    expect(prepared.preview.title).toMatch(/^Turn on IPv4 forwarding/);
    expect(calls.created.filter(spec => (spec['Labels'] as Record<string, string>)['io.hawser.helper.purpose'] === 'forwarding-check')).toHaveLength(1);
    const on = fakeEngine({version: '28.5.2', apiVersion: '1.51', isIpv4ForwardingOn: false}, {liveValue: '1'});
    await expect(prepareForwardingFix(on.engine, {})).rejects.toThrow(/already on/);
  });

  it('when forwarding is on already: nothing to turn on, but it can be made to last', async () => {
    const {engine, calls} = fakeEngine({isIpv4ForwardingOn: true}, {images: []});
    const refusal = await prepareForwardingFix(engine, {}).then(() => undefined, (error: unknown) => error);
    expect(refusal).toBeInstanceOf(InputError);
    expect((refusal as InputError).message).toMatch(/already on .*nothing to turn on/);
    expect((refusal as InputError).hint).toContain('hawser forwarding --fix --persist');
    expect(calls.created).toEqual([]);
    const persisting = await prepareForwardingFix(engine, {persist: true});
    expect(persisting.preview.title).toMatch(/^IPv4 forwarding is on at .*: make it last across reboots$/);
  });

  it('removes the helper when it fails to start', async () => {
    const {engine, calls} = fakeEngine({}, {failStart: true});
    await expect(runHelper(engine, {image: 'busybox:latest', purpose: 'forwarding-fix', script: 'true', hostConfig: {}}, new AbortController().signal)).rejects.toThrow(/exec failed/);
    expect(calls.removed).toEqual(['c1']);
  });
});

describe('hawser forwarding flags', () => {
  async function parse(args: string[], engine: EnginePort, isReadOnly = false): Promise<unknown> {
    const program = new Command().exitOverride();
    registerForwarding(program, {connect: () => engine, connectTo: () => expect.unreachable('forwarding connects to no other engine'), isReadOnly: () => isReadOnly});
    return program.parseAsync(['node', 'hawser', 'forwarding', ...args]).then(() => undefined, (error: unknown) => error);
  }

  it('refuses --persist or --sysctl-dir without --fix, and --fix under --read-only, before touching the engine', async () => {
    const {engine, calls} = fakeEngine({});
    expect(await parse(['--persist'], engine)).toBeInstanceOf(InputError);
    expect(await parse(['--fix', '--sysctl-dir', '/srv/sysctl.d'], engine)).toBeInstanceOf(InputError);
    expect(await parse(['--fix', '--yes'], engine, true)).toBeInstanceOf(InputError);
    expect(calls.created).toEqual([]);
  });

  it('passes --sysctl-dir through to the fix', async () => {
    const {engine} = fakeEngine({});
    const failure = await parse(['--fix', '--persist', '--sysctl-dir', 'relative/dir', '--yes'], engine);
    expect(failure).toBeInstanceOf(InputError);
    expect((failure as InputError).message).toMatch(/relative\/dir/);
  });
});
