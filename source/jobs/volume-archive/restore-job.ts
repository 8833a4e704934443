// Restore of an archive into a volume: the whole archive is validated on this machine first, then
// sent through a helper's archive API, then the volume is read back and compared with the manifest.
import {chmod, lchown, stat, utimes} from 'node:fs/promises';
import path from 'node:path';
import type {Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import prettyBytes from 'pretty-bytes';
import {clause, EngineError} from '../../engine/errors.js';
import type {EnginePort} from '../../engine/port.js';
import type {VolumeSummary} from '../../engine/types.js';
import {InputError, JobError, type Job, type JobEvent, type PreparedJob} from '../job.js';
import {helperOwnerLabels, partialVolumeLabel, startPartialRestore} from '../helpers/leftovers.js';
import {aclKinds, aclsInheritedThroughApi, isTextOnly} from './acl-check.js';
import {ArchiveRefusal, normalizeEntryName} from './archive-rules.js';
import {archiveFileProblem, fileIdentity, planEntries, proveScan, scanArchive, type ScanResult} from './archive-scan.js';
import {restoredVolumeName} from './backup-paths.js';
import {compareListings, describeDifferences, isSameTime, secondsOnlyNote, type Difference} from './compare.js';
import {consumersOf} from './consumers.js';
import {runWithEvents, throttle} from './event-channel.js';
import {helperMountPath, withHelper} from '../helpers/helper-container.js';
import {listRestoredDir, withArchiveHashes} from './local-restore.js';
import {answerOr, askEarly, firstRunOnly, withEarlyImages, type EarlyAnswers} from './early-answers.js';
import {gnuTarCommand, localAccess, localRefusal, readVolumeDir, startLocalChecks, stopTar, writeVolumeDir, type ArchiveVia, type ArchiveViaRequest} from './local-volume.js';
import type {ListedEntry} from './manifest.js';
import {hasRawBytes, printablePath} from './path-bytes.js';
import {canonicalBody} from './restore-streams.js';
import {extendedAttributeDifferences} from './xattr-check.js';
import {testPause} from '../journal-file.js';
import {finishReplace, replaceOfLabel, stagingVolumeName, startReplaceJournal} from './replace-volume.js';
import {putRootEntry} from './root-entry.js';
import {TarFormatError} from './tar-parser.js';
import {isHelperVolumeEmpty, listTarStream, readHelperVolume} from './volume-reader.js';

/** What to restore where. */
export type RestoreRequest = {
  readonly file: string;
  /** Target volume; default: the manifest's volume name (or the file's name). */
  readonly volume?: string;
  /** Always make a new volume (a fresh name when the default one is taken). */
  readonly isNew?: boolean;
  /** Delete the existing volume's contents and put the archive's in their place. */
  readonly isReplace?: boolean;
  /** Leading components to strip; default: what hawser proposes from the archive. */
  readonly strip?: number;
  /** `api` forces the engine's archive API even where the volume's directory could be written directly. */
  readonly via?: ArchiveViaRequest;
  /** Cancels the planning (Ctrl-C while the archive is read): what it made for itself (a helper) is removed. */
  readonly signal?: AbortSignal;
};

/** A restore's plan, for previews and tests. */
export type RestorePlan = {
  readonly file: string;
  readonly volume: string;
  readonly mode: 'create' | 'into-empty' | 'replace';
  readonly strip: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly scan: ScanResult;
  readonly expected: readonly ListedEntry[];
  readonly via?: ArchiveViaRequest;
};

const volumeNamePattern = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** How long a volume's inspect asked beside the archive scan stands for the volume's state; after a longer scan it is asked again. */
const volumeAnswerMs = 1000;

/** Why `name` cannot name a volume to restore into (with what to do), or undefined when it can. */
export function volumeNameProblem(name: string): {readonly message: string; readonly hint: string} | undefined {
  if (!volumeNamePattern.test(name)) {
    return {message: `"${name}" is not a valid volume name.`, hint: 'Use letters, digits, _ . and -, at least two characters.'};
  }

  // The engine keeps a volume as a directory named after it: longer names fail at create, after the checks.
  return name.length > 255 ? {message: `The volume name is ${name.length} characters long; a volume name can have at most 255.`, hint: 'Choose a shorter name.'} : undefined;
}

/** Reads and validates the archive, then decides where it goes; throws InputError (nothing written) when it must not be restored. */
export async function planRestore(engine: EnginePort, request: RestoreRequest, signal?: AbortSignal): Promise<RestorePlan> {
  return (await planning(engine, request, signal, false)).plan;
}

/**
 * planRestore, and when `isAskingEarly`, what the job asks first asked meanwhile: the image list (for its helper)
 * and, where the volume's directory may be written directly, the engine's info (for that check). A helper this
 * planning makes takes the early image list; the job then asks its own.
 */
async function planning(engine: EnginePort, request: RestoreRequest, signal: AbortSignal | undefined, isAskingEarly: boolean): Promise<{plan: RestorePlan; early?: EarlyAnswers}> {
  const file = path.resolve(request.file);
  const fileProblem = archiveFileProblem(file);
  if (fileProblem) {
    throw new InputError(fileProblem.message, fileProblem.hint);
  }

  const nameProblem = request.volume === undefined ? undefined : volumeNameProblem(request.volume);
  if (nameProblem) {
    throw new InputError(nameProblem.message, nameProblem.hint);
  }

  if (request.strip !== undefined && (!Number.isInteger(request.strip) || request.strip < 0 || request.strip > 64)) {
    throw new InputError(Number.isInteger(request.strip) && request.strip > 64 ? `--strip ${request.strip} is more path components than any archive hawser restores has (at most 64).` : `--strip ${request.strip} is not a number of path components.`, 'Give a whole number from 0 to 64, such as 0 or 1.');
  }

  // A volume named here is looked up while the archive is read (its answer stands when the scan was quick).
  const namedAt = Date.now();
  const named = request.volume === undefined ? undefined : engine.inspectVolume(request.volume, {signal}).catch(() => undefined);
  startLocalChecks(engine, request.via);

  // hawser's own archives are checked for structure now and for their checksum while they are written into a volume
  // made for them (removed again when it does not match); everything else is read whole before anything is written.
  let scan = await refusingBadArchives(file, async () => scanArchive(file, {signal, isStructureOnly: true}));
  // Asked once the archive is read, not beside it: the engine's info costs the engine (on this machine) as much
  // CPU as the scan, which it would slow down; it is still there before the job needs it.
  const early = isAskingEarly ? askEarly(engine, {info: localRefusal(engine, request.via) === undefined, images: true}) : undefined;

  const strip = request.strip ?? scan.proposedStrip;
  try {
    planEntries(scan, strip);
  } catch (error) {
    if (error instanceof ArchiveRefusal) {
      throw new InputError(`Refused ${file}: ${clause(error.message)}. Nothing was written.`, error.hint);
    }

    throw error;
  }

  if (scan.isManifestUnreadable) {
    throw new InputError(`Refused ${file}: it ends with a hawser manifest that cannot be read, so the archive is damaged. Nothing was written.`, 'hawser verify FILE says more; use another backup.');
  }

  if (scan.isManifestMisplaced) {
    throw new InputError(`Refused ${file}: a hawser manifest is in it but not at its end, so entries were added after it or the archive was altered. Nothing was written.`, 'hawser verify FILE says more; use another backup.');
  }

  assertMatchesManifest(file, scan);

  const base = request.volume ?? scan.manifest?.volume.name ?? sanitize(path.basename(file).replace(/\.(tar|tgz|tar\.gz)$/, ''));
  const labels = scan.manifest?.volume.labels ?? {};
  const existing = await (named && base === request.volume && Date.now() - namedAt < volumeAnswerMs ? named : engine.inspectVolume(base, {signal}).catch(() => undefined));
  if (!existing) {
    if (request.isReplace) {
      // Replacing asks for a volume that is there: a mistyped name must not quietly make a new one.
      throw new InputError(`There is no volume ${base} to replace; nothing was written.`, 'Check the name (hawser ls volumes), or leave out --replace to restore into a new volume of that name.');
    }

    return {plan: withExpected({file, volume: base, mode: 'create', strip, labels, scan, via: request.via}), early};
  }

  if (request.isNew) {
    if (request.volume !== undefined) {
      throw new InputError(`Volume ${base} exists already, and a new volume was asked for.`, 'Give the new volume another name (--volume NAME), or restore into the existing one if it is empty (without --new).');
    }

    return {plan: withExpected({file, volume: restoredVolumeName(base), mode: 'create', strip, labels, scan, via: request.via}), early};
  }

  const isEmpty = await withHelper(withEarlyImages(engine, early?.images), base, {isReadOnly: true, signal}, async helper => isHelperVolumeEmpty(engine, helper, signal));
  // That helper took the early image list: the job's asks again.
  const rest = early && {...early, images: undefined};
  if (isEmpty) {
    // Nothing written into a volume that was there before may depend on a check that comes after: the checksum first.
    if (scan.isChecksumPending) {
      const pending = scan;
      scan = await refusingBadArchives(file, async () => proveScan(file, pending, signal));
      assertMatchesManifest(file, scan);
    }

    return {plan: withExpected({file, volume: base, mode: 'into-empty', strip, labels: existing.labels, scan, via: request.via}), early: rest};
  }

  if (!request.isReplace) {
    throw new InputError(`Volume ${base} is not empty; nothing was written.`, `Restore into a new volume instead (another name, or --new), or replace what ${base} holds (--replace; in the wizard, the "Replace" choice), which asks first.`);
  }

  await assertReplaceable(engine, existing, signal);
  return {plan: withExpected({file, volume: base, mode: 'replace', strip, labels: existing.labels, scan, via: request.via}), early: rest};
}

/**
 * A plan whose `expected` is made when first read, by the job: planning and its preview keep only the scan's
 * compact entries (for 100,000 files, 100,000 objects fewer). The manifest says what the volume held; the
 * archive's own listing stands in for archives made elsewhere.
 */
function withExpected(plan: Omit<RestorePlan, 'expected'>): RestorePlan {
  let expected: readonly ListedEntry[] | undefined;
  return {
    ...plan,
    get expected() {
      expected ??= plan.scan.manifest?.entries.toArray() ?? planEntries(plan.scan, plan.strip).listing;
      return expected;
    },
  };
}

/** Runs a scan; a file that is not a sane archive is refused as bad input. */
async function refusingBadArchives(file: string, scan: () => Promise<ScanResult>): Promise<ScanResult> {
  try {
    return await scan();
  } catch (error) {
    if (error instanceof TarFormatError) {
      throw new InputError(`Refused ${file}: ${clause(error.message)}. Nothing was written.`, 'Use a complete tar or tar.gz archive; hawser verify FILE tells what is wrong with it.');
    }

    throw error;
  }
}

function assertMatchesManifest(file: string, scan: ScanResult): void {
  if (scan.manifest && !scan.isChecksumPending && scan.manifest.contentSha256 !== scan.contentSha256) {
    throw new InputError(`Refused ${file}: it does not match its own manifest (checksum of the contents differs); the archive is damaged. Nothing was written.`, 'hawser verify FILE lists what differs.');
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

async function assertReplaceable(engine: EnginePort, volume: VolumeSummary, signal?: AbortSignal): Promise<void> {
  if (volume.driver !== 'local') {
    throw new InputError(`Volume ${volume.name} uses the ${volume.driver} driver; hawser replaces only local volumes.`, 'Restore into a new volume with --new.');
  }

  // A local volume with options (nfs, a bind of a host folder) is a mount made only while in use:
  // its contents live elsewhere, and a volume made again by name would lose the options.
  const options = Object.entries(volume.options ?? {});
  if (options.length > 0) {
    throw new InputError(`Volume ${volume.name} is a local volume with mount options (${options.map(([k, v]) => `${k}=${v}`).join(', ')}): its contents live on what it mounts, so hawser does not replace them.`, 'Restore into a new volume with --new, or restore into what it mounts directly.');
  }

  const users = await consumersOf(engine, volume.name, signal);
  if (users.length > 0) {
    throw new InputError(`Volume ${volume.name} is used by ${users.map(c => c.name).join(', ')}, so it cannot be emptied and replaced.`, 'Remove those containers first (their data stays in the volume until the restore), or restore into a new volume with --new.');
  }
}

function sanitize(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_.-]/g, '-').replace(/^[^a-zA-Z0-9]+/, '');
  return cleaned.length >= 2 ? cleaned : `restored-${cleaned || 'volume'}`;
}

/** Validates, plans and previews a restore. */
export async function prepareRestore(engine: EnginePort, request: RestoreRequest): Promise<PreparedJob> {
  // Whatever a cancel interrupted (the scan, an engine request), or came after (an answer it turned into "no such
  // volume"), it is a cancel, and nothing was written.
  const planned = await planning(engine, request, request.signal, true).catch((error: unknown) => {
    if (!request.signal?.aborted) {
      throw error;
    }
  });
  if (!planned || request.signal?.aborted) {
    throw new JobError('Cancelled.', 'Nothing was written.');
  }

  const {plan, early} = planned;

  const {scan} = plan;
  // What is written: a strip leaves out the folders it removes, a repeated name counts once.
  const count = scan.manifest?.entries.length ?? planEntries(scan, plan.strip).listingCount;
  const what = `${count} ${count === 1 ? 'entry' : 'entries'}, ${prettyBytes(scan.fileBytes)} of files`;
  const steps: string[] = [];
  const warnings: string[] = [];
  if (plan.mode === 'create') {
    steps.push(`Create volume ${plan.volume}${Object.keys(plan.labels).length > 0 ? ` with labels ${Object.entries(plan.labels).map(([k, v]) => `${k}=${v}`).join(', ')}` : ''}`);
  } else if (plan.mode === 'replace') {
    warnings.push(`Everything now in volume ${plan.volume} will be deleted and replaced by the archive's contents.`);
    warnings.push(`Needs room for a second copy (${prettyBytes(scan.fileBytes)}) while the old and new contents both exist. If hawser or the engine stops half-way, hawser recover finishes the swap or rolls it back.`);
  }

  steps.push(plan.mode === 'replace'
    ? `Restore ${what} from ${plan.file} into a staging volume beside ${plan.volume} (${plan.volume}.hawser-replace-…); ${plan.volume} is not touched until that is complete and checked`
    : `Restore ${what} from ${plan.file} into volume ${plan.volume}${plan.mode === 'into-empty' ? ' (empty now)' : ''}`);
  if (plan.strip > 0) {
    // The first name longer than the strip, read from the scan's compact entries one at a time.
    let prefix: string | undefined;
    for (let index = 0; index < scan.entries.length && prefix === undefined; index++) {
      const name = normalizeEntryName(scan.entries.name(index));
      const parts = 'path' in name ? name.path.split('/') : [];
      prefix = parts.length > plan.strip ? parts.slice(0, plan.strip).join('/') : undefined;
    }
    steps.push(`Strip ${plan.strip} leading path component${plan.strip === 1 ? '' : 's'}${prefix ? ` ("${prefix}/")` : ''}${request.strip === undefined ? ' — proposed because every entry is under it; override with --strip N' : ''}`);
  }

  const {absoluteNames} = planEntries(scan, plan.strip);
  if (absoluteNames > 0) {
    steps.push(absoluteNames === 1 ? 'Remove the leading "/" from 1 name, as tar does: it lands inside the volume' : `Remove the leading "/" from ${absoluteNames} names, as tar does: they land inside the volume`);
  }

  steps.push(scan.manifest ? `Compare the volume with the archive's manifest (made ${scan.manifest.createdAt} from volume ${scan.manifest.volume.name})` : 'Compare the volume with the archive\'s own listing (the archive has no hawser manifest)');
  if (plan.mode === 'replace') {
    steps.push(`Swap: ${plan.volume} gets the new contents, its old contents are deleted once the new ones are in place, the staging volume is removed`);
  }

  return {
    preview: {title: `Restore ${path.basename(plan.file)} into volume ${plan.volume}`, steps, warnings, isDestructive: plan.mode === 'replace'},
    job: restoreJob(plan, early),
  };
}

/** The bytes to send for a plan: the canonical tar of the entries the plan restores (see restore-streams.ts). */
export async function restoreBody(plan: Pick<RestorePlan, 'file' | 'scan' | 'strip'>, onBytes?: (passed: number) => void): Promise<Readable> {
  return canonicalBody(plan.file, plan.scan, plan.strip, planEntries(plan.scan, plan.strip), onBytes);
}

/** Runs a plan. Exported for tests that need a plan made by hand. `early`: answers asked while it was planned. */
export function restoreJob(plan: RestorePlan, early?: EarlyAnswers): Job {
  const answersFor = firstRunOnly(early);
  return async function * (engine, signal) {
    const answers = answersFor(engine);
    // Through the archive API a large archive is listed by a helper: its modules load now, beside the engine's
    // first answers, not between them and the write (some 30 ms).
    if (isListedByHelper(plan) && localRefusal(engine, plan.via) !== undefined) {
      void import('./helper-lister.js').catch(() => undefined);
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
  const root = plan.strip === 0 ? plan.expected.find(e => e.path === '.') : undefined;
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
      const {entries} = planEntries(plan.scan, plan.strip);
      const differences = [...await restoreThroughApi(engine, plan, helper, proven, signal, push), ...aclsLeftBehind(plan), ...aclsInheritedThroughApi(entries)];
      const withAttributes = entries.filter(entry => [...entry.extended?.keys() ?? []].some(key => key.startsWith('SCHILY.xattr.'))).length;
      if (withAttributes > 0) {
        push({type: 'log', line: `${withAttributes} entr${withAttributes === 1 ? 'y carries' : 'ies carry'} extended attributes: the engine applies them, but its archive API does not give them back, so they are not compared (the local path compares them)`});
      }

      const sparse = entries.filter(entry => entry.sparse);
      if (sparse.length > 0) {
        // Same bytes, more disk: the engine writes what it extracts without holes (measured on Docker 20.10, 26 and 28).
        const filled = sparse.reduce((sum, entry) => sum + entry.size - (entry.sparse?.segments.reduce((total, [, length]) => total + length, 0) ?? 0), 0);
        push({type: 'warning', message: `${sparse.length} sparse file${sparse.length === 1 ? '' : 's'} (${sparse.slice(0, 3).map(entry => printablePath(entry.path)).join(', ')}${sparse.length > 3 ? ', …' : ''}) now take${sparse.length === 1 ? 's' : ''} ${prettyBytes(filled)} more on disk: the engine's archive API writes holes as zeros. The contents are the same; restore as root on the engine's machine to keep the holes.`});
      }

      return {differences, via: 'api'};
    });
  } finally {
    // A write that failed first leaves the checksum nothing to prove.
    stopProof.abort();
  }
}

