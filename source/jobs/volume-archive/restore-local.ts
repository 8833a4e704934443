// A restore into the volume's directory on this machine (the engine is local, hawser runs as root): GNU
// tar extracts the validated bytes there, the root takes the archive's attributes, and the directory is
// then compared (by lstat when tar read the very file the scan hashed, else read back as a tar).
import {chmod, lchown, stat, utimes} from 'node:fs/promises';
import {pipeline} from 'node:stream/promises';
import type {JobEvent} from '../job.js';
import {throttle} from './event-channel.js';
import type {ScanResult} from './format/archive-scan.js';
import {compareListings, isSameTime, type Difference} from './format/compare.js';
import {planEntries} from './format/entry-plan.js';
import type {ListedEntry} from './format/manifest.js';
import {assertArchiveUnchanged, bytesProgress, comparingStep, isSentAsIs, restoreBody} from './restore-body.js';
import {rootEntryOf, type RestorePlan} from './restore-plan.js';
import {gnuTarCommand, readVolumeDir, stopTar, writeVolumeDir} from './volume/gnu-tar.js';
import {listRestoredDir} from './volume/restored-listing.js';
import {listTarStream} from './volume/volume-reader.js';
import {extendedAttributeDifferences} from './volume/xattr-check.js';

/** The local path: GNU tar extracts the validated bytes into the volume's directory, which is then checked. */
export async function restoreLocally(plan: RestorePlan, dir: string, proven: () => Promise<ScanResult>, signal: AbortSignal, push: (event: JobEvent) => void): Promise<Difference[]> {
  const shouldReport = throttle(100);
  const isDirect = isSentAsIs(plan);
  const total = plan.scan.contentEnd;
  await assertArchiveUnchanged(plan, 'written');
  const {input, tar} = writeVolumeDir(dir);
  const body = await restoreBody(plan, bytesProgress(push, total, shouldReport));
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

  await assertArchiveUnchanged(plan, 'written');
  push({type: 'progress', done: total, total, unit: 'bytes'});
  const root = rootEntryOf(plan);
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
  push(comparingStep(plan, scan));
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
