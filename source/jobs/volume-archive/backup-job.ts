// Backup of one or more volumes to archive files on the machine where hawser runs, through a helper
// container and the engine's archive API (so it works as well on a remote engine).
import {existsSync, statSync} from 'node:fs';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import prettyBytes from 'pretty-bytes';
import type {EnginePort} from '../../engine/port.js';
import type {ContainerSummary, VolumeUsage} from '../../engine/types.js';
import {InputError, JobError, throwIfAborted, type Job, type PreparedJob} from '../job.js';
import {backupOne, type BackupResult, type Planned} from './backup-one.js';
import {destinationProblem, resolveDestination} from './backup-paths.js';
import {holdConsumers, usersOf, releaseConsumers, type ConsumerPolicy} from './consumers.js';
import {runWithEvents} from './event-channel.js';
import {answerOr, askEarly, firstRunOnly, type EarlyAnswers} from './early-answers.js';
import {startLocalChecks, type ArchiveViaRequest} from './volume/local-volume.js';

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

/**
 * How long the plan waits for the volumes' sizes once everything else is known. The engine measures every
 * volume for them (GET /system/df walks each one's files), which takes minutes on a server with big volumes;
 * the backup does not wait for that: its progress gets a total when the answer comes.
 */
const sizeWaitMs = 1000;

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
