// `hawser verify FILE`: is the archive complete, safe to restore, and does it match its manifest.
import path from 'node:path';
import prettyBytes from 'pretty-bytes';
import {InputError, JobError, type Job, type PreparedJob} from '../job.js';
import {ArchiveRefusal} from './format/archive-rules.js';
import {archiveFileProblem} from './format/archive-file.js';
import {scanArchive, type ScanResult} from './format/archive-scan.js';
import {planEntries} from './format/entry-plan.js';
import {runWithEvents, throttle} from './event-channel.js';
import {manifestDifferenceLines} from './format/manifest-entries.js';
import {TarFormatError} from './format/tar-entry.js';

/** The outcome of checking an archive. */
export type Verification = {
  readonly file: string;
  readonly problems: readonly string[];
  readonly hasManifest: boolean;
  readonly scan?: ScanResult;
};

/** Checks an archive against its manifest and hawser's restore rules; never throws for a bad archive. */
export async function verifyArchive(file: string, options: {signal?: AbortSignal; onProgress?: (done: number, current: string) => void} = {}): Promise<Verification> {
  let scan: ScanResult;
  try {
    scan = await scanArchive(file, options);
  } catch (error) {
    if (error instanceof TarFormatError && !options.signal?.aborted) {
      return {file, problems: [`not a complete tar archive: ${error.message}`], hasManifest: false};
    }

    throw error;
  }

  const problems: string[] = [];
  try {
    planEntries(scan, scan.proposedStrip);
  } catch (error) {
    if (!(error instanceof ArchiveRefusal)) {
      throw error;
    }

    problems.push(`hawser would refuse to restore it: ${error.message}`);
  }

  const {manifest} = scan;
  if (scan.isManifestUnreadable) {
    problems.push('its last entry is a hawser manifest that cannot be read (damaged): the archive cannot be checked against it');
  }

  if (scan.isManifestMisplaced) {
    problems.push('a hawser manifest is in it but not at its end: entries were added after it (tar -r?) or the archive was altered, so it cannot be checked as hawser wrote it');
  }

  if (manifest) {
    if (manifest.contentSha256 !== scan.contentSha256) {
      problems.push(`the checksum of the whole differs from the manifest's (${scan.contentSha256.slice(0, 12)}… instead of ${manifest.contentSha256.slice(0, 12)}…)`);
    }

    if (manifest.entryCount !== scan.entries.length) {
      problems.push(`the manifest counts ${manifest.entryCount} entries, the archive holds ${scan.entries.length}`);
    }

    if (manifest.totalBytes !== scan.fileBytes) {
      problems.push(`the manifest counts ${manifest.totalBytes} bytes of files, the archive holds ${scan.fileBytes}`);
    }

    // Both in path order, as hawser writes them: compared in one pass, keeping only the differences shown.
    problems.push(...manifestDifferenceLines(manifest.entries, scan.entries));
  }

  return {file, problems, hasManifest: Boolean(manifest), scan};
}

/** The verify action as a job (no confirmation needed: it only reads a file). */
export function prepareVerify(file: string): PreparedJob {
  const resolved = path.resolve(file);
  const problem = archiveFileProblem(resolved);
  if (problem) {
    throw new InputError(problem.message, problem.hint);
  }

  return {
    preview: {title: `Verify ${resolved}`, steps: ['Read the whole archive and check it against its manifest'], warnings: [], isDestructive: false},
    job: verifyJob(resolved),
  };
}

function verifyJob(file: string): Job {
  return async function * (_engine, signal) {
    yield {type: 'step', title: `Reading ${file}`};
    let result: Verification | undefined;
    const shouldReport = throttle(100);
    yield * runWithEvents(async push => {
      result = await verifyArchive(file, {signal, onProgress(done, current) {
        if (shouldReport()) {
          push({type: 'progress', done, unit: 'bytes', current});
        }
      }});
    });
    const verification = result!;
    const data = {
      file,
      isValid: verification.problems.length === 0,
      hasManifest: verification.hasManifest,
      problems: verification.problems,
      ...(verification.scan ? {entries: verification.scan.entries.length, fileBytes: verification.scan.fileBytes, contentSha256: verification.scan.contentSha256} : {}),
      ...(verification.scan?.manifest ? {volume: verification.scan.manifest.volume.name, createdAt: verification.scan.manifest.createdAt} : {}),
    };
    if (verification.problems.length > 0) {
      for (const problem of verification.problems) {
        yield {type: 'warning', message: problem};
      }

      throw new JobError(`${file} failed verification: ${verification.problems[0]}`, 'Do not rely on this archive; make a new backup if the volume still exists.');
    }

    const scan = verification.scan!;
    if (!verification.hasManifest) {
      yield {type: 'warning', message: 'The archive has no hawser manifest: it is a complete tar, but there are no checksums to check it against.'};
    }

    // More than tar's own record padding after the end blocks: something was appended; readers skip it, so does hawser.
    if ((scan.trailingBytes ?? 0) > 10_240) {
      yield {type: 'log', line: `${prettyBytes(scan.trailingBytes!)} after the end of the archive were skipped (tar readers ignore what follows the end-of-archive blocks).`};
    }

    yield {type: 'done', summary: `${file} is ${verification.hasManifest ? 'intact' : 'a complete tar'}: ${scan.entries.length} entries, ${prettyBytes(scan.fileBytes)} of files${verification.hasManifest ? `, volume ${scan.manifest!.volume.name} from ${scan.manifest!.createdAt}` : ''}`, data};
  };
}
