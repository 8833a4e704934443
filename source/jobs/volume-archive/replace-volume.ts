// `restore --replace` without a moment where the volume holds neither its old contents nor the whole
// archive. The archive is first restored into a staging volume beside the target and checked there;
// only then are the contents swapped. On a local engine the swap is two renames of `_data`
// directories on one filesystem (the old contents kept aside until the new ones are in place); through
// the archive API (a remote engine) the target is emptied and filled from the staging volume, which
// holds the complete new contents until the copy is checked. A journal records each step, so when
// hawser or its engine dies half-way, `hawser recover` finishes the swap or rolls it back.
import {randomBytes} from 'node:crypto';
import {existsSync, lstatSync} from 'node:fs';
import {mkdir, rename, rm} from 'node:fs/promises';
import path from 'node:path';
import type {EnginePort} from '../../engine/port.js';
import {EngineError} from '../../engine/errors.js';
import type {VolumeSummary} from '../../engine/types.js';
import {InputError, JobError, type JobEvent, type PreparedJob} from '../job.js';
import {deleteJournal, journalOwner, readJournalFiles, testPause, updateJournalFile, writeJournalFile, type JournalBase} from '../journal-file.js';
import {compareListings, describeDifferences} from './format/compare.js';
import {consumersOf} from './consumers.js';
import {helperMountPath, withHelper} from '../helpers/helper-container.js';
import type {ListedEntry} from './format/manifest.js';
import {putRootEntry} from './volume/root-entry.js';
import {readHelperVolume} from './volume/volume-reader.js';

/**
 * Where a replace had got to. Local: staged → moved-old → swapped. Archive API: staged → emptying
 * (written before the target is removed) → emptied → copied.
 */
export type ReplaceStep = 'staged' | 'moved-old' | 'swapped' | 'emptying' | 'emptied' | 'copied';

/** What an unfinished replace leaves for `hawser recover`. */
export type VolumeReplaceJournal = JournalBase & {
  readonly kind: 'volume-replace';
  /** The volume being replaced. */
  readonly volume: string;
  /** The staging volume holding the complete, checked new contents. */
  readonly staging: string;
  /** The archive the new contents came from (for messages). */
  readonly file: string;
  readonly via: 'local' | 'api';
  /** Local swap: the target's and the staging volume's `_data`, and where the old contents wait. */
  readonly targetDir?: string;
  readonly stagingDir?: string;
  readonly asideDir?: string;
  /** Archive API: the target's labels (it is created again) and the root's attributes. */
  readonly labels: Readonly<Record<string, string>>;
  readonly root?: Pick<ListedEntry, 'mode' | 'uid' | 'gid' | 'mtime'>;
  readonly step: ReplaceStep;
};

/** A staging volume's name: the target's, shortened to keep within the engine's 255 characters, and a suffix. */
export function stagingVolumeName(volume: string): string {
  return `${volume.slice(0, 200)}.hawser-replace-${randomBytes(4).toString('hex')}`;
}

/** The journal of a replace whose new contents are complete and checked in `staging`. */
export async function startReplaceJournal(engine: EnginePort, target: VolumeSummary, staging: string, file: string, stagedLocally: boolean, root: ListedEntry | undefined): Promise<VolumeReplaceJournal> {
  const stagingVolume = await engine.inspectVolume(staging);
  const rootOf = (dir: string) => path.dirname(path.dirname(dir));
  // The swap renames directories: both must be plain local volumes under one volumes folder, here.
  const isLocal = stagedLocally && target.driver === 'local' && Object.keys(target.options ?? {}).length === 0
    && Boolean(target.mountpoint) && rootOf(target.mountpoint) === rootOf(stagingVolume.mountpoint)
    && isDirectory(target.mountpoint) && isDirectory(stagingVolume.mountpoint);
  const suffix = randomBytes(4).toString('hex');
  const journal: VolumeReplaceJournal = {
    version: 1,
    kind: 'volume-replace',
    id: `volume-replace-${target.name.slice(0, 100)}-${suffix}`,
    engine: engine.address,
    ...journalOwner(),
    volume: target.name,
    staging,
    file,
    via: isLocal ? 'local' : 'api',
    ...(isLocal ? {targetDir: target.mountpoint, stagingDir: stagingVolume.mountpoint, asideDir: `${target.mountpoint}.hawser-old-${suffix}`} : {}),
    labels: target.labels,
    ...(root ? {root: {mode: root.mode, uid: root.uid, gid: root.gid, mtime: root.mtime}} : {}),
    step: 'staged',
  };
  try {
    writeJournalFile(journal);
  } catch (error) {
    throw new JobError(`Cannot write the journal of the replace: ${error instanceof Error ? error.message : String(error)}`, `Volume ${target.name} was left as it was; the new contents are in volume ${staging}. Make the state folder writable (or set HAWSER_STATE_DIR), or remove ${staging}.`);
  }

  return journal;
}

function isDirectory(dir: string): boolean {
  try {
    return lstatSync(dir).isDirectory();
  } catch {
    return false;
  }
}

