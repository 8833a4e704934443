// Helper containers: short-lived containers hawser makes for one action (a forwarding check or fix, an
// image probe, a way into a volume for the archive API). Each carries hawser's helper label and names
// this process as its owner, so `hawser recover` can remove it when hawser dies first; and the action
// that made it always removes it, also when it fails or is cancelled half-way.
//
// Two kinds are built on `withHelperContainer`: shell helpers (a constant script run by /bin/sh from a
// small local image, see ./helper-image.ts; forwarding checks and fixes, the archive's helper lister)
// and volume helpers (created from an empty image, never started: the archive API's way into a volume).
import {randomBytes} from 'node:crypto';
import {Readable} from 'node:stream';
import type {CreateContainerSpec, EnginePort} from '../../engine/port.js';
import {helperLabel, helperOwnerLabels} from './leftovers.js';

/** The labels of everything hawser makes only for itself (helpers, probe volumes), `extra` added. */
export function helperLabels(extra?: Readonly<Record<string, string>>): Record<string, string> {
  return {[helperLabel]: '1', ...helperOwnerLabels(), ...extra};
}

/** A helper's create body, without its name and hawser's labels: `withHelperContainer` adds them to `Labels`. */
export type HelperContainerSpec = Readonly<Record<string, unknown>> & {readonly Labels?: Readonly<Record<string, string>>};

/**
 * Creates a helper container from `spec` (named `hawser-helper-<purpose>-<random>`), runs `use` with its
 * id, and removes it (forced) whatever happened. The create is not cut off by a cancel: the engine would
 * finish making the container after hawser had given up on it (and tried to remove it by name too early),
 * leaving it behind, holding its volume; a cancel is seen right after instead. The cleanup takes no
 * signal, so it runs after a cancel too.
 */
export async function withHelperContainer<T>(engine: EnginePort, spec: HelperContainerSpec, options: {readonly purpose?: string; readonly signal?: AbortSignal}, use: (id: string) => Promise<T>): Promise<T> {
  const name = `hawser-helper-${options.purpose ? `${options.purpose}-` : ''}${randomBytes(4).toString('hex')}`;
  const create: CreateContainerSpec = {...spec, name, Labels: helperLabels(spec.Labels)};
  const helper: LiveHelper = {engine, name};
  let finished!: () => void;
  liveHelpers.set(helper, new Promise<void>(resolve => {
    finished = resolve;
  }));
  try {
    options.signal?.throwIfAborted();
    helper.id = (await engine.createContainer(create)).id;
    options.signal?.throwIfAborted();
    return await use(helper.id);
  } finally {
    await engine.removeContainer(helper.id ?? name, {force: true}).catch(() => undefined);
    liveHelpers.delete(helper);
    finished();
  }
}

type LiveHelper = {readonly engine: EnginePort; readonly name: string; id?: string};

/** Helpers this process has made and not yet removed, each with the promise of its removal. */
const liveHelpers = new Map<LiveHelper, Promise<void>>();

/**
 * Before the process exits (the TUI quits while its start-up forwarding check runs, say): waits up to
 * `graceMs` for running helpers to finish and remove themselves, then removes what is left by force,
 * so no `hawser-helper-*` stays behind for the next start's clean-up question.
 */
export async function removeLiveHelpers(graceMs = 3000): Promise<void> {
  if (liveHelpers.size === 0) {
    return;
  }

  const wait = async (ms: number) => new Promise(resolve => setTimeout(resolve, ms).unref());
  await Promise.race([Promise.allSettled([...liveHelpers.values()]), wait(graceMs)]);
  await Promise.race([
    Promise.allSettled([...liveHelpers.keys()].map(async helper => helper.engine.removeContainer(helper.id ?? helper.name, {force: true}))),
    wait(graceMs),
  ]);
}

// Shell helpers: a constant script run by /bin/sh from a small local image, never privileged, tagged
// with what it is for.

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

// Volume helpers: the archive API's way into a volume, created and never started. The engine mounts
// their rootfs and volumes itself for archive calls, so an empty image is enough and no pull is needed.

/** The empty image volume helpers are made from. */
export const helperImage = 'hawser/helper-empty:1';

/** Where the volume is mounted inside a volume helper. */
export const helperMountPath = '/vol';

/** Imports the empty helper image when the engine does not have it yet. */
export async function ensureHelperImage(engine: EnginePort, signal?: AbortSignal): Promise<void> {
  const images = await engine.listImages({signal});
  if (images.some(image => image.tags.includes(helperImage))) {
    return;
  }

  // An empty tar: just the two end-of-archive blocks.
  await engine.importImage(Readable.from([Buffer.alloc(1024)]), helperImage, [`LABEL ${helperLabel}=1`], {signal});
}

/** Creates a volume helper mounting `volume` at /vol, runs `use` with its id, and always removes it. */
export async function withHelper<T>(engine: EnginePort, volume: string, options: {readonly isReadOnly: boolean; readonly signal?: AbortSignal; readonly labels?: Readonly<Record<string, string>>}, use: (id: string) => Promise<T>): Promise<T> {
  await ensureHelperImage(engine, options.signal);
  return withHelperContainer(engine, {
    Image: helperImage,
    // Never started; the engine still wants a command at create time.
    Cmd: ['/hawser-helper-is-never-started'],
    Labels: options.labels,
    NetworkDisabled: true,
    HostConfig: {
      NetworkMode: 'none',
      Mounts: [{Type: 'volume', Source: volume, Target: helperMountPath, ReadOnly: options.isReadOnly}],
    },
  }, {signal: options.signal}, use);
}
