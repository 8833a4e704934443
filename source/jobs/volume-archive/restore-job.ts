// Restore of an archive into a volume: the plan (restore-plan.ts) has validated the whole archive on this
// machine; the job writes it into the volume (restore-local.ts: into its directory; restore-via-api.ts:
// through a helper and the engine's archive API), reads the volume back and compares it with the manifest.
// `--replace` restores into a staging volume first and swaps it in (replace-volume.ts) only when checked.
import prettyBytes from 'pretty-bytes';
import {clause, EngineError} from '../../engine/errors.js';
import type {EnginePort} from '../../engine/port.js';
import {JobError, type Job, type JobEvent, type PreparedJob} from '../job.js';
import {helperOwnerLabels, partialVolumeLabel, replaceOfLabel, startPartialRestore} from '../helpers/leftovers.js';
import {withHelper} from '../helpers/helper-container.js';
import {testPause} from '../journal-file.js';
import {consumersOf} from './consumers.js';
import {runWithEvents} from './event-channel.js';
import {answerOr, firstRunOnly, withEarlyImages, type EarlyAnswers} from './early-answers.js';
import {proveScan, type ScanResult} from './format/archive-scan.js';
import {describeDifferences, type Difference} from './format/compare.js';
import {TarFormatError} from './format/tar-entry.js';
import {finishReplace, stagingVolumeName, startReplaceJournal} from './replace-volume.js';
import {restoreLocally} from './restore-local.js';
import {planWithEarlyAnswers, restorePreview, rootEntryOf, type RestorePlan, type RestoreRequest} from './restore-plan.js';
import {isListedByHelper, restoreViaApi} from './restore-via-api.js';
import {localAccess, localRefusal, type ArchiveVia} from './volume/local-volume.js';

/** Validates, plans and previews a restore. */
export async function prepareRestore(engine: EnginePort, request: RestoreRequest): Promise<PreparedJob> {
  // Whatever a cancel interrupted (the scan, an engine request), or came after (an answer it turned into "no such
  // volume"), it is a cancel, and nothing was written.
  const planned = await planWithEarlyAnswers(engine, request, request.signal, true).catch((error: unknown) => {
    if (!request.signal?.aborted) {
      throw error;
    }
  });
  if (!planned || request.signal?.aborted) {
    throw new JobError('Cancelled.', 'Nothing was written.');
  }

  const {plan, early} = planned;
  return {preview: restorePreview(plan, request), job: restoreJob(plan, early)};
}

/** Runs a plan. Exported for tests that need a plan made by hand. `early`: answers asked while it was planned. */
export function restoreJob(plan: RestorePlan, early?: EarlyAnswers): Job {
  const answersFor = firstRunOnly(early);
  return async function * (engine, signal) {
    const answers = answersFor(engine);
    // Through the archive API a large archive is listed by a helper: its modules load now, beside the engine's
    // first answers, not between them and the write (some 30 ms).
    if (isListedByHelper(plan) && localRefusal(engine, plan.via) !== undefined) {
      void import('./volume/helper-lister.js').catch(() => undefined);
    }

    if (plan.mode === 'replace') {
      yield * replaceJob(engine, plan, signal, answers);
      return;
    }

    // The step first: what follows (the volume made for the archive, how it is written) is its notes.
    yield writingStep(plan);
    let isCreatedByUs = false;
    // A new volume is "partly restored" only while this journal stands: `hawser recover` removes such a
    // volume only then, never one whose restore finished (its helper may still be left, engine gone).
    let partial: {close: () => void} | undefined;
    try {
      partial = plan.mode === 'create' ? startPartialRestore(engine.address, plan.volume) : undefined;
    } catch (error) {
      throw new JobError(`Cannot write the restore's journal: ${error instanceof Error ? error.message : String(error)}`, 'Nothing was changed. Make the state folder writable, or set HAWSER_STATE_DIR to one that is.');
    }

    if (plan.mode !== 'into-empty') {
      await createNewVolume(engine, plan.volume, plan.labels, signal).catch((error: unknown) => {
        partial?.close();
        throw error;
      });
      isCreatedByUs = plan.mode === 'create';
      yield {type: 'log', line: `Created volume ${plan.volume}`};
    }

    let differences: Difference[] = [];
    let via: ArchiveVia = 'api';
    try {
      yield * runWithEvents(async push => {
        ({differences, via} = await restoreInto(engine, plan, signal, push, answers, true));
      });
    } catch (error) {
      // With the engine gone the new volume cannot be removed now: say so, `hawser recover` removes it later.
      const isRemoved = isCreatedByUs && await engine.removeVolume(plan.volume).then(() => true, () => false);
      if (isRemoved || !isCreatedByUs) {
        partial?.close();
      }

      const partHint = isCreatedByUs && !isRemoved ? `The new volume ${plan.volume} holds part of the archive and could not be removed yet: once the engine answers, run hawser recover --yes.` : undefined;
      if (signal.aborted) {
        throw new JobError('Cancelled.', partHint ?? (isCreatedByUs ? `The new volume ${plan.volume} was removed again.` : `Volume ${plan.volume} may hold part of the archive.`));
      }

      // A full volume is said as such, not as the engine's or tar's raw words.
      const isFull = error instanceof Error && /no space left on device|ENOSPC/i.test(error.message);
      const what = isFull ? `The restore into ${plan.volume} ran out of space: the file system holding the volume is full (${error instanceof Error ? clause(error.message) : ''}).` : `The restore into ${plan.volume} failed: ${error instanceof Error ? error.message : String(error)}`;
      const next = partHint ?? (isCreatedByUs ? 'The new volume was removed again; nothing is left behind.' : 'The volume may hold part of the archive.');
      throw error instanceof JobError && !partHint && !isFull ? error : new JobError(what, isFull ? `${next} Free space where the engine keeps its volumes (docker system df; df -h on the engine's host), or restore into a volume elsewhere.` : next);
    }

    partial?.close();
    for (const line of describeDifferences(differences)) {
      yield {type: 'warning', message: line};
    }

    const summary = differences.length === 0
      ? `Restored ${plan.expected.length} ${plan.expected.length === 1 ? 'entry' : 'entries'} into volume ${plan.volume}; it matches the ${plan.scan.manifest ? 'manifest' : 'archive'}`
      : `Restored into volume ${plan.volume}, with ${differences.length} difference${differences.length === 1 ? '' : 's'} from the ${plan.scan.manifest ? 'manifest' : 'archive'}`;
    yield {type: 'done', summary, data: {volume: plan.volume, entries: plan.expected.length, differences, via}, ...(differences.length > 0 ? {isBadNews: true} : {})};
  };
}

