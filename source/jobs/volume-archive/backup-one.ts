// One volume's backup, once the job holds what uses it: a helper holds the volume, its bytes come from its
// directory (the local path) or the engine's archive API, pass the manifest's pipeline into a temporary file
// beside the destination, and only a complete archive, flushed to disk, is renamed into place.
import {randomBytes} from 'node:crypto';
import {statSync} from 'node:fs';
import {mkdir, open, rename, rm} from 'node:fs/promises';
import path from 'node:path';
import type {Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {createGzip} from 'node:zlib';
import {clause} from '../../engine/errors.js';
import type {EnginePort} from '../../engine/port.js';
import type {ContainerSummary, EngineInfo, ImageSummary, VolumeSummary} from '../../engine/types.js';
import {JobError, type JobEvent} from '../job.js';
import {testPause} from '../journal-file.js';
import {startPartialArchive} from '../helpers/leftovers.js';
import {helperMountPath, withHelper} from '../helpers/helper-container.js';
import {throttle} from './event-channel.js';
import {withEarlyImages} from './early-answers.js';
import {BackupStream, type ManifestBase} from './format/backup-stream.js';
import {manifestFormat, manifestVersion, type Manifest} from './format/manifest.js';
import {TarFormatError} from './format/tar-entry.js';
import {DurableFileWriter} from './volume/durable-file-writer.js';
import {LocalTarError, readVolumeDir, stopTar, type TarProcess} from './volume/gnu-tar.js';
import {backupDirToFile} from './volume/local-backup.js';
import {localAccess, type ArchiveVia, type ArchiveViaRequest} from './volume/local-volume.js';

/** One archive written by a backup. */
export type BackupResult = {readonly volume: string; readonly file: string; readonly entryCount: number; readonly totalBytes: number; readonly archiveBytes: number; readonly contentSha256: string; readonly via: ArchiveVia};

/** The volume's size as the engine measured it; -1 while unknown (set later when the engine answers late). */
export type Expected = {bytes: number};

export type Planned = {readonly volume: VolumeSummary; readonly destination: string; readonly expected: Expected; readonly consumers: readonly ContainerSummary[]};

/** The progress total: the expected size when known, never below what was already read. */
export function totalOf(plan: Planned, done: number): {total?: number} {
  return plan.expected.bytes > 0 ? {total: Math.max(plan.expected.bytes, done)} : {};
}

/** One volume's backup into `plan.destination`. */
export async function backupOne(engine: EnginePort, info: EngineInfo, plan: Planned, request: {readonly isGzip: boolean; readonly via?: ArchiveViaRequest}, signal: AbortSignal, push: (event: JobEvent) => void, images?: Promise<ImageSummary[] | undefined>): Promise<BackupResult> {
  const {isGzip} = request;
  const directory = path.dirname(plan.destination);
  await mkdir(directory, {recursive: true, mode: 0o700});
  // Beside the destination, so the final rename stays on one filesystem and is atomic.
  const temporary = path.join(directory, `.${path.basename(plan.destination)}.partial-${randomBytes(4).toString('hex')}`);
  const base: Omit<Manifest, 'entryCount' | 'totalBytes' | 'contentSha256' | 'entries'> = {
    format: manifestFormat,
    version: manifestVersion,
    volume: {name: plan.volume.name, driver: plan.volume.driver, labels: plan.volume.labels},
    createdAt: new Date().toISOString(),
    engine: {version: info.version, apiVersion: info.apiVersion, os: info.os, name: info.name},
  };
  let isRenamed = false;
  // Written before the file exists: a hawser killed while writing it leaves a record `recover` removes it by.
  const record = recordPartialArchive(engine.address, temporary, push);
  try {
    return await withHelper(withEarlyImages(engine, images), plan.volume.name, {isReadOnly: true, signal}, async helper => {
      const access = await localAccess(engine, plan.volume, helper, request.via, signal, info);
      // The complete archive takes the destination's name, and the name is flushed to disk too.
      const finish = async (manifest: Manifest, archiveBytes: number): Promise<BackupResult> => {
        await rename(temporary, plan.destination);
        isRenamed = true;
        await syncDirectory(directory);
        return {volume: plan.volume.name, file: plan.destination, entryCount: manifest.entryCount, totalBytes: manifest.totalBytes, archiveBytes, contentSha256: manifest.contentSha256, via: access.via};
      };

      if (access.via === 'local' && !isGzip) {
        push({type: 'log', line: `Archiving ${access.dir} directly (the engine is local)`});
        const manifest = await backupLocally(access.dir, temporary, base, plan, signal, push);
        return finish(manifest, statSync(temporary).size);
      }

      let source: NodeJS.ReadableStream;
      let tar: TarProcess | undefined;
      if (access.via === 'local') {
        push({type: 'log', line: `Reading ${access.dir} directly (the engine is local)`});
        const local = readVolumeDir(access.dir);
        source = local.stream;
        tar = local.tar;
      } else {
        push({type: 'log', line: `Reading through the engine's archive API: ${access.reason}`});
        source = await engine.getArchive(helper, `${helperMountPath}/.`, {signal});
      }

      const reader = new BackupStream(base);
      const shouldReport = throttle(100);
      reader.on('data', () => {
        if (shouldReport()) {
          push({type: 'progress', done: reader.lister.dataBytes, ...totalOf(plan, reader.lister.dataBytes), unit: 'bytes', current: reader.lister.current?.name ?? ''});
        }
      });
      // The archive's bytes, flushed to disk once the pipeline has finished.
      let archiveBytes = 0;
      try {
        // 0600: a volume often holds secrets.
        const output = new DurableFileWriter(temporary, 0o600);
        // For fault tests: the temporary archive exists, nothing is renamed yet.
        await testPause('backup-writing', signal);
        const stages = isGzip ? [source, reader, createGzip({level: 1, chunkSize: 256 * 1024}), output] as const : [source, reader, output] as const;
        await pipeline(stages as unknown as [NodeJS.ReadableStream, NodeJS.WritableStream], {signal});
        archiveBytes = output.bytesWritten;
        // A complete-looking stream is not enough: tar's exit status says whether a file changed under it.
        await tar?.done;
      } catch (error) {
        // Ended already when the pipeline ran; not when the archive file could not even be created.
        (source as Readable).destroy();
        if (tar) {
          stopTar(tar);
          const tarError = await tar.done.then(() => undefined, (failure: unknown) => failure);
          throw backupFailure(tarError instanceof LocalTarError && tarError.isChanged ? tarError : error, plan.volume.name, signal);
        }

        throw backupFailure(error, plan.volume.name, signal);
      }

      const manifest = reader.manifest!;
      push({type: 'progress', done: manifest.totalBytes, total: manifest.totalBytes, unit: 'bytes', current: ''});
      return finish(manifest, archiveBytes);
    });
  } finally {
    if (!isRenamed) {
      await rm(temporary, {force: true});
    }

    record.close();
  }
}

/** startPartialArchive, or nothing (with a word) where the state folder cannot be written: the backup itself does not need it. */
function recordPartialArchive(engine: string, file: string, push: (event: JobEvent) => void): {close: () => void} {
  try {
    return startPartialArchive(engine, file);
  } catch (error) {
    push({type: 'log', line: `Could not note the temporary archive in hawser's state folder (${(error as Error).message}): if hawser is killed now, remove ${file} yourself`});
    return {close: () => undefined};
  }
}

/** The local plain-tar backup: tar writes the temporary file, hawser follows it, then it is flushed. */
async function backupLocally(dir: string, temporary: string, base: ManifestBase, plan: Planned, signal: AbortSignal, push: (event: JobEvent) => void): Promise<Manifest> {
  const shouldReport = throttle(100);
  // 0600: a volume often holds secrets.
  const output = await open(temporary, 'wx', 0o600);
  try {
    const reader = await open(temporary, 'r');
    let manifest: Manifest;
    try {
      manifest = await backupDirToFile(dir, output, reader, base, signal, (done, current) => {
        if (shouldReport()) {
          push({type: 'progress', done, ...totalOf(plan, done), unit: 'bytes', current});
        }
      });
    } catch (error) {
      throw backupFailure(error, plan.volume.name, signal);
    } finally {
      await reader.close();
    }

    push({type: 'progress', done: manifest.totalBytes, total: manifest.totalBytes, unit: 'bytes', current: ''});
    await output.sync();
    return manifest;
  } finally {
    await output.close();
  }
}

async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on a directory; the file itself is already on disk.
  } finally {
    await handle.close();
  }
}

