// Planning a restore: the archive is read and validated on this machine (nothing written anywhere yet),
// then where it goes is decided (a new volume, an empty one, or the replace of one in use by nothing);
// and the preview that says so.
import path from 'node:path';
import prettyBytes from 'pretty-bytes';
import {clause} from '../../engine/errors.js';
import type {EnginePort} from '../../engine/port.js';
import type {VolumeSummary} from '../../engine/types.js';
import {InputError, type PreparedJob} from '../job.js';
import {withHelper} from '../helpers/helper-container.js';
import {restoredVolumeName} from './backup-paths.js';
import {consumersOf} from './consumers.js';
import {askEarly, withEarlyImages, type EarlyAnswers} from './early-answers.js';
import {archiveFileProblem} from './format/archive-file.js';
import {ArchiveRefusal, normalizeEntryName} from './format/archive-rules.js';
import {proveScan, scanArchive, type ScanResult} from './format/archive-scan.js';
import {planEntries} from './format/entry-plan.js';
import type {ListedEntry} from './format/manifest.js';
import {TarFormatError} from './format/tar-entry.js';
import {localRefusal, startLocalChecks, type ArchiveViaRequest} from './volume/local-volume.js';
import {isHelperVolumeEmpty} from './volume/volume-reader.js';

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
  return (await planWithEarlyAnswers(engine, request, signal, false)).plan;
}

/**
 * planRestore, and when `isAskingEarly`, what the job asks first asked meanwhile: the image list (for its helper)
 * and, where the volume's directory may be written directly, the engine's info (for that check). A helper this
 * planning makes takes the early image list; the job then asks its own.
 */
export async function planWithEarlyAnswers(engine: EnginePort, request: RestoreRequest, signal: AbortSignal | undefined, isAskingEarly: boolean): Promise<{plan: RestorePlan; early?: EarlyAnswers}> {
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

/** The preview of a planned restore: its steps and warnings; `request` says what the plan chose by itself (the strip). */
export function restorePreview(plan: RestorePlan, request: Pick<RestoreRequest, 'strip'>): PreparedJob['preview'] {
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

  return {title: `Restore ${path.basename(plan.file)} into volume ${plan.volume}`, steps, warnings, isDestructive: plan.mode === 'replace'};
}

/** The archive's entry for the volume's root, when restored as it is (a stripped archive has none). */
export function rootEntryOf(plan: RestorePlan): ListedEntry | undefined {
  return plan.strip === 0 ? plan.expected.find(e => e.path === '.') : undefined;
}