/**
 * The bytes sent are made from the very file the scan read and hashed, unchanged before and after (same
 * inode, size, mtime and ctime): what the extractor got is then what was checked, file by file.
 */
function isSentAsIs(plan: RestorePlan): boolean {
  return !plan.scan.isGzip && plan.scan.identity !== undefined;
}

/** The archive was written to after it was checked (`what`: the bytes sent, or written). */
function archiveChanged(plan: RestorePlan, what: 'sent' | 'written'): JobError {
  return new JobError(`${plan.file} changed after it was checked: the bytes ${what} may not be the ones checked before.`, 'Make sure nothing writes to the archive, then restore again.');
}

/** Below this, reading the volume back costs less than starting a helper to list it. */
const listThroughHelperFrom = 64 * 1024 * 1024;

/** Through the archive API, whether the restored volume is listed by a helper rather than read back. */
function isListedByHelper(plan: RestorePlan): boolean {
  // The helper's `find` prints names as text: one that is not UTF-8 is read back as a tar instead, byte for byte.
  return isSentAsIs(plan) && plan.scan.contentEnd >= listThroughHelperFrom && !plan.expected.some(entry => hasRawBytes(entry.path) || (entry.link !== undefined && hasRawBytes(entry.link)));
}

/** The archive API path: the bytes are sent to the helper, then the volume is listed (or read back) and compared. */
async function restoreThroughApi(engine: EnginePort, plan: RestorePlan, helper: string, proven: () => Promise<ScanResult>, signal: AbortSignal, push: (event: JobEvent) => void): Promise<Difference[]> {
  // A plain archive sent as it is, from the very file the scan validated (unchanged before and after the send, and
  // hashed by the scan or its proof), proves the engine got the validated bytes: the read-back needs no second checksum.
  const isProven = isSentAsIs(plan);
  // Proven bytes need no second checksum, only what the engine made of them: names, types, sizes, modes, owners,
  // mtimes, links. A helper with find and stat lists that without the contents; reading them back costs a second transfer.
  if (isListedByHelper(plan)) {
    // Loaded here only: it brings the shell-helper modules, which no other restore needs.
    const {withVolumeLister} = await import('./helper-lister.js');
    const root = rootEntryOf(plan);
    // The lister sets the root's attributes in the exec that lists the volume (or puts them itself when it cannot).
    const rootToSet = root && {attributes: root, put: async (putSignal: AbortSignal) => putRootEntry(engine, helper, root, putSignal)};
    return withVolumeLister(engine, plan.volume, signal, async lister => {
      const scan = await writeThroughApi(engine, plan, helper, proven, signal, push, {onSent: lister.start, isRootLeft: true});
      const listed = await lister.list(planEntries(scan, plan.strip).listing, signal);
      if (listed) {
        push({type: 'log', line: `Listed the volume with a helper from ${listed.image} (no network), without reading its contents back`});
        noteSecondsOnly(plan, push, `the helper's \`stat -c %Y\``);
        return compareListings(plan.expected, listed.entries, {ignoreRoot: !root});
      }

      push({type: 'log', line: 'Reading the volume back to compare it: no local image with a shell could list it for sure'});
      return readBackAndCompare(engine, plan, helper, scan, isProven, signal, push);
    }, rootToSet);
  }

  const scan = await writeThroughApi(engine, plan, helper, proven, signal, push);
  return readBackAndCompare(engine, plan, helper, scan, isProven, signal, push);
}

