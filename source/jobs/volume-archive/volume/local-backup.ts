// The local backup of a plain (not gzip) archive: GNU tar writes the archive file itself, as fast as
// `tar -cf FILE`, while hawser follows the file as it grows (from the page cache, on other cores) with
// the same parser, per-file checksums and tree checksum of the whole as every other path. Nothing is piped
// through hawser, so no byte is copied twice; the end-of-archive blocks are then replaced by the manifest.
import {spawn} from 'node:child_process';
import type {FileHandle} from 'node:fs/promises';
import {setTimeout as sleep} from 'node:timers/promises';
import {FlushBehind} from './flush-behind.js';
import {stopTar, tarCommand, watchTar, type TarProcess} from './gnu-tar.js';
import {manifestTail, type Manifest} from '../format/manifest.js';
import {hashingParser, manifestOf, type ManifestBase} from '../format/backup-stream.js';

/** Progress while the archive is written: file bytes read so far, current entry. */
export type FollowProgress = (dataBytes: number, current: string) => void;

/**
 * Archives `dir` into `output` (opened for writing, empty) and returns the manifest appended to it.
 * Throws TarFormatError when the archive is incomplete, LocalTarError when tar failed (a file changed).
 */
export async function backupDirToFile(dir: string, output: FileHandle, reader: FileHandle, base: ManifestBase, signal: AbortSignal, onProgress?: FollowProgress): Promise<Manifest> {
  const [command, args, env] = tarCommand(dir);
  const child = spawn(command, args, {env, stdio: ['ignore', output.fd, 'pipe']});
  const tar: TarProcess = {child, done: watchTar(child, 'tar of the volume\'s directory')};
  let hasExited = false;
  const exited = tar.done.then(() => undefined, () => undefined).finally(() => {
    hasExited = true;
  });
  const {lister, parser, tree} = hashingParser();
  // 4 MiB buffers, read into directly and parsed in place (the tree checksum copies only headers).
  const buffers = [Buffer.allocUnsafeSlow(4 * 1024 * 1024), Buffer.allocUnsafeSlow(4 * 1024 * 1024)];
  const abort = () => stopTar(tar);
  signal.addEventListener('abort', abort, {once: true});
  try {
    let position = 0;
    const flush = new FlushBehind(async () => output.datasync());
    // Two buffers: the next read runs while this thread parses and hashes the last one. Whether tar had
    // ended is taken when a read is issued, so a read of nothing after it means the end.
    let turn = 0;
    const issue = () => ({wasExited: hasExited, read: reader.read(buffers[turn]!, 0, buffers[turn]!.length, position)});
    let inflight = issue();
    try {
      while (!parser.isComplete) {
        signal.throwIfAborted();
        const {bytesRead} = await inflight.read;
        if (bytesRead === 0) {
          if (inflight.wasExited) {
            break;
          }

          // tar is still writing: wait for more bytes or its end.
          await Promise.race([sleep(2), exited]);
          inflight = issue();
          continue;
        }

        const chunk = buffers[turn]!.subarray(0, bytesRead);
        position += bytesRead;
        turn = 1 - turn;
        inflight = issue();
        // The disk writes what tar wrote so far while tar goes on.
        flush.written(position);
        tree.write(chunk);
        onProgress?.(lister.dataBytes, lister.current?.name ?? '');
      }
    } finally {
      // The reader closes after this: no read may still be running on it.
      await inflight.read.catch(() => undefined);
    }

    // tar's exit status says whether a file changed under it; a complete-looking archive is not enough.
    await tar.done;
    await flush.settled();
    parser.end();
    const manifest = manifestOf(base, lister, parser, tree);
    // The manifest takes the place of the end-of-archive blocks (and tar's record padding).
    const end = parser.endOfArchiveOffset!;
    const tail = manifestTail(manifest);
    await output.truncate(end);
    await output.write(tail, 0, tail.length, end);
    return manifest;
  } catch (error) {
    stopTar(tar);
    await exited;
    throw error;
  } finally {
    signal.removeEventListener('abort', abort);
  }
}
