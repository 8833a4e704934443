// The checksum of a whole archive at the cost of its headers: sha256 of every byte before a given
// offset, except that each regular file's data is left out and that file's own sha256 (32 bytes)
// follows its block padding instead. Headers, PAX records (owners, long names, capabilities), padding: all hashed as they
// are; a file's contents through its checksum, which the manifest needs anyway. So every byte that a
// restore writes is covered, and each file's bytes are hashed once instead of twice (manifest v2).
import type {Hash} from 'node:crypto';
import {createHash} from 'node:crypto';
import type {TarEntry} from './tar-entry.js';
import type {TarParser} from './tar-parser.js';

type Item = {readonly offset: number; readonly bytes: Buffer; readonly isDigest: boolean};

/**
 * Follows a TarParser. Call `write(chunk)` instead of `parser.write(chunk)`; give `onEntry`,
 * `onData` and `onEntryEnd` the parser's events (after the per-file hash has seen them); `digest(end)`
 * at the end. Bytes are held back from the last header on, so `end` may be an entry's start (the manifest's).
 */
export class TreeSha256 {
  private readonly hash: Hash = createHash('sha256');
  private readonly pending: Item[] = [];
  private chunk: Buffer | undefined;
  private chunkStart = 0;
  /** Bytes before this offset have been queued (raw) or skipped (file data). */
  private accounted = 0;

  /** `parserOf` gives the parser this follows (a function, so the two can be made in either order). */
  constructor(private readonly parserOf: () => TarParser) {}

  private get parser(): TarParser {
    return this.parserOf();
  }

  /** Feeds a chunk to the parser and queues its bytes that are not file data. */
  write(chunk: Buffer): void {
    this.chunk = chunk;
    this.chunkStart = this.parser.offset;
    try {
      this.parser.write(chunk);
      this.queueRaw(this.chunkStart + chunk.length);
    } finally {
      this.chunk = undefined;
    }
  }

  /** The parser read an entry's header (and its PAX or long-name records). */
  onEntry(entry: TarEntry): void {
    // Everything before this entry is settled: it cannot be the manifest any more.
    this.commit(entry.startOffset);
    this.queueRaw(this.parser.offset);
  }

  /** A piece of a regular file's data starts at the parser's offset: skipped, its checksum stands for it. */
  onData(piece: Buffer): void {
    this.queueRaw(this.parser.offset);
    this.accounted += piece.length;
  }

  /**
   * An entry ended (its block padding read too); a regular file's checksum (hex, from the per-file
   * hash) follows that padding. After the padding, not in the data's place: the padding may arrive in
   * two chunks, and the order must not depend on where a chunk ends.
   */
  onEntryEnd(entry: TarEntry, sha256: string | undefined): void {
    this.queueRaw(this.parser.offset);
    if (entry.type === 'file') {
      this.pending.push({offset: this.accounted, bytes: Buffer.from(sha256 ?? '', 'hex'), isDigest: true});
    }
  }

  /** The checksum of everything before `end` (call once). */
  digest(end: number): string {
    this.commit(end);
    return this.hash.digest('hex');
  }

  private queueRaw(upTo: number): void {
    if (upTo <= this.accounted || !this.chunk) {
      return;
    }

    const from = this.accounted - this.chunkStart;
    // A copy: the chunk's buffer is reused by the reader once this write returns.
    this.pending.push({offset: this.accounted, bytes: Buffer.from(this.chunk.subarray(from, upTo - this.chunkStart)), isDigest: false});
    this.accounted = upTo;
  }

  /** Hashes what lies before `end`; a raw stretch that runs past it is split and its rest kept. */
  private commit(end: number): void {
    // A file's checksum sits at the end of its padding: one that ends right at `end` belongs before it.
    while (this.pending.length > 0 && (this.pending[0]!.offset < end || (this.pending[0]!.isDigest && this.pending[0]!.offset <= end))) {
      const item = this.pending[0]!;
      if (item.isDigest || item.offset + item.bytes.length <= end) {
        this.hash.update(item.bytes);
        this.pending.shift();
        continue;
      }

      const cut = end - item.offset;
      this.hash.update(item.bytes.subarray(0, cut));
      this.pending[0] = {offset: end, bytes: item.bytes.subarray(cut), isDigest: false};
    }
  }
}