/**
 * Creates a volume that must not exist yet. The engine's create answers with the existing volume when the
 * name is taken, and a restore writes into (and on failure removes) what it created: a volume someone made
 * after the restore was planned (a preview read slowly, compose starting) must be refused, not taken over.
 */
async function createNewVolume(engine: EnginePort, name: string, labels: Readonly<Record<string, string>>, signal: AbortSignal): Promise<void> {
  const existing = await engine.inspectVolume(name, {signal}).then(() => true, (error: unknown) => {
    if (error instanceof EngineError && error.statusCode === 404) {
      return false;
    }

    throw error;
  });
  if (existing) {
    throw new JobError(`Volume ${name} was created by something else after this restore was planned; nothing was written into it.`, 'Run the restore again: it is planned anew (into that volume only when it is empty, or with --new or --replace).');
  }

  await engine.createVolume({name, labels}, {signal});
}

/** `--replace`: the archive goes into a staging volume first; only complete and checked is it swapped in. */
async function * replaceJob(engine: EnginePort, plan: RestorePlan, signal: AbortSignal, answers: EarlyAnswers | undefined): AsyncGenerator<JobEvent> {
  const target = await engine.inspectVolume(plan.volume, {signal});
  const staging = stagingVolumeName(plan.volume);
  const against = plan.scan.manifest ? 'manifest' : 'archive';
  yield {type: 'step', title: `Restoring into the staging volume ${staging}; ${plan.volume} stays as it is until that is complete and checked`};
  await createNewVolume(engine, staging, {...plan.labels, [replaceOfLabel]: plan.volume, ...helperOwnerLabels()}, signal);
  const staged: {differences: Difference[]; via: ArchiveVia} = {differences: [], via: 'api'};
  try {
    yield * runWithEvents(async push => {
      Object.assign(staged, await restoreInto(engine, {...plan, volume: staging, mode: 'create'}, signal, push, answers));
    });
    if (staged.differences.length > 0) {
      throw new JobError(`the restored contents differ from the ${against}: ${describeDifferences(staged.differences, 3).join('; ')}`, '');
    }
  } catch (error) {
    const isRemoved = await engine.removeVolume(staging).then(() => true, () => false);
    const hint = `Volume ${plan.volume} was left as it was; ${isRemoved ? 'the staging volume was removed' : `the staging volume ${staging} could not be removed yet: once the engine answers, run hawser recover --yes`}.`;
    if (signal.aborted) {
      throw new JobError('Cancelled.', hint);
    }

    throw new JobError(`The restore into ${plan.volume} failed: ${error instanceof Error ? error.message : String(error)}`, hint);
  }

  // From here the swap runs to its end, also when cancelled: stopping half-way is what its journal is for, not a choice.
  const root = rootEntryOf(plan);
  const journal = await startReplaceJournal(engine, target, staging, plan.file, staged.via === 'local', root);
  await testPause('replace-staged', signal);
  try {
    yield * finishReplace(engine, journal, plan.expected);
  } catch (error) {
    throw new JobError(`Putting the new contents into ${plan.volume} failed: ${error instanceof Error ? error.message : String(error)}`, `Nothing is lost: the new contents are complete in ${staging}${journal.via === 'local' ? ' and the old ones are kept until the swap is done' : ''}. Once that is fixed, run hawser recover --finish (or --rollback).`);
  }

  yield {type: 'done', summary: `Replaced the contents of volume ${plan.volume}: ${plan.expected.length} entries, it matches the ${against}`, data: {volume: plan.volume, entries: plan.expected.length, differences: [], via: staged.via}};
}

