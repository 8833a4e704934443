// The helper container that gives the archive API a way into a volume: created, never started. The
// engine mounts its rootfs and volumes itself for archive calls, so an empty image is enough and no
// pull is needed. Labels, owner and the always-remove come from ../helper-containers.ts.
import {Readable} from 'node:stream';
import type {EnginePort} from '../../engine/port.js';
import {withHelperContainer} from '../helper-containers.js';
import {helperLabel} from '../leftover-helpers.js';

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