async function step(journal: VolumeReplaceJournal, next: ReplaceStep): Promise<VolumeReplaceJournal> {
  const written = updateJournalFile<VolumeReplaceJournal>(journal, {step: next});
  await testPause(`replace-${next}`);
  return written;
}

async function assertUnused(engine: EnginePort, volume: string): Promise<void> {
  const users = await consumersOf(engine, volume);
  if (users.length > 0) {
    throw new JobError(`Volume ${volume} is now used by ${users.map(c => c.name).join(', ')}, so its contents cannot be swapped.`, 'Remove those containers, then run hawser recover --finish (or --rollback to keep the old contents).');
  }
}

async function removeVolumeIfThere(engine: EnginePort, name: string): Promise<void> {
  await engine.removeVolume(name).catch((error: unknown) => {
    if (!(error instanceof EngineError && error.statusCode === 404)) {
      throw error;
    }
  });
}

/**
 * Carries a replace through from wherever it stopped; each step looks at what is there first, so it
 * can run again after a half-done attempt. `expected`, when known, is what the volume must list after.
 */
export async function * finishReplace(engine: EnginePort, start: VolumeReplaceJournal, expected?: readonly ListedEntry[]): AsyncGenerator<JobEvent> {
  let journal = start;
  if (journal.via === 'local') {
    const {targetDir, stagingDir, asideDir} = journal as Required<VolumeReplaceJournal>;
    // Only while nothing has moved: once the swap is under way the target holds the new contents, and a
    // staging folder there again is the empty one made for its removal.
    if (journal.step === 'staged' && existsSync(stagingDir) && existsSync(targetDir) && !existsSync(asideDir)) {
      await assertUnused(engine, journal.volume);
      yield {type: 'step', title: `Moving the old contents of ${journal.volume} aside`};
      await rename(targetDir, asideDir);
      journal = await step(journal, 'moved-old');
    }

    if (!existsSync(targetDir)) {
      if (!existsSync(stagingDir)) {
        throw new JobError(`Neither the new contents (${stagingDir}) nor the volume's own directory (${targetDir}) are there.`, `The old contents are in ${asideDir}: roll back with hawser recover --rollback.`);
      }

      yield {type: 'step', title: `Putting the new contents in place in ${journal.volume}`};
      await rename(stagingDir, targetDir);
      journal = await step(journal, 'swapped');
    } else if (existsSync(stagingDir) && existsSync(asideDir)) {
      throw new JobError(`${targetDir} exists again beside the old contents (${asideDir}) and the new ones (${stagingDir}); hawser will not guess which to keep.`, 'Look at the three folders, keep the right one as _data, then remove the staging volume.');
    }

    // Renamed before it is deleted, so a deletion cut short is never mistaken for the old contents.
    const deleting = `${asideDir}.deleting`;
    if (existsSync(asideDir)) {
      await rename(asideDir, deleting);
    }

    if (existsSync(deleting)) {
      yield {type: 'step', title: `Deleting the old contents of ${journal.volume}`};
      await rm(deleting, {recursive: true, force: true});
    }

    // The engine removes a volume by its folder; an empty _data keeps that ordinary.
    await mkdir(stagingDir, {recursive: true, mode: 0o755});
  } else {
    if (journal.step === 'staged') {
      await assertUnused(engine, journal.volume);
      // Written first: from here on the old contents may be gone, and rollback must know it.
      journal = await step(journal, 'emptying');
      yield {type: 'step', title: `Emptying volume ${journal.volume} (the new contents wait complete in ${journal.staging})`};
      await removeVolumeIfThere(engine, journal.volume);
      await engine.createVolume({name: journal.volume, labels: journal.labels});
      journal = await step(journal, 'emptied');
    } else if (journal.step === 'emptying' || journal.step === 'emptied') {
      // A copy cut short: start it again from an empty volume.
      await assertUnused(engine, journal.volume);
      yield {type: 'step', title: `Emptying volume ${journal.volume} again: its copy was cut short`};
      await removeVolumeIfThere(engine, journal.volume);
      await engine.createVolume({name: journal.volume, labels: journal.labels});
    }

    if (journal.step === 'emptied') {
      yield {type: 'step', title: `Copying the new contents from ${journal.staging} into ${journal.volume}`};
      const differences = await withHelper(engine, journal.staging, {isReadOnly: true}, async from => withHelper(engine, journal.volume, {isReadOnly: false}, async to => {
        const stream = await engine.getArchive(from, `${helperMountPath}/.`);
        await engine.putArchive(to, helperMountPath, stream);
        if (journal.root) {
          await putRootEntry(engine, to, journal.root);
        }

        const wanted = expected ?? await readHelperVolume(engine, from);
        return compareListings(wanted, await readHelperVolume(engine, to), {ignoreRoot: !journal.root});
      }));
      if (differences.length > 0) {
        throw new JobError(`The copy into ${journal.volume} differs from the new contents: ${describeDifferences(differences, 3).join('; ')}`, `The new contents are complete in volume ${journal.staging}: run hawser recover --finish to copy again.`);
      }

      journal = await step(journal, 'copied');
    }
  }

  yield {type: 'step', title: `Removing the staging volume ${journal.staging}`};
  await removeVolumeIfThere(engine, journal.staging);
  deleteJournal(journal.id);
}

