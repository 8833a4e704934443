// Helper containers (and probe volumes) a hawser process could not remove because it was killed or
// lost its engine half-way. Each helper names its owner (host and pid) in a label; once that process
// is gone, what it left is garbage: `hawser recover` lists and removes it, with the half-restored
// volume a restore into a new volume was filling.
import {randomBytes} from 'node:crypto';
import {rmSync, statSync} from 'node:fs';
import {hostname} from 'node:os';
import type {EnginePort} from '../../engine/port.js';
import type {ContainerSummary, VolumeSummary} from '../../engine/types.js';
import prettyBytes from 'pretty-bytes';
import {EngineError} from '../../engine/errors.js';
import type {ActionForm} from '../action-form.js';
import type {Job, PreparedJob} from '../job.js';
import {deleteJournal, isOwnerAlive, journalOwner, readJournalFiles, writeJournalFile, type JournalBase} from '../journal-file.js';

/** The label every hawser helper container and probe volume carries, so users, tests and `hawser recover` find strays. */
export const helperLabel = 'io.hawser.helper';

/** `host:pid` of the hawser process that made a helper. */
export const helperOwnerLabel = 'io.hawser.helper.owner';

/** On a restore's helper: the volume that restore created and is filling, removed if the restore never finished. */
export const partialVolumeLabel = 'io.hawser.helper.partial-volume';

/** On a staging volume of `restore --replace`: the volume it is about to replace. Garbage once its owner is gone, unless a journal still needs it. */
export const replaceOfLabel = 'io.hawser.replace-of';

/** The owner label for helpers made by this process. */
export function helperOwnerLabels(): Record<string, string> {
  return {[helperOwnerLabel]: `${hostname()}:${process.pid}`};
}

function isOwnerGone(owner: string | undefined): boolean {
  const [host, pidText] = (owner ?? '').split(':');
  const pid = Number(pidText);
  if (!owner || host !== hostname() || !Number.isInteger(pid) || pid <= 0) {
    // Unknown owner, or another machine's hawser: not ours to judge.
    return false;
  }

  if (pid === process.pid) {
    return false;
  }

  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'EPERM';
  }
}

/** The journal of a restore into a new volume, from before the volume is made until the restore ends. */
type PartialRestoreJournal = JournalBase & {readonly volume: string};

/**
 * Records that a restore is about to make and fill `volume`; `close()` once it is complete (or
 * removed again). Only a volume with such a record from a dead hawser counts as partly restored.
 */
export function startPartialRestore(engine: string, volume: string): {close: () => void} {
  const id = `restore-new-${volume}-${randomBytes(3).toString('hex')}`;
  writeJournalFile({version: 1, kind: 'restore-new', id, engine, volume, ...journalOwner()} as PartialRestoreJournal);
  return {close: () => deleteJournal(id)};
}

/** Volumes that a restore of a dead hawser was filling when it stopped, with their journals. */
function partialRestores(): Map<string, string[]> {
  const byVolume = new Map<string, string[]>();
  for (const journal of readJournalFiles<PartialRestoreJournal>('restore-new', value => typeof value.volume === 'string')) {
    if (!isOwnerAlive(journal)) {
      byVolume.set(journal.volume, [...byVolume.get(journal.volume) ?? [], journal.id]);
    }
  }

  return byVolume;
}

/** The journal of a backup's archive while it is written under its temporary name (`.NAME.partial-…`). */
type PartialArchiveJournal = JournalBase & {readonly file: string};

/**
 * Records that a backup is about to write `file` (its temporary name); `close()` once it was renamed
 * into place or removed. A record from a dead hawser (SIGKILL, power cut) names a file nobody else made.
 */
export function startPartialArchive(engine: string, file: string): {close: () => void} {
  const id = `backup-partial-${randomBytes(4).toString('hex')}`;
  writeJournalFile({version: 1, kind: 'backup-partial', id, engine, file, ...journalOwner()} as PartialArchiveJournal);
  return {close: () => deleteJournal(id)};
}

/** The temporary archives of backups whose hawser died, that are still there, with their journals and sizes. */
function partialArchives(): Array<{readonly file: string; readonly id: string; readonly bytes: number}> {
  return readJournalFiles<PartialArchiveJournal>('backup-partial', value => typeof value.file === 'string' && /\.partial-[0-9a-f]{8}$/.test(value.file))
    .filter(journal => !isOwnerAlive(journal))
    .map(journal => {
      const stats = statSync(journal.file, {throwIfNoEntry: false});
      return {file: journal.file, id: journal.id, bytes: stats?.isFile() ? stats.size : -1};
    });
}

/** What a dead hawser left: helper containers, the partial volumes they were filling, probe volumes, half-written archives. */
export type Leftovers = {
  readonly containers: readonly {readonly id: string; readonly name: string; readonly partialVolume?: string}[];
  readonly volumes: readonly string[];
  /** Temporary archive files of backups that never finished (`.NAME.partial-…` beside the destination). */
  readonly files?: readonly {readonly file: string; readonly bytes: number}[];
};

/** Finds what hawser processes that died on this machine left on the engine. */
export async function findLeftovers(engine: EnginePort, options: {readonly signal?: AbortSignal} = {}): Promise<Leftovers> {
  const [containers, volumes] = await Promise.all([engine.listContainers(options), engine.listVolumes(options)]);
  return leftoversIn(containers, volumes);
}