/**
 * The engine's archive API applies an entry's extended attributes but not the text form of POSIX ACLs
 * (SCHILY.acl.*, all bsdtar writes): each entry whose ACL comes only in that form is a difference, so
 * the restore ends in ✗ rather than a ✓ over files whose access rules were dropped.
 */
function aclsLeftBehind(plan: RestorePlan): Difference[] {
  return planEntries(plan.scan, plan.strip).notable()
    .filter(entry => aclKinds.some(kind => isTextOnly(entry, kind)))
    .map(entry => ({path: entry.path, kind: 'acl' as const, detail: 'its POSIX ACL is not restored by the engine\'s archive API (run hawser as root on the engine\'s machine to restore it directly)'}));
}

/** The archive's entry for the volume's root, when restored as it is (a stripped archive has none). */
function rootEntryOf(plan: RestorePlan): ListedEntry | undefined {
  return plan.strip === 0 ? plan.expected.find(e => e.path === '.') : undefined;
}

/**
 * Sends the archive to the helper (`onSent` once the last byte is handed over), then the root's attributes
 * (unless `isRootLeft`: the caller sets them); returns the proven scan.
 */
async function writeThroughApi(engine: EnginePort, plan: RestorePlan, helper: string, proven: () => Promise<ScanResult>, signal: AbortSignal, push: (event: JobEvent) => void, options: {readonly onSent?: () => void; readonly isRootLeft?: boolean} = {}): Promise<ScanResult> {
  const {onSent} = options;
  const shouldReport = throttle(100);
  const total = plan.scan.contentEnd;
  const isDirect = isSentAsIs(plan);
  const isUnchanged = async () => fileIdentity(await stat(plan.file, {bigint: true})) === plan.scan.identity;
  if (isDirect && !await isUnchanged()) {
    throw archiveChanged(plan, 'sent');
  }

  const onBytes = (passed: number) => {
    if (shouldReport()) {
      push({type: 'progress', done: passed, total, unit: 'bytes'});
    }
  };
  const body = await restoreBody(plan, onBytes);
  if (onSent) {
    body.once('end', onSent);
  }

  const abort = () => body.destroy(new Error('Cancelled.'));
  signal.addEventListener('abort', abort, {once: true});
  try {
    await engine.putArchive(helper, helperMountPath, body, {signal});
  } finally {
    signal.removeEventListener('abort', abort);
    body.destroy();
  }

  if (isDirect && !await isUnchanged()) {
    throw archiveChanged(plan, 'sent');
  }

  push({type: 'progress', done: total, total, unit: 'bytes'});
  const root = rootEntryOf(plan);
  if (root && !options.isRootLeft) {
    await putRootEntry(engine, helper, root, signal);
  }

  const scan = await proven();
  push({type: 'step', title: `Comparing volume ${plan.volume} with the ${scan.manifest ? 'manifest' : 'archive'}`});
  return scan;
}

