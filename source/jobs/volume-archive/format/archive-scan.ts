// Reads a whole archive file (tar or tar.gz) once: is it complete, what does it hold, does it carry
// hawser's manifest, and where do the volume's bytes end. Nothing is sent anywhere while scanning.
import {stat} from 'node:fs/promises';
import type {Readable} from 'node:stream';
import {fileIdentity, maxManifestBytes, openTarStream, readHeaders, readPlain, readTailManifest} from './archive-file.js';
import {CommonPrefix, normalizeEntryName} from './archive-rules.js';
import {EntryLister, type HashedEntry} from './entry-lister.js';
import {EntryTable} from './entry-table.js';
import {ManifestEntries} from './manifest-entries.js';
import {ManifestReader, type ManifestHeader} from './manifest-reader.js';
import {ParallelSha256} from './parallel-hash.js';
import {manifestName} from './manifest.js';
import {TarFormatError} from './tar-entry.js';
import {TarParser} from './tar-parser.js';
import {TreeSha256} from './tree-hash.js';

/**
 * A scanned archive's manifest: its entries kept as what they add to the archive's own (see
 * manifest-entries.ts); `entries.toArray()` makes the array the manifest holds.
 */
export type ScannedManifest = ManifestHeader & {readonly entries: ManifestEntries};

/** What a scan found. */
export type ScanResult = {
  readonly isGzip: boolean;
  readonly manifest?: ScannedManifest;
  /** Offset (in the uncompressed tar) where the volume's entries end: the manifest or the end-of-archive blocks. */
  readonly contentEnd: number;
  /** The checksum of the bytes before `contentEnd` as the manifest's version means it (see Manifest.contentSha256); the tree checksum without one. */
  readonly contentSha256: string;
  /** The volume's entries in archive order (the manifest excluded), kept compact: `at(i)` makes one as the lister did. */
  readonly entries: EntryTable;
  readonly fileBytes: number;
  /** Uncompressed tar size. */
  readonly tarBytes: number;
  /** The strip hawser proposes: 0 for hawser's own archives, else the depth of a shared leading directory. */
  readonly proposedStrip: number;
  /** The file as it was read (device, inode, size, mtime and ctime in ns): any write since changes it. */
  readonly identity?: string;
  /** The last entry is hawser's manifest by name and place, but it cannot be read: a damaged hawser archive, not a foreign one. */
  readonly isManifestUnreadable?: boolean;
  /** A hawser manifest that is not the last entry: entries were added after it, or the archive was altered. */
  readonly isManifestMisplaced?: boolean;
  /**
   * Only the headers were read (a structure scan): `contentSha256` is empty and no file has a checksum.
   * The archive is not proven to match its manifest until `proveScan` has read it whole.
   */
  readonly isChecksumPending?: boolean;
  /** Bytes after the end-of-archive blocks (beyond the usual record padding to 10 KiB): read, skipped, never kept. */
  readonly trailingBytes?: number;
};

/** Progress of a scan: uncompressed bytes read, current entry. */
export type ScanProgress = (done: number, current: string) => void;

// The content checksum stops where the manifest's header starts, which is known only once that header
// has been read; hashing (on a worker thread, beside the per-file hashes here) lags behind the parser by
// this much so the boundary is still in hand.
// At least the largest chunk read (4 MiB): the header lies somewhere in the last chunk handed over.
const hashLag = 8 * 1024 * 1024;

/**
 * Reads the whole archive; throws TarFormatError when it is not a complete tar (or tar.gz). Each
 * file is hashed once, and the tree checksum of the whole (manifest version 2) is made from those
 * checksums and the headers. A plain archive ending in a version 1 manifest is hashed once as a whole
 * instead: when that matches, the manifest's file checksums are those of the files (computed from
 * these very bytes); any mismatch reads it once more, hashing every file, to say which differ.
 */
