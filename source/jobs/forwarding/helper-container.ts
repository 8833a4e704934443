// The forwarding feature's shell helpers: a constant script run by /bin/sh from a small local image,
// never privileged, tagged with what it is for. Labels, owner and the always-remove come from
// ../helper-containers.ts.
import type {EnginePort} from '../../engine/port.js';
import {withHelperContainer, type HelperContainerSpec} from '../helper-containers.js';
import {helperLabel} from '../leftover-helpers.js';

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
  /** Keep all the output, not only its last 200 lines (a listing). */
  readonly isWholeOutput?: boolean;
};

/** What a helper printed and how it ended. */
export type HelperResult = {readonly exitCode: number; readonly output: string};

// A helper that runs longer than this is stuck (a hung engine, a blocked mount); give up and remove it.
const helperTimeoutMs = 120_000;

// Leftovers of a hawser process that was killed mid-action; old enough that no live run still reads them.
const strayAgeSeconds = 600;

/** The create body of a helper: shell entrypoint, so the image's own entrypoint never runs. */
function helperCreateSpec(spec: HelperSpec): HelperContainerSpec {
  return {
    Image: spec.image,
    Entrypoint: ['/bin/sh', '-c'],
    Cmd: [spec.script],
    Env: Object.entries(spec.env ?? {}).map(([key, value]) => `${key}=${value}`),
    User: spec.user ?? '0',
    Labels: {[helperPurposeLabel]: spec.purpose},
    AttachStdin: false,
    Tty: false,
    HostConfig: {Privileged: false, ...spec.hostConfig},
  };
}

/** Creates the helper `spec` describes (not started), runs `use` with its id, and removes it whatever happened. */
export function withShellHelper<T>(engine: EnginePort, spec: HelperSpec, signal: AbortSignal | undefined, use: (id: string) => Promise<T>): Promise<T> {
  return withHelperContainer(engine, helperCreateSpec(spec), {purpose: spec.purpose, signal}, use);
}

/** Removes helpers of `purposePrefix` left by a hawser process that died before its cleanup ran. */
export async function removeStrays(engine: EnginePort, purposePrefix: string): Promise<void> {
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
  const limited = AbortSignal.any([signal, AbortSignal.timeout(helperTimeoutMs)]);
  return withShellHelper(engine, spec, limited, async id => {
    await engine.startContainer(id, {signal: limited});
    const {exitCode} = await engine.waitContainer(id, {signal: limited});
    const output = await engine.containerLogs(id, {signal: limited, ...(spec.isWholeOutput ? {tail: 'all' as const} : {})});
    return {exitCode, output};
  });
}
