// Short-lived helper containers: labelled as hawser's, never privileged, always removed — also when the
// action fails or is cancelled half-way.
import {randomBytes} from 'node:crypto';
import type {CreateContainerSpec, EnginePort} from '../../engine/port.js';
import {helperOwnerLabels} from '../leftover-helpers.js';

/** The label every hawser helper carries, so users and tests can find strays. */
export const helperLabel = 'io.hawser.helper';

/** The label naming what a helper is for; forwarding helpers use values starting with `forwarding`. */
export const helperPurposeLabel = 'io.hawser.helper.purpose';

/** A helper run: the image, the shell script (a constant; inputs only ever go through `env`), and its host config. */
export type HelperSpec = {
  readonly image: string;
  readonly purpose: string;
  readonly script: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly hostConfig: Readonly<Record<string, unknown>>;
  readonly user?: string;
};

/** What a helper printed and how it ended. */
export type HelperResult = {readonly exitCode: number; readonly output: string};

// A helper that runs longer than this is stuck (a hung engine, a blocked mount); give up and remove it.
const helperTimeoutMs = 120_000;

// Leftovers of a hawser process that was killed mid-action; old enough that no live run still reads them.
const strayAgeSeconds = 600;

/** The create body of a helper: shell entrypoint, so the image's own entrypoint never runs. */
export function helperCreateSpec(spec: HelperSpec, name: string): CreateContainerSpec {
  return {
    name,
    Image: spec.image,
    Entrypoint: ['/bin/sh', '-c'],
    Cmd: [spec.script],
    Env: Object.entries(spec.env ?? {}).map(([key, value]) => `${key}=${value}`),
    User: spec.user ?? '0',
    Labels: {[helperLabel]: '1', [helperPurposeLabel]: spec.purpose, ...helperOwnerLabels()},
    AttachStdin: false,
    Tty: false,
    HostConfig: {Privileged: false, ...spec.hostConfig},
  };
}

/** Removes forwarding helpers left by a hawser process that died before its cleanup ran. */
async function removeStrays(engine: EnginePort, purposePrefix: string): Promise<void> {
  const now = Date.now() / 1000;
  const containers = await engine.listContainers().catch(() => []);
  for (const container of containers) {
    const isOurs = container.labels[helperLabel] === '1' && (container.labels[helperPurposeLabel] ?? '').startsWith(purposePrefix);
    if (isOurs && container.state !== 'running' && now - container.created > strayAgeSeconds) {
      await engine.removeContainer(container.id, {force: true}).catch(() => undefined);
    }
  }
}

/** Creates, starts and waits for a helper, returns its output, and removes it whatever happened. */
export async function runHelper(engine: EnginePort, spec: HelperSpec, signal: AbortSignal): Promise<HelperResult> {
  await removeStrays(engine, spec.purpose.split('-')[0] ?? spec.purpose);
  const name = `hawser-helper-${spec.purpose}-${randomBytes(4).toString('hex')}`;
  const limited = AbortSignal.any([signal, AbortSignal.timeout(helperTimeoutMs)]);
  let id: string | undefined;
  try {
    id = (await engine.createContainer(helperCreateSpec(spec, name), {signal: limited})).id;
    await engine.startContainer(id, {signal: limited});
    const {exitCode} = await engine.waitContainer(id, {signal: limited});
    const output = await engine.containerLogs(id, {signal: limited});
    return {exitCode, output};
  } finally {
    // No signal here: cleanup must run even after a cancel. By name when the create was cut off after
    // the engine had already made the container.
    await engine.removeContainer(id ?? name, {force: true}).catch(() => undefined);
  }
}
