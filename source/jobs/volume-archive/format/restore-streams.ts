// The bytes a restore sends to the extractor (GNU tar, or the engine's archive API): the archive
// read once more by the parser that validated it, and written anew as a canonical tar (see
// canonical-tar.ts) with exactly the entries the plan keeps: stripped names, no leading "/", the
// last entry of a repeated path, no hawser manifest. Every other header byte stays behind.
import type {Readable} from 'node:stream';
import {ArchiveChecker, ArchiveRefusal} from './archive-rules.js';
import {openTarStream} from './archive-file.js';
import type {ScanResult} from './archive-scan.js';
import type {EntryPlan} from './entry-plan.js';
import {canonicalTransform} from './canonical-tar.js';
import {TarFormatError} from './tar-entry.js';
import {TarParser} from './tar-parser.js';

/**
 * The canonical tar for `plan`, read from `file` (plain or gzip). The file must still be the one
 * scanned (the caller checks its identity before and after): an entry that no longer matches the
 * plan fails the stream rather than being written. `onBytes` counts the archive's bytes read.
 */
export async function canonicalBody(file: string, scan: ScanResult, strip: number, plan: Pick<EntryPlan, 'skipped'>, onBytes?: (read: number) => void): Promise<Readable> {
  const {stream} = await openTarStream(file);
  const checker = new ArchiveChecker(strip);
  let index = -1;
  let isDone = false;
  let parser: TarParser | undefined;
  const body = canonicalTransform((chunk, writer) => {
    parser ??= new TarParser({
      onEntry(entry) {
        // hawser's manifest, and anything after where the volume's entries end, is not written.
        if (entry.startOffset >= scan.contentEnd) {
          isDone = true;
          writer.entry(undefined);
          return;
        }

        index++;
        const {entries} = scan;
        if (index >= entries.length || entries.name(index) !== entry.name || entries.type(index) !== entry.type || entries.size(index) !== entry.size) {
          throw new TarFormatError(`the archive changed after it was checked (entry ${index + 1} is now "${entry.name}")`);
        }

        const checked = checker.check(entry);
        writer.entry(checked && !plan.skipped.has(index) ? {entry, path: checked.path, ...(checked.linkPath === undefined ? {} : {linkPath: checked.linkPath})} : undefined);
      },
      onData: piece => writer.data(piece),
      onEntryEnd: entry => writer.entryEnd(entry),
    });
    if (!parser.isComplete) {
      parser.write(chunk);
      onBytes?.(Math.min(parser.offset, scan.contentEnd));
    }
  }, writer => {
    if (!parser?.isComplete && !isDone) {
      parser?.end();
    }

    if (index + 1 !== scan.entries.length) {
      throw new TarFormatError(`the archive changed after it was checked (${index + 1} entries now, ${scan.entries.length} before)`);
    }

    writer.end();
  });
  stream.on('error', error => body.destroy(error));
  // However the body ends (done, failed, cancelled), the archive file is closed with it.
  body.on('close', () => stream.destroy());
  return stream.pipe(body).on('error', error => {
    stream.destroy(error instanceof ArchiveRefusal ? new TarFormatError(error.message) : error);
  });
}