/** Turns a failed stream into a message a person can act on. */
function backupFailure(error: unknown, volume: string, signal: AbortSignal): Error {
  if (signal.aborted) {
    return new JobError('Cancelled.', 'No archive was written; the partial file was removed.');
  }

  if (error instanceof LocalTarError && error.isChanged) {
    return new JobError(`Volume ${volume} changed while it was read (${error.message}). No archive was kept.`, 'Something wrote to the volume during the backup: run it again with --stop or --pause.');
  }

  if (error instanceof TarFormatError) {
    return new JobError(`The engine sent an incomplete archive of volume ${volume}: ${clause(error.message)}. No archive was kept.`, 'The volume was probably written to during the backup: run it again with --stop or --pause.');
  }

  if (error instanceof JobError) {
    return error;
  }

  const code = (error as NodeJS.ErrnoException).code;
  // tar says a full disk in words, not with a code: the archive API would fill the same disk.
  if (code === 'ENOSPC' || (error instanceof Error && /no space left on device/i.test(error.message))) {
    return new JobError(`The disk is full while writing the archive of ${volume}. No archive was kept.`, 'Free some space (df -h) or choose another destination with -o.');
  }

  if (error instanceof LocalTarError) {
    return new JobError(`Reading volume ${volume} failed: ${clause(error.message)}. No archive was kept.`, 'Try again, or force the archive API with HAWSER_ARCHIVE_VIA=api.');
  }

  // An engine that stops mid-stream cuts the response: Node reports only "aborted" (ECONNRESET).
  if (code === 'ECONNRESET' || code === 'EPIPE' || (error instanceof Error && error.message === 'aborted')) {
    return new JobError(`The connection to the engine broke while volume ${volume} was read (did the engine stop?). No archive was kept.`, 'Check that the engine runs (docker info), then back up again; the volume itself was only read.');
  }

  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
    const where = (error as NodeJS.ErrnoException).path;
    return new JobError(`Cannot write the archive of ${volume}${where ? ` to ${path.dirname(where)}` : ''}: the destination is not writable (${code === 'EROFS' ? 'a read-only file system' : 'permission denied'}). No archive was kept.`, 'Choose a writable folder with -o (or set HAWSER_BACKUP_DIR).');
  }

  return new JobError(`The backup of volume ${volume} failed: ${clause(error instanceof Error ? error.message : String(error))}. No archive was kept.`, 'Try again; if it keeps failing, check the engine\'s log.');
}
