// The backup's Transform: passes the engine's tar through while reading it to its end-of-archive
// blocks (a truncated stream fails here, loudly), hashes every file and the whole, and replaces the
// end-of-archive blocks with the manifest entry followed by new ones.
import {Transform, type TransformCallback} from 'node:stream';
import {EntryLister, toListed} from './entry-lister.js';
import {manifestTail, type Manifest} from './manifest.js';
import {ParallelSha256} from './parallel-hash.js';
import {TarParser} from './tar-parser.js';

/** What the manifest needs besides the entries. */
export type ManifestBase = Omit<Manifest, 'entryCount' | 'totalBytes' | 'contentSha256' | 'entries'>;

/** Reads the stream as it passes; `manifest` is set once it has ended well. */
export class BackupStream extends Transform {
  readonly lister = new EntryLister();
  readonly parser = new TarParser(this.lister.handlers);
  manifest: Manifest | undefined;
  // The whole-archive checksum runs on a second core while this thread hashes each file.
  private readonly content = new ParallelSha256();

  constructor(private readonly base: ManifestBase) {
    super({highWaterMark: 1024 * 1024});
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const start = this.parser.offset;
    try {
      this.parser.write(chunk);
    } catch (error) {
      callback(error as Error);
      return;
    }

    // Forward only what precedes the end-of-archive blocks; the manifest goes there.
    const end = this.parser.endOfArchiveOffset;
    const forward = end === undefined ? chunk : chunk.subarray(0, Math.max(0, end - start));
    if (forward.length === 0) {
      callback();
      return;
    }

    this.push(forward);
    this.content.update(forward).then(() => callback(), callback);
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.parser.end();
    } catch (error) {
      callback(error as Error);
      return;
    }

    this.content.digestAt().then(contentSha256 => {
      const entries = this.lister.entries.map(entry => toListed(entry));
      this.manifest = {
        ...this.base,
        entryCount: entries.length,
        totalBytes: entries.reduce((sum, e) => sum + e.size, 0),
        contentSha256: contentSha256!,
        entries,
      };
      this.push(manifestTail(this.manifest));
      callback();
    }, callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.content.close().then(() => callback(error), () => callback(error));
  }
}
