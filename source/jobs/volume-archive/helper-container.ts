// The helper container that gives the archive API a way into a volume: created, never started. The
// engine mounts its rootfs and volumes itself for archive calls, so an empty image is enough and no
// pull is needed. Always labelled as hawser's and always removed.
import {randomBytes} from 'node:crypto';
import {Readable} from 'node:stream';
import type {EnginePort} from '../../engine/port.js';
import {helperOwnerLabels} from '../leftover-helpers.js';

/** Label on every helper container hawser creates. */
export const helperLabel = 'io.hawser.helper';

/** The empty image helpers are made from. */
export const helperImage = 'hawser/helper-empty:1';

/** Where the volume is mounted inside the helper. */
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

/** Creates a helper mounting `volume` at /vol, runs `use` with its id, and always removes it. */
export async function withHelper<T>(engine: EnginePort, volume: string, options: {readonly isReadOnly: boolean; readonly signal?: AbortSignal; readonly labels?: Readonly<Record<string, string>>}, use: (id: string) => Promise<T>): Promise<T> {
  await ensureHelperImage(engine, options.signal);
  const {id} = await engine.createContainer({
    name: `hawser-helper-${randomBytes(4).toString('hex')}`,
    Image: helperImage,
    // Never started; the engine still wants a command at create time.
    Cmd: ['/hawser-helper-is-never-started'],
    // The owner lets `hawser recover` remove a helper whose hawser died before this finally could run.
    Labels: {[helperLabel]: '1', ...helperOwnerLabels(), ...options.labels},
    NetworkDisabled: true,
    HostConfig: {
      NetworkMode: 'none',
      Mounts: [{Type: 'volume', Source: volume, Target: helperMountPath, ReadOnly: options.isReadOnly}],
    },
  }, {signal: options.signal});
  try {
    return await use(id);
  } finally {
    // No signal: the helper must go even when the job was cancelled.
    await engine.removeContainer(id, {force: true}).catch(() => undefined);
  }
}
