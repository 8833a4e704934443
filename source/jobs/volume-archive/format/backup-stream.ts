// The backup's Transform: passes the engine's tar through while reading it to its end-of-archive
// blocks (a truncated stream fails here, loudly), hashes every file and the whole (the tree checksum,
// from the file checksums and the headers), and replaces the end-of-archive blocks with the manifest
// entry followed by new ones.
import {Transform, type TransformCallback} from 'node:stream';
import {EntryLister, toListed} from './entry-lister.js';
import {manifestTail, type Manifest} from './manifest.js';
import type {TarHandlers} from './tar-entry.js';
import {TarParser} from './tar-parser.js';
import {TreeSha256} from './tree-hash.js';

/** What the manifest needs besides the entries. */
export type ManifestBase = Omit<Manifest, 'entryCount' | 'totalBytes' | 'contentSha256' | 'entries'>;

/** An entry lister and a tree checksum following one parser: each file's bytes are hashed once, for both. */
export function hashingParser(): {readonly lister: EntryLister; readonly parser: TarParser; readonly tree: TreeSha256} {
  const lister = new EntryLister();
  const tree = new TreeSha256(() => parser);
  const handlers: TarHandlers = {
    onEntry(entry) {
      lister.handlers.onEntry!(entry);
      tree.onEntry(entry);
    },
    onData(piece) {
      lister.handlers.onData!(piece);
      tree.onData(piece);
    },
    onHole(length) {
      lister.handlers.onHole!(length);
    },
    onEntryEnd(entry) {
      lister.handlers.onEntryEnd!(entry);
      tree.onEntryEnd(entry, lister.entries.at(-1)?.sha256);
    },
  };
  const parser = new TarParser(handlers);
  return {lister, parser, tree};
}

/** The manifest of what a hashing parser read, up to the archive's end-of-archive blocks. */
export function manifestOf(base: ManifestBase, lister: EntryLister, parser: TarParser, tree: TreeSha256): Manifest {
  const entries = lister.entries.map(entry => toListed(entry));
  return {
    ...base,
    entryCount: entries.length,
    totalBytes: entries.reduce((sum, e) => sum + e.size, 0),
    contentSha256: tree.digest(parser.endOfArchiveOffset!),
    entries,
  };
}

/** Reads the stream as it passes; `manifest` is set once it has ended well. */
export class BackupStream extends Transform {
  readonly lister: EntryLister;
  readonly parser: TarParser;
  manifest: Manifest | undefined;
  private readonly tree: TreeSha256;
  /** Bytes received but not forwarded yet: the start of a header block that is not whole (at most 511). */
  private held = Buffer.alloc(0);

  constructor(private readonly base: ManifestBase) {
    super({highWaterMark: 1024 * 1024});
    ({lister: this.lister, parser: this.parser, tree: this.tree} = hashingParser());
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.tree.write(chunk);
    } catch (error) {
      callback(error as Error);
      return;
    }

    // Forward what precedes the end-of-archive blocks (the manifest goes there), and never the start of
    // a block not yet whole: it may be the first end block, cut by the stream's chunking.
    const received = this.held.length > 0 ? Buffer.concat([this.held, chunk]) : chunk;
    const receivedStart = this.parser.offset - received.length;
    const end = this.parser.endOfArchiveOffset ?? this.parser.offset - this.parser.pendingHeaderBytes;
    const forward = Math.min(received.length, Math.max(0, end - receivedStart));
    if (forward > 0) {
      this.push(received.subarray(0, forward));
    }

    this.held = this.parser.endOfArchiveOffset === undefined ? Buffer.from(received.subarray(forward)) : Buffer.alloc(0);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.parser.end();
      this.manifest = manifestOf(this.base, this.lister, this.parser, this.tree);
      this.push(manifestTail(this.manifest));
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }
}