/** What dead hawser processes left among these containers and volumes (the TUI passes the lists it already has). */
export function leftoversIn(containers: readonly ContainerSummary[], volumes: readonly VolumeSummary[]): Leftovers {
  // A staging volume named in an unfinished replace's journal holds the new contents that recover needs.
  const needed = new Set(readJournalFiles<JournalBase & {readonly staging: string}>('volume-replace', journal => typeof journal.staging === 'string').map(journal => journal.staging));
  // A helper's partial-volume label alone proves nothing: a restore that finished while its engine was
  // away leaves its helper labelled, over a complete volume the user may have written to since.
  const partial = partialRestores();
  return {
    containers: containers
      .filter(c => c.labels[helperLabel] && isOwnerGone(c.labels[helperOwnerLabel]))
      .map(c => {
        const volume = c.labels[partialVolumeLabel];
        return {id: c.id, name: c.name, ...(volume && partial.has(volume) ? {partialVolume: volume} : {})};
      }),
    volumes: volumes.filter(v => (v.labels[helperLabel] || (v.labels[replaceOfLabel] && !needed.has(v.name))) && isOwnerGone(v.labels[helperOwnerLabel])).map(v => v.name),
    files: partialArchives().map(({file, bytes}) => ({file, bytes})),
  };
}

/** True when there is nothing to clean. */
export function isEmptyLeftovers(leftovers: Leftovers): boolean {
  return leftovers.containers.length === 0 && leftovers.volumes.length === 0 && (leftovers.files ?? []).length === 0;
}

/** Removes leftovers: the helpers, then the partial volumes no other container uses, then probe volumes. */
export function removeLeftoversJob(leftovers: Leftovers): Job {
  return async function * (engine) {
    let removed = 0;
    for (const helper of leftovers.containers) {
      yield {type: 'step', title: `Removing helper ${helper.name}`};
      await engine.removeContainer(helper.id, {force: true}).catch((error: unknown) => {
        if (!(error instanceof EngineError && error.statusCode === 404)) {
          throw error;
        }
      });
      removed++;
    }

    const partial = leftovers.containers.flatMap(c => c.partialVolume ? [c.partialVolume] : []);
    const inUse = new Set((await engine.listContainers()).flatMap(c => c.mounts.filter(m => m.type === 'volume').map(m => m.name)));
    for (const volume of [...partial, ...leftovers.volumes]) {
      if (inUse.has(volume)) {
        yield {type: 'warning', message: `Volume ${volume} is in use by a container now: left alone.`};
        continue;
      }

      yield {type: 'step', title: partial.includes(volume) ? `Removing volume ${volume}, which an interrupted restore had only partly filled` : `Removing volume ${volume}, left by an interrupted hawser run`};
      await engine.removeVolume(volume).catch((error: unknown) => {
        if (!(error instanceof EngineError && error.statusCode === 404)) {
          throw error;
        }
      });
      for (const id of partialRestores().get(volume) ?? []) {
        deleteJournal(id);
      }

      removed++;
    }

    // A half-written archive is removed only while it is the file its journal names (a regular file, the
    // temporary name hawser made: nobody else makes `.NAME.partial-` and 8 hex digits); then the journal goes.
    const files = (leftovers.files ?? []).map(({file}) => file);
    for (const {file, id} of partialArchives().filter(archive => files.includes(archive.file))) {
      if (statSync(file, {throwIfNoEntry: false})?.isFile()) {
        yield {type: 'step', title: `Removing ${file}, the unfinished archive of an interrupted backup`};
        rmSync(file, {force: true});
        removed++;
      }

      deleteJournal(id);
    }

    yield {type: 'done', summary: `Removed ${removed} leftover${removed === 1 ? '' : 's'} of interrupted hawser runs.`, data: {containers: leftovers.containers.map(c => c.name), volumes: [...partial, ...leftovers.volumes], files}};
  };
}

/** The preview and job removing leftovers. */
export function prepareRemoveLeftovers(leftovers: Leftovers): PreparedJob {
  const partial = leftovers.containers.flatMap(c => c.partialVolume ? [c.partialVolume] : []);
  return {
    preview: {
      title: 'Remove what interrupted hawser runs left behind',
      steps: [
        ...leftovers.containers.map(c => `Remove helper container ${c.name}`),
        ...partial.map(v => `Remove volume ${v}: a restore into it as a new volume never finished`),
        ...leftovers.volumes.map(v => `Remove volume ${v}, left by an interrupted hawser run (a probe or a staging volume)`),
        ...(leftovers.files ?? []).filter(f => f.bytes >= 0).map(f => `Remove ${f.file} (${prettyBytes(f.bytes)}), the unfinished archive of a backup that was interrupted`),
      ],
      warnings: [],
      isDestructive: partial.length > 0,
    },
    job: removeLeftoversJob(leftovers),
  };
}

/** "Clean up after interrupted runs", for the TUI to offer at start when `findLeftovers` finds any. */
export function removeLeftoversForm(leftovers: Leftovers): ActionForm {
  return {title: 'Clean up after interrupted hawser runs', fields: [], prepare: async () => prepareRemoveLeftovers(leftovers)};
}