/** Reads the volume back through the archive API and compares it (checksums only for unproven bytes). */
async function readBackAndCompare(engine: EnginePort, plan: RestorePlan, helper: string, scan: ScanResult, isProven: boolean, signal: AbortSignal, push: (event: JobEvent) => void): Promise<Difference[]> {
  const shouldReport = throttle(100);
  const readBack = await readHelperVolume(engine, helper, signal, (done, current) => {
    if (shouldReport()) {
      push({type: 'progress', done, total: scan.fileBytes, unit: 'bytes', current});
    }
  }, !isProven);
  const actual = isProven ? withArchiveHashes(readBack, planEntries(scan, plan.strip).listing) : readBack;
  // A stripped archive has no entry for the root; a target that existed keeps its own root attributes.
  noteSecondsOnly(plan, push, 'the engine\'s archive API');
  return compareListings(plan.expected, actual, {ignoreRoot: !rootEntryOf(plan)});
}

/** Says once, as a note of the compare, that the read-back (`reader`) held whole seconds where the archive has a fraction. */
function noteSecondsOnly(plan: RestorePlan, push: (event: JobEvent) => void, reader: string): void {
  const note = secondsOnlyNote(plan.expected, reader);
  if (note) {
    push({type: 'log', line: note});
  }
}

/** The local path: GNU tar extracts the validated bytes into the volume's directory, which is then checked. */
async function restoreLocally(plan: RestorePlan, dir: string, proven: () => Promise<ScanResult>, signal: AbortSignal, push: (event: JobEvent) => void): Promise<Difference[]> {
  const shouldReport = throttle(100);
  const isDirect = isSentAsIs(plan);
  const total = plan.scan.contentEnd;
  const onBytes = (passed: number) => {
    if (shouldReport()) {
      push({type: 'progress', done: passed, total, unit: 'bytes'});
    }
  };

  const isUnchanged = async () => fileIdentity(await stat(plan.file, {bigint: true})) === plan.scan.identity;
  if (isDirect && !await isUnchanged()) {
    throw archiveChanged(plan, 'written');
  }

  const {input, tar} = writeVolumeDir(dir);
  const body = await restoreBody(plan, onBytes);
  try {
    await Promise.all([pipeline(body, input, {signal}), tar.done]);
  } catch (error) {
    stopTar(tar);
    body.destroy();
    // When tar stopped reading, the pipeline only knows EPIPE; tar's own message says why.
    const code = (error as NodeJS.ErrnoException).code;
    const tarError = await tar.done.then(() => undefined, (failure: unknown) => failure);
    throw (code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE') && tarError && !signal.aborted ? tarError : error;
  }

  if (isDirect && !await isUnchanged()) {
    throw archiveChanged(plan, 'written');
  }

  push({type: 'progress', done: total, total, unit: 'bytes'});
  const root = plan.strip === 0 ? plan.expected.find(e => e.path === '.') : undefined;
  if (root) {
    // As on the API path: the volume's root takes the archive's owner, mode and mtime.
    await lchown(dir, root.uid, root.gid);
    await chmod(dir, root.mode);
    // GNU tar gave the root the archive's mtime, to the ns, which a number cannot carry: set again only when it did not.
    if (!isSameTime(root, (await stat(dir, {bigint: true})).mtimeNs)) {
      await utimes(dir, root.mtime, root.mtime);
    }
  }

  const scan = await proven();
  push({type: 'step', title: `Comparing volume ${plan.volume} with the ${scan.manifest ? 'manifest' : 'archive'}`});
  const {listing} = planEntries(scan, plan.strip);
  // Only entries with extended attributes have any to read back.
  const attributes = await extendedAttributeDifferences(gnuTarCommand(), dir, planEntries(scan, plan.strip).notable(), signal);
  if (isDirect) {
    // tar read exactly the file the scan (or its proof) hashed, unchanged since, so its file checksums are those of the volume's files.
    return [...compareListings(plan.expected, listRestoredDir(dir, listing), {ignoreRoot: !root, actualTimes: 'ns'}), ...attributes];
  }

  const local = readVolumeDir(dir);
  let actual: ListedEntry[];
  try {
    actual = await listTarStream(local.stream, (done, current) => {
      if (shouldReport()) {
        push({type: 'progress', done, total: plan.scan.fileBytes, unit: 'bytes', current});
      }
    });
    await local.tar.done;
  } finally {
    stopTar(local.tar);
  }

  // GNU tar's PAX read-back holds ns: a time without a fraction is a whole second.
  return [...compareListings(plan.expected, actual, {ignoreRoot: !root, actualTimes: 'ns'}), ...attributes];
}
