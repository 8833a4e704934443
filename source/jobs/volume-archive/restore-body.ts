// What a restore sends into the volume, whichever way it goes (the engine's archive API, or GNU tar into
// the volume's directory): the canonical tar of the plan's entries, and around it what makes the bytes
// sent the bytes checked, and what the job shows of it.
import {stat} from 'node:fs/promises';
import type {Readable} from 'node:stream';
import {JobError, type JobEvent} from '../job.js';
import {fileIdentity} from './format/archive-file.js';
import type {ScanResult} from './format/archive-scan.js';
import {planEntries} from './format/entry-plan.js';
import {canonicalBody} from './format/restore-streams.js';
import type {RestorePlan} from './restore-plan.js';

/** The bytes to send for a plan: the canonical tar of the entries the plan restores (see format/restore-streams.ts). */
export async function restoreBody(plan: Pick<RestorePlan, 'file' | 'scan' | 'strip'>, onBytes?: (passed: number) => void): Promise<Readable> {
  return canonicalBody(plan.file, plan.scan, plan.strip, planEntries(plan.scan, plan.strip), onBytes);
}

/**
 * The bytes sent are made from the very file the scan read and hashed, unchanged before and after (same
 * inode, size, mtime and ctime): what the extractor got is then what was checked, file by file.
 */
export function isSentAsIs(plan: RestorePlan): boolean {
  return !plan.scan.isGzip && plan.scan.identity !== undefined;
}

/** Where the bytes go as they are, throws when the archive was written to after it was checked (`what`: the bytes sent, or written). */
export async function assertArchiveUnchanged(plan: RestorePlan, what: 'sent' | 'written'): Promise<void> {
  if (isSentAsIs(plan) && fileIdentity(await stat(plan.file, {bigint: true})) !== plan.scan.identity) {
    throw new JobError(`${plan.file} changed after it was checked: the bytes ${what} may not be the ones checked before.`, 'Make sure nothing writes to the archive, then restore again.');
  }
}

/** The body's progress: the archive's bytes passed of `total`, pushed when `shouldReport` lets it. */
export function bytesProgress(push: (event: JobEvent) => void, total: number, shouldReport: () => boolean): (passed: number) => void {
  return passed => {
    if (shouldReport()) {
      push({type: 'progress', done: passed, total, unit: 'bytes'});
    }
  };
}

/** The step that follows the write: the volume is compared with what the proven scan holds. */
export function comparingStep(plan: RestorePlan, scan: ScanResult): JobEvent {
  return {type: 'step', title: `Comparing volume ${plan.volume} with the ${scan.manifest ? 'manifest' : 'archive'}`};
}
