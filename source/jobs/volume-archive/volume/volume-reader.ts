// Reading what a volume holds through a helper and the archive API: is it empty, and its full
// listing with file checksums (to compare a restore with its archive).
import type {Readable} from 'node:stream';
import type {EnginePort} from '../../../engine/port.js';
import {EntryLister, toListed} from '../format/entry-lister.js';
import {helperMountPath} from '../../helpers/helper-container.js';
import type {ListedEntry} from '../format/manifest.js';
import {TarParser} from '../format/tar-parser.js';

/** True when the volume holds nothing but its root directory. */
export async function isHelperVolumeEmpty(engine: EnginePort, helper: string, signal?: AbortSignal): Promise<boolean> {
  const stream = await engine.getArchive(helper, `${helperMountPath}/.`, {signal});
  let count = 0;
  const parser = new TarParser({onEntry: () => count++});
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parser.write(chunk);
      if (count > 1) {
        return false;
      }
    }

    return count <= 1;
  } finally {
    stream.destroy();
  }
}

/** Reads a tar stream to its end and lists it with a sha256 per file. */
export async function listTarStream(stream: Readable, onBytes?: (done: number, current: string) => void, isHashing = true): Promise<ListedEntry[]> {
  const lister = new EntryLister(isHashing);
  const parser = new TarParser(lister.handlers);
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    parser.write(chunk);
    onBytes?.(lister.dataBytes, lister.current?.name ?? '');
  }

  parser.end();
  return lister.entries.map(entry => toListed(entry));
}

/** The volume's listing as the helper sees it. */
export async function readHelperVolume(engine: EnginePort, helper: string, signal?: AbortSignal, onBytes?: (done: number, current: string) => void, isHashing = true): Promise<ListedEntry[]> {
  return listTarStream(await engine.getArchive(helper, `${helperMountPath}/.`, {signal}), onBytes, isHashing);
}
