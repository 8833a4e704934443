// An archive file as hawser reads it: whether it can be one at all, what identifies it (so a write
// since is noticed), its uncompressed tar stream, its bytes read ahead or only where the parser needs
// them, and hawser's manifest read from its end without reading the rest.
import {createReadStream, statSync, type BigIntStats} from 'node:fs';
import {open} from 'node:fs/promises';
import {createGunzip} from 'node:zlib';
import type {Readable} from 'node:stream';
import {ManifestReader, type ManifestHeader} from './manifest-reader.js';
import {manifestName} from './manifest.js';
import {TarFormatError} from './tar-entry.js';
import type {TarParser} from './tar-parser.js';

/** What changes whenever a file is written to or replaced: device, inode, size, mtime and ctime (ns; ctime cannot be set back). */
export function fileIdentity(stats: BigIntStats): string {
  return [stats.dev, stats.ino, stats.size, stats.mtimeNs, stats.ctimeNs].join(':');
}

/** Why `file` cannot be an archive to read (missing, a folder, not a plain file), or undefined when it can. */
export function archiveFileProblem(file: string): {readonly message: string; readonly hint: string} | undefined {
  const stats = statSync(file, {throwIfNoEntry: false});
  const hint = 'Give the path of a .tar or .tar.gz file (hawser backup writes them to the backups folder).';
  if (!stats) {
    return {message: `There is no archive at ${file}.`, hint};
  }

  return stats.isFile() ? undefined : {message: `${file} is ${stats.isDirectory() ? 'a folder' : 'not a plain file'}, not an archive.`, hint};
}

/** Opens the archive's uncompressed tar stream; gzip is recognised by its magic bytes, not the name. */
export async function openTarStream(file: string): Promise<{stream: Readable; isGzip: boolean; fileSize: number}> {
  const handle = await open(file, 'r');
  let isGzip = false;
  let fileSize = 0;
  try {
    const magic = Buffer.alloc(2);
    await handle.read(magic, 0, 2, 0);
    isGzip = magic[0] === 0x1f && magic[1] === 0x8b;
    fileSize = (await handle.stat()).size;
  } finally {
    await handle.close();
  }

  const raw = createReadStream(file, {highWaterMark: 1024 * 1024});
  if (!isGzip) {
    return {stream: raw, isGzip, fileSize};
  }

  const gunzip = createGunzip({chunkSize: 256 * 1024});
  raw.on('error', error => gunzip.destroy(error));
  return {stream: raw.pipe(gunzip), isGzip, fileSize};
}

/**
 * The plain archive's bytes, read into two reused buffers: the next read runs (on libuv's threads)
 * while the caller works on the chunk it was given, which stays valid until it asks for the one after.
 */
export async function * readPlain(file: string, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const handle = await open(file, 'r');
  const buffers = [Buffer.allocUnsafeSlow(4 * 1024 * 1024), Buffer.allocUnsafeSlow(4 * 1024 * 1024)];
  let turn = 0;
  let next = handle.read(buffers[turn]!, 0, buffers[turn]!.length, null);
  try {
    while (true) {
      if (signal?.aborted) {
        throw new TarFormatError('Cancelled.');
      }

      const {bytesRead, buffer} = await next;
      if (bytesRead === 0) {
        return;
      }

      turn = 1 - turn;
      next = handle.read(buffers[turn]!, 0, buffers[turn]!.length, null);
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await next.catch(() => undefined);
    await handle.close();
  }
}

/**
 * A plain archive's headers (and the manifest's data), with every other file's data passed over by
 * a seek: reads only where `parser` is. For 1 GiB in 200 files that is some 300 reads of 64 KiB.
 */
export async function * readHeaders(file: string, parser: TarParser, isDataNeeded: () => boolean, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const handle = await open(file, 'r');
  const buffer = Buffer.allocUnsafeSlow(64 * 1024);
  try {
    while (true) {
      if (signal?.aborted) {
        throw new TarFormatError('Cancelled.');
      }

      if (!isDataNeeded()) {
        parser.skipData(parser.skippableData);
      }

      const {bytesRead} = await handle.read(buffer, 0, buffer.length, parser.offset);
      if (bytesRead === 0) {
        return;
      }

      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/**
 * hawser's manifest (all but its entries, which are read through and let go), read from the end of a
 * plain archive without reading the rest: the last entry before the two end-of-archive blocks. Undefined when the end is anything else (a foreign archive,
 * record padding, damage); the full scan then decides. Read backwards block by block: the manifest is
 * JSON, which holds no NUL byte, so every block between its header and its last (NUL-padded) block is
 * text, and the first other block ends the search: any other tar is given up on within a block or two.
 */
export async function readTailManifest(file: string): Promise<{readonly manifest: ManifestHeader; readonly offset: number} | undefined> {
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    if (size % 512 !== 0 || size < 3 * 512) {
      return undefined;
    }

    // The end-of-archive blocks, and before them the manifest's last block: text, then NUL padding.
    const end = Buffer.alloc(1536);
    await handle.read(end, 0, end.length, size - end.length);
    const last = end.subarray(0, 512);
    const padding = last.indexOf(0);
    if (end.subarray(512).some(byte => byte !== 0) || padding === 0 || (padding !== -1 && last.subarray(padding).some(byte => byte !== 0))) {
      return undefined;
    }

    const name = Buffer.from(`${manifestName}\0`, 'latin1');
    const chunk = Buffer.alloc(1024 * 1024);
    let chunkStart = size - 1024;
    for (let at = size - 1536; at >= 0 && size - at <= maxManifestBytes; at -= 512) {
      if (at < chunkStart) {
        chunkStart = Math.max(0, at + 512 - chunk.length);
        await handle.read(chunk, 0, at + 512 - chunkStart, chunkStart);
      }

      const header = chunk.subarray(at - chunkStart, at - chunkStart + 512);
      if (header.compare(name, 0, name.length, 0, name.length) === 0) {
        const bodySize = Number.parseInt(header.toString('latin1', 124, 136).replace(/\0.*$/s, '').trim() || 'x', 8);
        const bodyStart = at + 512;
        if (!Number.isSafeInteger(bodySize) || String.fromCharCode(header[156]!) !== '0' || bodyStart + Math.ceil(bodySize / 512) * 512 + 1024 !== size) {
          return undefined;
        }

        // Read through, its entries passed over: only the other members are kept (see manifest-reader.ts).
        const reader = new ManifestReader();
        for (let done = 0; done < bodySize;) {
          const {bytesRead} = await handle.read(chunk, 0, Math.min(chunk.length, bodySize - done), bodyStart + done);
          if (bytesRead === 0) {
            return undefined;
          }

          reader.write(chunk.subarray(0, bytesRead));
          done += bytesRead;
        }

        const manifest = reader.end();
        return manifest ? {manifest, offset: at} : undefined;
      }

      // The manifest's last block was checked above; every block before it, up to its header, is text.
      if (at < size - 1536 && header.includes(0)) {
        return undefined;
      }
    }

    return undefined;
  } finally {
    await handle.close();
  }
}

/** The manifest of a volume with a million files is some 150 MB; a tail longer than this is not one of hawser's. */
export const maxManifestBytes = 256 * 1024 * 1024;