export async function scanArchive(file: string, options: ScanOptions = {}): Promise<ScanResult> {
  const {stream, isGzip} = await openTarStream(file);
  const identity = fileIdentity(await stat(file, {bigint: true}));
  const tail = isGzip || options.isHashingFiles ? undefined : await readTailManifest(file).catch(() => undefined);
  // hawser's own plain archives (manifest version 2) can be checked for structure now and for their checksum later.
  const isStructureOnly = Boolean(options.isStructureOnly) && tail !== undefined && tail.manifest.version >= 2;
  // The gunzip stream hands out fresh chunks; a plain file is read into one reused buffer instead.
  const chunks: ChunkSource = isGzip
    ? stream as AsyncIterable<Buffer>
    : isStructureOnly
      ? (parser, lister) => readHeaders(file, parser, () => lister.current?.name === manifestName, options.signal)
      : readPlain(file, options.signal);
  if (!isGzip) {
    stream.destroy();
  }

  if (isStructureOnly) {
    const scan = await scanChunks(chunks, isGzip, undefined, stream, {...options, isHashingFiles: false, isHashingWhole: false});
    if (fileIdentity(await stat(file, {bigint: true})) !== identity) {
      throw new TarFormatError('the archive file changed while it was read; make sure nothing writes to it, then try again');
    }

    // The headers must lead to the manifest found at the end; anything else (end blocks earlier, a manifest-like
    // tail inside another file's data) is not an archive hawser wrote as it is: it is read whole, and judged now.
    if (!scan.manifest || scan.contentEnd !== tail.offset) {
      return scanArchive(file, {...options, isStructureOnly: false});
    }

    return {...scan, identity, isChecksumPending: true};
  }

  // A version 1 manifest checks the whole as it is: one whole-archive hash, and its file checksums stand.
  const isV1Tail = tail?.manifest.version === 1;
  const modes: ScanModes = {isHashingFiles: !isV1Tail, isHashingWhole: isV1Tail || isGzip || Boolean(options.isHashingWhole)};
  const hasher = modes.isHashingWhole ? new ParallelSha256(hashLag) : undefined;
  let scan: ScanResult;
  try {
    scan = {...await scanChunks(chunks, isGzip, hasher, stream, {...options, ...modes}), identity};
  } finally {
    await hasher?.close();
  }

  if (fileIdentity(await stat(file, {bigint: true})) !== identity) {
    throw new TarFormatError('the archive file changed while it was read; make sure nothing writes to it, then try again');
  }

  const {manifest} = scan;
  // A version 1 manifest found only by reading forward (its end was not where expected): read again, hashing the whole too.
  if (manifest?.version === 1 && !modes.isHashingWhole) {
    return scanArchive(file, {...options, isHashingFiles: true, isHashingWhole: true});
  }

  if (!isV1Tail) {
    return scan;
  }

  // Each element must be its entry's listing (with the checksum this scan did not compute): a manifest that says
  // anything else is read again with every file hashed, so what it says is compared with the bytes.
  if (!manifest || scan.contentEnd !== tail.offset || manifest.contentSha256 !== scan.contentSha256 || manifest.entries.length !== scan.entries.length || !manifest.entries.isPlain) {
    return scanArchive(file, {...options, isHashingFiles: true, isHashingWhole: true});
  }

  for (let index = 0; index < scan.entries.length; index++) {
    const sha256 = scan.entries.type(index) === 'file' ? manifest.entries.givenSha256(index) : undefined;
    if (sha256) {
      scan.entries.setSha256(index, sha256);
    }
  }

  return scan;
}

/** What `scanArchive` is asked for. */
export type ScanOptions = {
  readonly signal?: AbortSignal;
  readonly onProgress?: ScanProgress;
  readonly isHashingFiles?: boolean;
  readonly isHashingWhole?: boolean;
  /** Read only the headers of hawser's own plain archives (see ScanResult.isChecksumPending); other archives are read whole. */
  readonly isStructureOnly?: boolean;
};

/**
 * The whole read of an archive whose structure scan left its checksum pending: the same file (unchanged
 * since), now with every file's checksum and the checksum of the whole. Throws TarFormatError when the
 * file changed; whether the checksum matches the manifest is the caller's to judge.
 */
export async function proveScan(file: string, pending: ScanResult, signal?: AbortSignal): Promise<ScanResult> {
  const scan = await scanArchive(file, {signal});
  if (scan.identity !== pending.identity) {
    throw new TarFormatError('the archive file changed after it was checked; make sure nothing writes to it, then try again');
  }

  return scan;
}

/** What a scan hashes: each file (and from them the tree checksum of the whole), and/or the whole as it is (version 1 manifests). */
type ScanModes = {readonly isHashingFiles: boolean; readonly isHashingWhole: boolean};

/** The chunks a scan reads: a stream, or a reader that follows the parser (and may pass over data it does not need). */
type ChunkSource = AsyncIterable<Buffer> | ((parser: TarParser, lister: EntryLister) => AsyncIterable<Buffer>);

/** The last entry named like the manifest, while no entry has followed it: its data is read as a manifest. */
type Candidate = {
  readonly entry: HashedEntry;
  readonly reader?: ManifestReader;
  readonly entries: ManifestEntries;
  readonly digest?: Promise<string | undefined>;
  listed?: HashedEntry;
};

