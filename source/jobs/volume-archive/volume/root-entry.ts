// The volume root's owner, mode and mtime, sent through the archive API. The engine skips an
// archive's "." entry, so the volume's root would keep the engine's defaults (root:root 0755), which
// breaks images that own their data directory (postgres: 999, 0700). Sent as the entry `vol/` to the
// helper's `/`, it applies to the mount point, which is the volume's root.
import type {Readable} from 'node:stream';
import {pack} from 'tar-stream';
import type {EnginePort} from '../../../engine/port.js';
import {helperMountPath} from '../../helpers/helper-container.js';
import type {ListedEntry} from '../format/manifest.js';

/** The attributes of a volume's root that a restore gives it: owner, mode and mtime. */
export type RootAttributes = Pick<ListedEntry, 'mode' | 'uid' | 'gid' | 'mtime'>;

/** The root's attributes as a one-entry archive for the helper's `/`. */
export function rootEntryArchive(root: RootAttributes): Readable {
  const archive = pack();
  archive.entry({name: `${helperMountPath.slice(1)}/`, type: 'directory', mode: root.mode, uid: root.uid, gid: root.gid, mtime: new Date(Math.floor(root.mtime) * 1000)});
  archive.finalize();
  return archive as unknown as Readable;
}

/** Gives the volume mounted in `helper` the root attributes `root`. */
export async function putRootEntry(engine: EnginePort, helper: string, root: RootAttributes, signal?: AbortSignal): Promise<void> {
  await engine.putArchive(helper, '/', rootEntryArchive(root), {signal});
}
