// Helper containers: short-lived containers hawser makes for one action (a forwarding check or fix, an
// image probe, a way into a volume for the archive API). Each carries hawser's helper label and names
// this process as its owner, so `hawser recover` can remove it when hawser dies first; and the action
// that made it always removes it, also when it fails or is cancelled half-way.
import {randomBytes} from 'node:crypto';
import type {CreateContainerSpec, EnginePort} from '../engine/port.js';
import {helperLabel, helperOwnerLabels} from './leftover-helpers.js';

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