/** Puts the old contents back where that is still possible, and removes the staging volume. */
export async function * rollbackReplace(engine: EnginePort, journal: VolumeReplaceJournal): AsyncGenerator<JobEvent> {
  if (journal.via === 'local') {
    const {targetDir, stagingDir, asideDir} = journal as Required<VolumeReplaceJournal>;
    if (existsSync(asideDir)) {
      if (existsSync(targetDir)) {
        if (existsSync(stagingDir)) {
          throw new JobError(`${targetDir}, ${stagingDir} and the old contents (${asideDir}) all exist; hawser will not guess which to keep.`, 'Look at the three folders, keep the right one as _data, then remove the staging volume.');
        }

        yield {type: 'step', title: `Taking the new contents out of ${journal.volume}`};
        await rename(targetDir, stagingDir);
      }

      yield {type: 'step', title: `Putting the old contents of ${journal.volume} back`};
      await rename(asideDir, targetDir);
    } else if (journal.step !== 'staged' || !existsSync(stagingDir)) {
      throw new JobError(`The old contents of ${journal.volume} were already deleted: the new contents are in place, and rolling back cannot bring the old ones back.`, 'Finish instead: hawser recover --finish.');
    }

    await mkdir(stagingDir, {recursive: true, mode: 0o755});
  } else if (journal.step !== 'staged') {
    throw new JobError(`The old contents of ${journal.volume} were already deleted through the engine's archive API; they cannot be put back.`, `Finish instead: hawser recover --finish copies the new contents from ${journal.staging}.`);
  }

  yield {type: 'step', title: `Removing the staging volume ${journal.staging}`};
  await removeVolumeIfThere(engine, journal.staging);
  deleteJournal(journal.id);
}

/** Unfinished replaces, oldest first. */
export function readReplaceJournals(env?: NodeJS.ProcessEnv): VolumeReplaceJournal[] {
  return readJournalFiles<VolumeReplaceJournal>('volume-replace', value => typeof value.volume === 'string' && typeof value.staging === 'string' && (value.via === 'local' || value.via === 'api'), env);
}

const stepWords: Readonly<Record<ReplaceStep, string>> = {
  staged: 'after the new contents were restored and checked in the staging volume',
  'moved-old': 'after moving the old contents aside, before putting the new ones in place',
  swapped: 'after putting the new contents in place, before deleting the old ones',
  emptying: 'while emptying the volume (its old contents may be gone)',
  emptied: 'after emptying the volume, while copying the new contents into it',
  copied: 'after copying the new contents, before removing the staging volume',
};

/** One sentence: what was being done and where it stopped. */
export function describeReplace(journal: VolumeReplaceJournal): string {
  return `Replace the contents of volume ${journal.volume} with ${path.basename(journal.file)}: stopped ${stepWords[journal.step]} (${journal.startedAt.replace('T', ' ').slice(0, 19)} UTC). The new contents are in ${journal.staging}.`;
}

/** Finishing or rolling back an unfinished replace, with its preview. */
export function prepareReplaceRecover(journal: VolumeReplaceJournal, action: string): PreparedJob {
  if (action !== 'rollback' && action !== 'finish') {
    throw new InputError(`Unknown recovery "${action}".`, 'Choose rollback (keep the old contents) or finish (put the new contents in place).');
  }

  const canRollBack = journal.via === 'local' || journal.step === 'staged';
  const steps = action === 'finish'
    ? [`Put the new contents from ${journal.staging} in place in volume ${journal.volume}`, `Delete ${journal.volume}'s old contents`, `Remove the staging volume ${journal.staging}`]
    : [`Keep ${journal.volume}'s old contents${journal.step === 'staged' ? ' (they were never touched)' : ', moving them back'}`, `Remove the staging volume ${journal.staging} and the new contents in it`];
  return {
    preview: {
      title: `${action === 'rollback' ? 'Roll back' : 'Finish'}: ${describeReplace(journal)}`,
      steps,
      warnings: action === 'finish' ? [`The old contents of ${journal.volume} are deleted for good.`] : canRollBack ? [] : [`The old contents of ${journal.volume} are already gone: rolling back is refused; finish instead.`],
      isDestructive: true,
    },
    job: async function * (engine) {
      yield * (action === 'finish' ? finishReplace(engine, journal) : rollbackReplace(engine, journal));
      yield {type: 'done', summary: action === 'finish' ? `Volume ${journal.volume} now holds the contents of ${path.basename(journal.file)}.` : `Volume ${journal.volume} keeps its old contents; the staging volume is removed.`, data: {operation: journal.id, action, volume: journal.volume}};
    },
  };
}
