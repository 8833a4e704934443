// A restore through the engine's archive API: the validated bytes are sent to a helper that holds the
// volume, then the volume is listed by a helper (large proven archives) or read back, and compared.
import prettyBytes from 'pretty-bytes';
import type {EnginePort} from '../../engine/port.js';
import type {JobEvent} from '../job.js';
import {helperMountPath} from '../helpers/helper-container.js';
import {throttle} from './event-channel.js';
import {aclKinds, aclsInheritedThroughApi, isTextOnly} from './format/acl-check.js';
import type {ScanResult} from './format/archive-scan.js';
import {compareListings, secondsOnlyNote, type Difference} from './format/compare.js';
import {planEntries} from './format/entry-plan.js';
import {hasRawBytes, printablePath} from './format/path-bytes.js';
import {assertArchiveUnchanged, bytesProgress, comparingStep, isSentAsIs, restoreBody} from './restore-body.js';
import {rootEntryOf, type RestorePlan} from './restore-plan.js';
import {withArchiveHashes} from './volume/restored-listing.js';
import {putRootEntry} from './volume/root-entry.js';
import {readHelperVolume} from './volume/volume-reader.js';

/** Below this, reading the volume back costs less than starting a helper to list it. */
const listThroughHelperFrom = 64 * 1024 * 1024;

/** Through the archive API, whether the restored volume is listed by a helper rather than read back. */
export function isListedByHelper(plan: RestorePlan): boolean {
  // The helper's `find` prints names as text: one that is not UTF-8 is read back as a tar instead, byte for byte.
  return isSentAsIs(plan) && plan.scan.contentEnd >= listThroughHelperFrom && !plan.expected.some(entry => hasRawBytes(entry.path) || (entry.link !== undefined && hasRawBytes(entry.link)));
}

/**
 * Writes the archive into the volume `helper` holds and compares it; what the archive API cannot restore
 * (text-only ACLs, ACLs it lets a folder's default ACL add) is a difference, what it cannot compare a note.
 */
export async function restoreViaApi(engine: EnginePort, plan: RestorePlan, helper: string, proven: () => Promise<ScanResult>, signal: AbortSignal, push: (event: JobEvent) => void): Promise<Difference[]> {
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

  return differences;
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
    const {withVolumeLister} = await import('./volume/helper-lister.js');
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

/**
 * Sends the archive to the helper (`onSent` once the last byte is handed over), then the root's attributes
 * (unless `isRootLeft`: the caller sets them); returns the proven scan.
 */
async function writeThroughApi(engine: EnginePort, plan: RestorePlan, helper: string, proven: () => Promise<ScanResult>, signal: AbortSignal, push: (event: JobEvent) => void, options: {readonly onSent?: () => void; readonly isRootLeft?: boolean} = {}): Promise<ScanResult> {
  const {onSent} = options;
  const total = plan.scan.contentEnd;
  await assertArchiveUnchanged(plan, 'sent');
  const onBytes = bytesProgress(push, total, throttle(100));
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

  await assertArchiveUnchanged(plan, 'sent');
  push({type: 'progress', done: total, total, unit: 'bytes'});
  const root = rootEntryOf(plan);
  if (root && !options.isRootLeft) {
    await putRootEntry(engine, helper, root, signal);
  }

  const scan = await proven();
  push(comparingStep(plan, scan));
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
