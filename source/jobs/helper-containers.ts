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
  let id: string | undefined;
  try {
    options.signal?.throwIfAborted();
    id = (await engine.createContainer(create)).id;
    options.signal?.throwIfAborted();
    return await use(id);
  } finally {
    await engine.removeContainer(id ?? name, {force: true}).catch(() => undefined);
  }
}
