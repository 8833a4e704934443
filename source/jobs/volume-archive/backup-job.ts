// Backup of one or more volumes to archive files on the machine where hawser runs, through a helper
// container and the engine's archive API (so it works as well on a remote engine).
import {randomBytes} from 'node:crypto';
import {existsSync, statSync} from 'node:fs';
import {mkdir, open, rename, rm} from 'node:fs/promises';
import path from 'node:path';
import type {Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {setTimeout as sleep} from 'node:timers/promises';
import {createGzip} from 'node:zlib';
import prettyBytes from 'pretty-bytes';
import {clause} from '../../engine/errors.js';
import type {EnginePort} from '../../engine/port.js';
import type {ContainerSummary, EngineInfo, ImageSummary, VolumeSummary, VolumeUsage} from '../../engine/types.js';
import {InputError, JobError, throwIfAborted, type Job, type JobEvent, type PreparedJob} from '../job.js';
import {testPause} from '../journal-file.js';
import {startPartialArchive} from '../helpers/leftovers.js';
import {BackupStream, type ManifestBase} from './backup-stream.js';
import {DurableFileWriter} from './durable-file-writer.js';
import {backupDirToFile} from './local-backup.js';
import {destinationProblem, resolveDestination} from './backup-paths.js';
import {holdConsumers, usersOf, releaseConsumers, type ConsumerPolicy} from './consumers.js';
import {runWithEvents, throttle} from './event-channel.js';
import {helperMountPath, withHelper} from '../helpers/helper-container.js';
import {answerOr, askEarly, firstRunOnly, withEarlyImages, type EarlyAnswers} from './early-answers.js';
import {localAccess, LocalTarError, startLocalChecks, readVolumeDir, stopTar, type ArchiveVia, type TarProcess, type ArchiveViaRequest} from './local-volume.js';
import {manifestFormat, manifestVersion, type Manifest} from './manifest.js';
import {TarFormatError} from './tar-parser.js';

/** What to back up and how. */
export type BackupRequest = {
  readonly volumes: readonly string[];
  /** A file (one volume only) or a folder; default: the backups folder. */
  readonly output?: string;
  readonly isGzip: boolean;
  readonly policy: ConsumerPolicy;
  /** `api` forces the engine's archive API even where the volume's directory could be read directly. */
  readonly via?: ArchiveViaRequest;
};

/** One archive written by a backup. */
export type BackupResult = {readonly volume: string; readonly file: string; readonly entryCount: number; readonly totalBytes: number; readonly archiveBytes: number; readonly contentSha256: string; readonly via: ArchiveVia};

/** The volume's size as the engine measured it; -1 while unknown (set later when the engine answers late). */
type Expected = {bytes: number};

type Planned = {readonly volume: VolumeSummary; readonly destination: string; readonly expected: Expected; readonly consumers: readonly ContainerSummary[]};

/**
 * How long the plan waits for the volumes' sizes once everything else is known. The engine measures every
 * volume for them (GET /system/df walks each one's files), which takes minutes on a server with big volumes;
 * the backup does not wait for that: its progress gets a total when the answer comes.
 */
const sizeWaitMs = 1000;

/** The progress total: the expected size when known, never below what was already read. */
function totalOf(plan: Planned, done: number): {total?: number} {
  return plan.expected.bytes > 0 ? {total: Math.max(plan.expected.bytes, done)} : {};
}

/** Checks the request and plans the backup; throws InputError (nothing changed) on bad input. */
export async function prepareBackup(engine: EnginePort, request: BackupRequest, options: {readonly sizeWaitMs?: number} = {}): Promise<PreparedJob> {
  if (request.volumes.length === 0) {
    throw new InputError('No volume to back up.', 'Name one or more volumes: hawser backup VOLUME...');
  }

  if (request.output && new Set(request.volumes).size > 1 && !request.output.endsWith('/') && !(existsSync(request.output) && statSync(request.output).isDirectory())) {
    throw new InputError(`-o ${request.output} names one file, but ${request.volumes.length} volumes were given.`, 'Give a folder (ending in /) to write one archive per volume.');
  }

  // Asked side by side: the sizes (the engine may measure every volume for them) need not hold up the
  // rest, and what the job asks first is asked now too, so that it is there when the job starts.
  const names = [...new Set(request.volumes)];
  const usageAnswer = engine.volumeUsage().catch(() => [] as VolumeUsage[]);
  const planning = Promise.all([
    Promise.all(names.map(async name => engine.inspectVolume(name).catch(() => undefined))),
    engine.listContainers(),
  ]);
  const early = askEarly(engine, {info: true, images: true});
  startLocalChecks(engine, request.via);
  const [volumes, containers] = await planning;
  const usage = await Promise.race([usageAnswer, sleep(options.sizeWaitMs ?? sizeWaitMs, undefined, {ref: false})]);
  const date = new Date();
  const planned: Planned[] = [];
  for (const [index, name] of names.entries()) {
    const volume = volumes[index];
    if (!volume) {
      throw new InputError(`There is no volume named "${name}".`, 'List the volumes with: hawser ls volumes (or docker volume ls).');
    }

    const destination = resolveDestination(name, request.output, request.isGzip, process.env, date);
    const problem = await destinationProblem(destination, request.isGzip);
    if (problem) {
      throw new InputError(problem.message, problem.hint);
    }

    const size = usage ? usage.find(u => u.name === name)?.size ?? -1 : -1;
    planned.push({volume, destination, expected: {bytes: size}, consumers: usersOf(containers, name)});
  }

  if (!usage) {
    // A late answer still gives the progress its total.
    void usageAnswer.then(late => {
      for (const p of planned) {
        p.expected.bytes = late.find(u => u.name === p.volume.name)?.size ?? -1;
      }
    });
  }

  if (new Set(planned.map(p => p.destination)).size < planned.length) {
    throw new InputError('Two archives would get the same file name.', 'Give a folder with -o DIR/.');
  }

  const running = uniqueRunning(planned);
  const sizeText = (p: Planned) => (p.expected.bytes >= 0 ? ` (${prettyBytes(p.expected.bytes)})` : usage ? '' : ' (size not known yet: the engine is still measuring its volumes)');
  // A folder still to be made is said: a mistyped path would otherwise quietly grow new folders.
  const madeText = (p: Planned) => (existsSync(path.dirname(p.destination)) ? '' : `, making the folder ${path.dirname(p.destination)}`);
  const steps = planned.map(p => `Write volume ${p.volume.name}${sizeText(p)} to ${p.destination}${request.isGzip ? ' (gzip)' : ''}${madeText(p)}`);
  const warnings: string[] = [];
  const overwritten = planned.filter(p => existsSync(p.destination));
  for (const p of overwritten) {
    warnings.push(`${p.destination} exists and will be replaced.`);
  }

  if (running.length > 0) {
    const names = running.map(c => c.name).join(', ');
    if (request.policy === 'stop') {
      steps.unshift(`Stop ${names} for the backup, start again afterwards (also on failure or cancel)`);
    } else if (request.policy === 'pause') {
      steps.unshift(`Pause ${names} for the backup, unpause afterwards (also on failure or cancel)`);
    } else {
      warnings.push(`${names} ${running.length === 1 ? 'uses' : 'use'} the volume and keep${running.length === 1 ? 's' : ''} running: writes during the backup can make it fail or inconsistent (use --stop or --pause).`);
    }
  }

  return {
    preview: {title: `Back up ${planned.length === 1 ? `volume ${planned[0]!.volume.name}` : `${planned.length} volumes`}`, steps, warnings, isDestructive: overwritten.length > 0},
    job: backupJob(planned, request, early),
  };
}

function uniqueRunning(planned: readonly Planned[]): ContainerSummary[] {
  const byId = new Map<string, ContainerSummary>();
  for (const p of planned) {
    for (const c of p.consumers) {
      if (c.state === 'running') {
        byId.set(c.id, c);
      }
    }
  }

  return [...byId.values()];
}

function backupJob(planned: readonly Planned[], request: BackupRequest, early: EarlyAnswers): Job {
  const answersFor = firstRunOnly(early);
  return async function * (engine, signal) {
    const answers = answersFor(engine);
    const results: BackupResult[] = [];
    // Held once for all volumes, so the volumes of one container are archived as one consistent set.
    const containers = uniqueRunning(planned);
    if (containers.length > 0 && request.policy !== 'leave') {
      yield {type: 'step', title: `${request.policy === 'stop' ? 'Stopping' : 'Pausing'} ${containers.map(c => c.name).join(', ')}`};
    }

    // Once for all volumes: each manifest names the engine, and the local-path check needs it too.
    const info = await answerOr(answers?.info, async () => engine.info({signal}), signal);
    let images = answers?.images;
    const held = await holdConsumers(engine, containers, request.policy, signal);
    let failure: unknown;
    try {
      for (const plan of planned) {
        throwIfAborted(signal);
        yield {type: 'step', title: `Backing up volume ${plan.volume.name} to ${plan.destination}`};
        // The early image list serves the first helper only.
        const early = images;
        images = undefined;
        yield * runWithEvents(async push => backupOne(engine, info, plan, request, signal, push, early), result => {
          results.push(result);
          return [{type: 'log', line: `${result.file}: ${result.entryCount} entries, ${prettyBytes(result.totalBytes)} of files, archive ${prettyBytes(result.archiveBytes)}`}];
        });
      }
    } catch (error) {
      failure = error;
    } finally {
      if (held.length > 0) {
        const failures = await releaseConsumers(engine, held);
        // Reported even when the backup failed: a container left stopped is worse than a failed backup.
        for (const f of failures) {
          failure ??= new JobError(`Could not bring ${f.name} back: ${f.error}`, `Start it yourself: docker start ${f.name}`);
        }
      }
    }

    if (held.length > 0 && failure === undefined) {
      yield {type: 'log', line: `${held.map(h => h.name).join(', ')} ${held[0]!.action === 'stopped' ? 'started' : 'unpaused'} again`};
    }

    if (failure !== undefined) {
      throw failure;
    }

    const summary = results.length === 1 ? `Backed up ${results[0]!.volume} to ${results[0]!.file}` : `Backed up ${results.length} volumes`;
    yield {type: 'done', summary, data: {archives: results}};
  };
}

async function backupOne(engine: EnginePort, info: EngineInfo, plan: Planned, request: BackupRequest, signal: AbortSignal, push: (event: JobEvent) => void, images?: Promise<ImageSummary[] | undefined>): Promise<BackupResult> {
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
      if (access.via === 'local' && !isGzip) {
        push({type: 'log', line: `Archiving ${access.dir} directly (the engine is local)`});
        const manifest = await backupLocally(access.dir, temporary, base, plan, signal, push);
        const archiveBytes = statSync(temporary).size;
        await rename(temporary, plan.destination);
        isRenamed = true;
        await syncDirectory(directory);
        return {volume: plan.volume.name, file: plan.destination, entryCount: manifest.entryCount, totalBytes: manifest.totalBytes, archiveBytes, contentSha256: manifest.contentSha256, via: access.via};
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
      await rename(temporary, plan.destination);
      isRenamed = true;
      await syncDirectory(directory);
      return {volume: plan.volume.name, file: plan.destination, entryCount: manifest.entryCount, totalBytes: manifest.totalBytes, archiveBytes, contentSha256: manifest.contentSha256, via: access.via};
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