/** The step of writing the archive into the volume: its notes (how, where) come under it. */
function writingStep(plan: RestorePlan): JobEvent {
  return {type: 'step', title: `Writing ${prettyBytes(plan.scan.fileBytes)} into volume ${plan.volume}`};
}

/** Writes the archive into the plan's volume and compares it; `isStepGiven`: the caller announced the writing step. */
async function restoreInto(engine: EnginePort, plan: RestorePlan, signal: AbortSignal, push: (event: JobEvent) => void, answers?: EarlyAnswers, isStepGiven = false): Promise<{differences: Difference[]; via: ArchiveVia}> {
  if (plan.scan.isChecksumPending && plan.mode !== 'create') {
    throw new Error('an archive whose checksum is not proven yet may be written only into a volume made for it');
  }

  if (!isStepGiven) {
    push(writingStep(plan));
  }

  // The checksum is read (from the page cache, on the other core) while the archive is written; the volume is
  // compared only once it is in, and a mismatch fails the restore, which removes the volume made for it.
  const stopProof = new AbortController();
  const proof = plan.scan.isChecksumPending ? provePending(plan, AbortSignal.any([signal, stopProof.signal])) : undefined;
  proof?.catch(() => undefined);
  if (proof) {
    push({type: 'log', line: `Checking the archive against its manifest while it is written; if it does not match, volume ${plan.volume} is removed`});
  }

  const proven = async (): Promise<ScanResult> => (proof ? proof : plan.scan);
  try {
    // The helper also holds the volume: the engine refuses to remove a volume a container uses.
    // A restore into a new volume marks its helper, so a restore cut short can have its partial volume removed by `hawser recover`.
    return await withHelper(withEarlyImages(engine, answers?.images), plan.volume, {isReadOnly: false, signal, labels: plan.mode === 'create' ? {[partialVolumeLabel]: plan.volume} : undefined}, async helper => {
      // Asked side by side, once the helper holds the volume: the volume as it is now, the containers that
      // use it (needed, before anything is written, when its directory is to be written directly) and, in
      // localAccess, the helper's mount; the volume's failure comes first, then localAccess's, then the users'.
      const volume = engine.inspectVolume(plan.volume, {signal});
      const using = localRefusal(engine, plan.via) === undefined ? consumersOf(engine, plan.volume, signal) : undefined;
      using?.catch(() => undefined);
      let access = await localAccess(engine, volume, helper, plan.via, signal, async () => answerOr(answers?.info, async () => engine.info({signal}), signal));
      if (access.via === 'local') {
        const users = await (using ?? consumersOf(engine, plan.volume, signal));
        if (users.length > 0) {
          access = {via: 'api', reason: `${users.map(c => c.name).join(', ')} mount${users.length === 1 ? 's' : ''} the volume`};
        }
      }

      if (access.via === 'local') {
        push({type: 'log', line: `Writing into ${access.dir} directly (the engine is local)`});
        return {differences: await restoreLocally(plan, access.dir, proven, signal, push), via: 'local'};
      }

      push({type: 'log', line: `Writing through the engine's archive API: ${access.reason}`});
      return {differences: await restoreViaApi(engine, plan, helper, proven, signal, push), via: 'api'};
    });
  } finally {
    // A write that failed first leaves the checksum nothing to prove.
    stopProof.abort();
  }
}

/**
 * The checksum a structure scan left pending, read while the archive is written into a volume made for it:
 * the scan with every file's checksum. Throws when the archive does not match its manifest or changed since.
 */
async function provePending(plan: RestorePlan, signal: AbortSignal): Promise<ScanResult> {
  let scan: ScanResult;
  try {
    scan = await proveScan(plan.file, plan.scan, signal);
  } catch (error) {
    throw error instanceof TarFormatError ? new Error(`${plan.file}: ${clause(error.message)}.`) : error;
  }

  if (!scan.manifest || scan.manifest.contentSha256 !== scan.contentSha256) {
    throw new Error(`${plan.file} does not match its own manifest (checksum of the contents differs), so the archive is damaged; hawser verify FILE lists what differs`);
  }

  return scan;
}
