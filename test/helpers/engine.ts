// The isolated test engine, for integration tests: a real EnginePort and names that cannot clash.
import {randomBytes} from 'node:crypto';
import {inject} from 'vitest';
import {parseHost} from '../../source/engine/connection.js';
import {createDockerEngine} from '../../source/engine/dockerode-adapter.js';
import type {CreateContainerSpec, EnginePort} from '../../source/engine/port.js';
import {busyboxImage} from '../../source/sandbox/test-image.js';

/** The test engine's DOCKER_HOST, or '' when integration tests are skipped. */
export const dockerHost = inject('dockerHost');

/** The network namespace the test engine runs in ('' for an external engine). */
export const testNetns = inject('testNetns');

/** True when there is no engine; integration suites use `describe.skipIf(noEngine)`. */
export const noEngine = !dockerHost;

/** Label on everything tests create, so cleanup finds it. */
export const testLabel = 'io.hawser.test';

/** A real engine client for the test engine. */
export function testEngine(): EnginePort {
  return createDockerEngine(parseHost(dockerHost, 'test engine'));
}

/** A unique resource name with a readable prefix. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

/** Creates and starts a busybox container running `command`; returns its id. */
export async function runBusybox(engine: EnginePort, name: string, command: string, spec: Partial<CreateContainerSpec> = {}): Promise<string> {
  const {id} = await engine.createContainer({
    name,
    Image: busyboxImage,
    Cmd: ['sh', '-c', command],
    StopSignal: 'SIGKILL',
    Labels: {[testLabel]: '1'},
    ...spec,
  });
  await engine.startContainer(id);
  return id;
}

/** Removes every container, network and volume whose name starts with `prefix`. */
export async function removeByPrefix(engine: EnginePort, prefix: string): Promise<void> {
  for (const container of await engine.listContainers()) {
    if (container.name.startsWith(prefix)) {
      await engine.removeContainer(container.id, {force: true}).catch(() => undefined);
    }
  }

  for (const network of await engine.listNetworks()) {
    if (network.name.startsWith(prefix)) {
      await engine.removeNetwork(network.id).catch(() => undefined);
    }
  }

  for (const volume of await engine.listVolumes()) {
    if (volume.name.startsWith(prefix)) {
      await engine.removeVolume(volume.name).catch(() => undefined);
    }
  }
}

/** Runs a shell command inside a running container and returns its stdout. */
export async function sh(engine: EnginePort, container: string, command: string): Promise<string> {
  const result = await engine.exec(container, ['sh', '-c', command]);
  if (result.exitCode !== 0) {
    throw new Error(`exit ${result.exitCode}: ${result.stderr || result.stdout}`);
  }

  return result.stdout;
}

/** The matrix entry this file runs on: '20', '26', '28' (or 'external'). */
export const engineId = inject('engineId');

/** The test engine's own version, e.g. '28.5.2'. */
export const engineVersion = inject('engineVersion');

/** The test engine's major version (20, 26, 28…); 0 when unknown. */
export const engineMajor = Number(engineVersion.split('.')[0]) || 0;

/** A running service with a named data volume holding a file and restart policy unless-stopped: what a recreate must keep. */
export async function serviceWithData(engine: EnginePort, name: string, payload: string): Promise<{name: string; id: string}> {
  const id = await runBusybox(engine, name, 'sleep 100000', {HostConfig: {Binds: [`${name}-data:/data`], RestartPolicy: {Name: 'unless-stopped', MaximumRetryCount: 0}}});
  await sh(engine, name, `echo ${payload} > /data/file`);
  return {name, id};
}
