// The bench's own isolated engine and the fixture: 1,000 containers (a fifth running),
// 30 networks, 300 volumes, some containers on networks and volumes. Nothing is kept between runs.
import {mkdtempSync, readFileSync, readdirSync} from 'node:fs';
import {parseHost} from '../../dist/engine/connection.js';
import {createDockerEngine} from '../../dist/engine/dockerode-adapter.js';
import {ensureHostPackages, layoutFor, runningPid, startIsolatedEngine, stopIsolatedEngine} from '../../dist/sandbox/isolated-engine.js';
import {busyboxImage, ensureBusyboxImage} from '../../dist/sandbox/test-image.js';

/** Label on everything the bench creates. */
export const benchLabel = 'io.hawser.bench';

/** Sizes of the fixture (the issue's; smaller through env vars for a quick try). */
export function fixtureSize(env = process.env) {
  const containers = Number(env.BENCH_CONTAINERS ?? 1000);
  return {
    containers,
    running: Math.round(containers / 5),
    networks: Number(env.BENCH_NETWORKS ?? 30),
    volumes: Number(env.BENCH_VOLUMES ?? 300),
  };
}

/** Runs `task` over `items`, `width` at a time. */
async function inBatches(items, width, task) {
  let next = 0;
  const workers = Array.from({length: width}, async () => {
    while (next < items.length) {
      const item = items[next++];
      await task(item);
    }
  });
  await Promise.all(workers);
}

/** Starts a fresh isolated engine under /tmp; returns its layout, client and host URL. */
export async function startBenchEngine(report) {
  ensureHostPackages(report, [{command: 'tmux', package: 'tmux'}, {command: '/usr/bin/time', package: 'time'}]);
  const baseDir = mkdtempSync('/tmp/hwb-');
  const layout = layoutFor(baseDir, `hawser-bench-${process.pid}`);
  const host = `unix://${layout.socketPath}`;
  const engine = createDockerEngine(parseHost(host, 'the bench engine'), {timeoutMs: 120_000});
  await startIsolatedEngine(layout, async () => engine.ping().then(() => true, () => false));
  await ensureBusyboxImage(engine);
  return {layout, engine, host, dockerdPid: () => runningPid(layout)};
}

/** An engine left running by BENCH_KEEP=1 (its base dir), for measuring again without preparing. */
export function reuseBenchEngine(baseDir, netns) {
  const layout = layoutFor(baseDir, netns);
  const host = `unix://${layout.socketPath}`;
  const engine = createDockerEngine(parseHost(host, 'the bench engine'), {timeoutMs: 120_000});
  return {layout, engine, host, dockerdPid: () => runningPid(layout)};
}

/**
 * Stops the bench engine and removes everything it stored. The running containers are killed first:
 * dockerd's own shutdown of 200 of them outlasts the 30 s stopIsolatedEngine gives it, and a SIGKILLed
 * dockerd leaves their shims behind; any shim still left is then ended by its pid.
 */
export async function stopBenchEngine(layout, engine) {
  if (engine && runningPid(layout)) {
    try {
      const running = (await engine.listContainers()).filter(c => c.state === 'running');
      await inBatches(running, 16, c => engine.stopContainer(c.id, {timeoutSeconds: 0}).catch(() => undefined));
    } catch {}
  }

  await stopIsolatedEngine(layout, {removeData: true});
  for (const pid of leftoverShims(layout)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
}

/** containerd shims that belong to this engine (their -address is under its exec root). */
function leftoverShims(layout) {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args[0]?.endsWith('containerd-shim-runc-v2') && args.some(arg => arg.startsWith(`${layout.execRoot}/`))) found.push(Number(entry));
    } catch {}
  }

  return found;
}

/** Creates the fixture; `report` gets progress lines. */
export async function createFixture(engine, size, report) {
  const labels = {[benchLabel]: '1'};
  const networkIndexes = Array.from({length: size.networks}, (_, i) => i);
  // Explicit subnets: the default pools run out after about 30 user networks.
  await inBatches(networkIndexes, 8, i => engine.createNetwork({
    name: `bench-net-${String(i).padStart(2, '0')}`,
    driver: 'bridge',
    ipam: [{subnet: `10.210.${i}.0/24`, gateway: `10.210.${i}.1`}],
    labels,
  }));
  report(`${size.networks} networks`);

  const volumeIndexes = Array.from({length: size.volumes}, (_, i) => i);
  await inBatches(volumeIndexes, 16, i => engine.createVolume({name: `bench-vol-${String(i).padStart(3, '0')}`, labels}));
  report(`${size.volumes} volumes`);

  const every = Math.max(1, Math.round(size.containers / size.running));
  const containerIndexes = Array.from({length: size.containers}, (_, i) => i);
  let done = 0;
  await inBatches(containerIndexes, 16, async i => {
    const name = `bench-c-${String(i).padStart(4, '0')}`;
    const network = i % 3 === 0 && size.networks > 0 ? `bench-net-${String(i % size.networks).padStart(2, '0')}` : undefined;
    const volume = i % 4 === 0 && size.volumes > 0 ? `bench-vol-${String(i % size.volumes).padStart(3, '0')}` : undefined;
    const {id} = await engine.createContainer({
      name,
      Image: busyboxImage,
      Cmd: ['sleep', '100000000'],
      Labels: labels,
      // sleep as PID 1 ignores SIGTERM: SIGKILL makes the engine's shutdown quick.
      StopSignal: 'SIGKILL',
      HostConfig: {
        ...(network ? {NetworkMode: network} : {}),
        ...(volume ? {Binds: [`${volume}:/data`]} : {}),
      },
      ...(network ? {NetworkingConfig: {EndpointsConfig: {[network]: {}}}} : {}),
    });
    if (i % every === 0) {
      await engine.startContainer(id);
    }

    done++;
    if (done % 200 === 0) report(`${done}/${size.containers} containers`);
  });
}