async function scanChunks(chunkSource: ChunkSource, isGzip: boolean, hasher: ParallelSha256 | undefined, stream: Readable, options: ScanModes & {signal?: AbortSignal; onProgress?: ScanProgress}): Promise<ScanResult> {
  // Per entry only what the table keeps (see entry-table.ts); the manifest is read and matched to it as it arrives.
  const entries = new EntryTable();
  const prefix = new CommonPrefix();
  let hasRoot = false;
  let isManifestNamed = false;
  const keep = (entry: HashedEntry) => {
    entries.push(entry);
    const normalized = normalizeEntryName(entry.name);
    const path = 'path' in normalized ? normalized.path : '';
    hasRoot ||= path === '.';
    isManifestNamed ||= entry.name === manifestName;
    prefix.add(path);
  };

  let candidate: Candidate | undefined;
  let lastSha256: string | undefined;
  const lister = new EntryLister(options.isHashingFiles, entry => {
    lastSha256 = entry.sha256;
    // The candidate is the entry being read whenever there is one (the next entry's start ends it).
    if (candidate) {
      candidate.listed = entry;
    } else {
      keep(entry);
    }
  });
  const tree = options.isHashingFiles ? new TreeSha256(() => parser) : undefined;
  const parser = new TarParser({
    onEntry(entry) {
      // Only the last entry can be the manifest; any entry after a candidate makes it an ordinary file.
      if (candidate) {
        keep(candidate.listed!);
        candidate = undefined;
      }

      lister.handlers.onEntry!(entry);
      tree?.onEntry(entry);
      if (entry.name === manifestName) {
        const manifestEntries = new ManifestEntries(entries);
        const digest = hasher?.digestAt(entry.startOffset);
        // A candidate followed by more entries is dropped; its digest must not become an unhandled rejection.
        digest?.catch(() => undefined);
        candidate = {
          entry,
          entries: manifestEntries,
          digest,
          // Longer than any manifest of hawser's: not read as one (the archive is then a damaged one).
          ...(entry.size <= maxManifestBytes ? {reader: new ManifestReader(value => manifestEntries.add(value), () => manifestEntries.reset())} : {}),
        };
      }
    },
    onData(piece) {
      lister.handlers.onData!(piece);
      tree?.onData(piece);
      if (candidate && candidate.entry === lister.current) {
        candidate.reader?.write(piece);
      }
    },
    onHole(length) {
      lister.handlers.onHole!(length);
    },
    onEntryEnd(entry) {
      lister.handlers.onEntryEnd!(entry);
      tree?.onEntryEnd(entry, lastSha256);
    },
  });
  const chunks = typeof chunkSource === 'function' ? chunkSource(parser, lister) : chunkSource;
  let lastProgress = 0;
  let trailingBytes = 0;
  const abort = () => stream.destroy(new TarFormatError('Cancelled.'));
  options.signal?.addEventListener('abort', abort, {once: true});
  try {
    for await (const chunk of chunks) {
      // What follows the end-of-archive blocks is no part of the archive (readers skip it): it is read
      // to the end, so a damaged gzip stream is still caught, but neither hashed nor kept.
      if (parser.isComplete) {
        trailingBytes += chunk.length;
        continue;
      }

      await hasher?.update(chunk);
      if (tree) {
        tree.write(chunk);
      } else {
        parser.write(chunk);
      }

      if (options.onProgress && parser.offset - lastProgress >= 8 * 1024 * 1024) {
        lastProgress = parser.offset;
        options.onProgress(parser.offset, lister.current?.name ?? '');
      }
    }
  } catch (error) {
    if (options.signal?.aborted) {
      throw new TarFormatError('Cancelled.');
    }

    if (error instanceof TarFormatError) {
      throw error;
    }

    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR') {
      throw new TarFormatError(`the gzip stream is damaged or truncated (${(error as Error).message})`);
    }

    throw error;
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }

  parser.end();
  // The last entry is named like the manifest: it is one when it reads as one, else an ordinary (damaged) entry.
  const header = candidate?.reader?.end();
  const manifest: ScannedManifest | undefined = header && {...header, entries: candidate!.entries};
  if (candidate && !manifest) {
    keep(candidate.listed!);
  }

  const contentEnd = manifest ? candidate!.entry.startOffset : parser.endOfArchiveOffset!;
  // The checksum the manifest's version means; without a manifest, the tree checksum (as hawser would write it).
  const contentSha256 = manifest?.version === 1 || !tree
    ? (await (manifest ? candidate!.digest : hasher?.digestAt(contentEnd))) ?? ''
    : tree.digest(contentEnd);
  // Everything after the two end blocks, record padding included.
  const afterEnd = parser.offset + trailingBytes - (parser.endOfArchiveOffset! + 1024);
  // Names relative to the volume's root (a './' root entry, or hawser's manifest) need no strip.
  const proposedStrip = manifest || hasRoot ? 0 : prefix.depth;
  return {
    isGzip,
    ...(manifest ? {manifest} : {}),
    contentEnd,
    contentSha256,
    entries,
    fileBytes: entries.fileBytes,
    tarBytes: parser.offset + trailingBytes,
    proposedStrip,
    ...(candidate && !manifest ? {isManifestUnreadable: true} : {}),
    ...(isManifestNamed ? {isManifestMisplaced: true} : {}),
    ...(afterEnd > 0 ? {trailingBytes: afterEnd} : {}),
  };
}
