// Reads a whole archive file (tar or tar.gz) once: is it complete, what does it hold, does it carry
// hawser's manifest, and where do the volume's bytes end. Nothing is sent anywhere while scanning.
import {createReadStream, statSync, type BigIntStats} from 'node:fs';
import {open, stat} from 'node:fs/promises';
import {createGunzip} from 'node:zlib';
import type {Readable} from 'node:stream';
import {ArchiveChecker, ArchiveRefusal, CommonPrefix, normalizeEntryName, stripComponents, type CheckedEntry, type CheckedFields} from './archive-rules.js';
import {EntryLister, toListed, type HashedEntry} from './entry-lister.js';
import {EntryTable} from './entry-table.js';
import {ManifestEntries} from './manifest-entries.js';
import {ManifestReader, type ManifestHeader} from './manifest-reader.js';
import {ParallelSha256} from './parallel-hash.js';
import {manifestName, type ListedEntry} from './manifest.js';
import {TarFormatError, TarParser} from './tar-parser.js';
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

/** What changes whenever a file is written to or replaced: device, inode, size, mtime and ctime (ns; ctime cannot be set back). */
export function fileIdentity(stats: BigIntStats): string {
  return [stats.dev, stats.ino, stats.size, stats.mtimeNs, stats.ctimeNs].join(':');
}

/** Why `file` cannot be an archive to read (missing, a folder, not a plain file), or undefined when it can. */
export function archiveFileProblem(file: string): {readonly message: string; readonly hint: string} | undefined {
  const stats = statSync(file, {throwIfNoEntry: false});
  const hint = 'Give the path of a .tar or .tar.gz file (hawser backup writes them to the backups folder).';
  if (!stats) {
    return {message: `There is no archive at ${file}.`, hint};
  }

  return stats.isFile() ? undefined : {message: `${file} is ${stats.isDirectory() ? 'a folder' : 'not a plain file'}, not an archive.`, hint};
}

/** Progress of a scan: uncompressed bytes read, current entry. */
export type ScanProgress = (done: number, current: string) => void;

/** Opens the archive's uncompressed tar stream; gzip is recognised by its magic bytes, not the name. */
export async function openTarStream(file: string): Promise<{stream: Readable; isGzip: boolean; fileSize: number}> {
  const handle = await open(file, 'r');
  let isGzip = false;
  let fileSize = 0;
  try {
    const magic = Buffer.alloc(2);
    await handle.read(magic, 0, 2, 0);
    isGzip = magic[0] === 0x1f && magic[1] === 0x8b;
    fileSize = (await handle.stat()).size;
  } finally {
    await handle.close();
  }

  const raw = createReadStream(file, {highWaterMark: 1024 * 1024});
  if (!isGzip) {
    return {stream: raw, isGzip, fileSize};
  }

  const gunzip = createGunzip({chunkSize: 256 * 1024});
  raw.on('error', error => gunzip.destroy(error));
  return {stream: raw.pipe(gunzip), isGzip, fileSize};
}

// The content checksum stops where the manifest's header starts, which is known only once that header
// has been read; hashing (on a worker thread, beside the per-file hashes here) lags behind the parser by
// this much so the boundary is still in hand.
// At least the largest chunk read (4 MiB): the header lies somewhere in the last chunk handed over.
const hashLag = 8 * 1024 * 1024;

/**
 * The plain archive's bytes, read into two reused buffers: the next read runs (on libuv's threads)
 * while the caller works on the chunk it was given, which stays valid until it asks for the one after.
 */
async function * readPlain(file: string, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const handle = await open(file, 'r');
  const buffers = [Buffer.allocUnsafeSlow(4 * 1024 * 1024), Buffer.allocUnsafeSlow(4 * 1024 * 1024)];
  let turn = 0;
  let next = handle.read(buffers[turn]!, 0, buffers[turn]!.length, null);
  try {
    while (true) {
      if (signal?.aborted) {
        throw new TarFormatError('Cancelled.');
      }

      const {bytesRead, buffer} = await next;
      if (bytesRead === 0) {
        return;
      }

      turn = 1 - turn;
      next = handle.read(buffers[turn]!, 0, buffers[turn]!.length, null);
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await next.catch(() => undefined);
    await handle.close();
  }
}

/**
 * A plain archive's headers (and the manifest's data), with every other file's data passed over by
 * a seek: reads only where `parser` is. For 1 GiB in 200 files that is some 300 reads of 64 KiB.
 */
async function * readHeaders(file: string, parser: TarParser, isDataNeeded: () => boolean, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const handle = await open(file, 'r');
  const buffer = Buffer.allocUnsafeSlow(64 * 1024);
  try {
    while (true) {
      if (signal?.aborted) {
        throw new TarFormatError('Cancelled.');
      }

      if (!isDataNeeded()) {
        parser.skipData(parser.skippableData);
      }

      const {bytesRead} = await handle.read(buffer, 0, buffer.length, parser.offset);
      if (bytesRead === 0) {
        return;
      }

      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/**
 * hawser's manifest (all but its entries, which are read through and let go), read from the end of a
 * plain archive without reading the rest: the last entry before the two end-of-archive blocks. Undefined when the end is anything else (a foreign archive,
 * record padding, damage); the full scan then decides. Read backwards block by block: the manifest is
 * JSON, which holds no NUL byte, so every block between its header and its last (NUL-padded) block is
 * text, and the first other block ends the search: any other tar is given up on within a block or two.
 */
export async function readTailManifest(file: string): Promise<{readonly manifest: ManifestHeader; readonly offset: number} | undefined> {
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    if (size % 512 !== 0 || size < 3 * 512) {
      return undefined;
    }

    // The end-of-archive blocks, and before them the manifest's last block: text, then NUL padding.
    const end = Buffer.alloc(1536);
    await handle.read(end, 0, end.length, size - end.length);
    const last = end.subarray(0, 512);
    const padding = last.indexOf(0);
    if (end.subarray(512).some(byte => byte !== 0) || padding === 0 || (padding !== -1 && last.subarray(padding).some(byte => byte !== 0))) {
      return undefined;
    }

    const name = Buffer.from(`${manifestName}\0`, 'latin1');
    const chunk = Buffer.alloc(1024 * 1024);
    let chunkStart = size - 1024;
    for (let at = size - 1536; at >= 0 && size - at <= maxManifestBytes; at -= 512) {
      if (at < chunkStart) {
        chunkStart = Math.max(0, at + 512 - chunk.length);
        await handle.read(chunk, 0, at + 512 - chunkStart, chunkStart);
      }

      const header = chunk.subarray(at - chunkStart, at - chunkStart + 512);
      if (header.compare(name, 0, name.length, 0, name.length) === 0) {
        const bodySize = Number.parseInt(header.toString('latin1', 124, 136).replace(/\0.*$/s, '').trim() || 'x', 8);
        const bodyStart = at + 512;
        if (!Number.isSafeInteger(bodySize) || String.fromCharCode(header[156]!) !== '0' || bodyStart + Math.ceil(bodySize / 512) * 512 + 1024 !== size) {
          return undefined;
        }

        // Read through, its entries passed over: only the other members are kept (see manifest-reader.ts).
        const reader = new ManifestReader();
        for (let done = 0; done < bodySize;) {
          const {bytesRead} = await handle.read(chunk, 0, Math.min(chunk.length, bodySize - done), bodyStart + done);
          if (bytesRead === 0) {
            return undefined;
          }

          reader.write(chunk.subarray(0, bytesRead));
          done += bytesRead;
        }

        const manifest = reader.end();
        return manifest ? {manifest, offset: at} : undefined;
      }

      // The manifest's last block was checked above; every block before it, up to its header, is text.
      if (at < size - 1536 && header.includes(0)) {
        return undefined;
      }
    }

    return undefined;
  } finally {
    await handle.close();
  }
}

/** The manifest of a volume with a million files is some 150 MB; a tail longer than this is not one of hawser's. */
const maxManifestBytes = 256 * 1024 * 1024;

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

/** What a restore writes, entry by entry: see planEntries. */
export type EntryPlan = {
  /** The entries written, in archive order, with their paths after the strip: made anew each time it is read (for 100,000 files, 100,000 objects). */
  readonly entries: readonly CheckedEntry[];
  /** The volume as it will be listed after the restore: one entry per path, the last of a repeated one. Made when first asked for, then kept. */
  readonly listing: readonly ListedEntry[];
  /** How many entries `listing` has (known without making it). */
  readonly listingCount: number;
  /** Indexes (in `scan.entries`) of entries left out: stripped away whole, or named again later in the archive. */
  readonly skipped: ReadonlySet<number>;
  /** How many names began with "/" (tar strips the "/" and so does hawser). */
  readonly absoluteNames: number;
  /** The entries written that carry extended attributes, ACLs or a sparse map: the few later checks look at (made anew each time). */
  notable(): CheckedEntry[];
};

/**
 * The entries as they will be restored with `strip`; throws ArchiveRefusal with the first reason to refuse.
 * A path named twice is restored as its last entry on both paths, as tar leaves it: the earlier ones are
 * not written at all (directories excepted: a later one only sets the attributes again).
 */
export function planEntries(scan: ScanResult, strip: number): EntryPlan {
  // Asked for by each step of a restore: made once per scan and strip.
  const known = plans.get(scan)?.get(strip);
  if (known) {
    return known;
  }

  const plan = makeEntryPlan(scan, strip);
  plans.set(scan, new Map([...plans.get(scan) ?? [], [strip, plan]]));
  return plan;
}

const plans = new WeakMap<ScanResult, Map<number, EntryPlan>>();

/**
 * One pass over the entries, in archive order, keeping per path only its kind and last entry's index (in
 * the checker): an entry is left out when a later one names its path again, and a hardlink is refused
 * when the entry it points to is left out that way.
 */
function makeEntryPlan(scan: ScanResult, strip: number): EntryPlan {
  if (scan.manifest && strip > 0) {
    throw new ArchiveRefusal('this archive was made by hawser: its entries are already relative to the volume\'s root, so there is nothing to strip');
  }

  const table = scan.entries;
  const header = (index: number): CheckedFields => ({name: table.name(index), type: table.type(index), size: table.size(index), linkname: table.linkname(index)});
  if (strip > 0) {
    // The archive must be safe as it stands too: a strip must never turn `link -> /etc`, `link/x` into something acceptable.
    const unstripped = new ArchiveChecker(0);
    for (let index = 0; index < table.length; index++) {
      unstripped.check(header(index));
    }
  }

  // The checker keeps per path its kind and last entry's index: all the plan needs across entries.
  const checker = new ArchiveChecker(strip);
  let paths = 0;
  const skipped = new Set<number>();
  // Hardlinks by the path they point to, while that path's entry is still the last one of its name.
  const waiting = new Map<string, number[]>();
  // Hardlinks whose target entry was named again later (refused unless left out themselves).
  const orphaned: number[] = [];
  for (let index = 0; index < table.length; index++) {
    const entry = checker.check(header(index), index);
    if (!entry) {
      skipped.add(index);
      continue;
    }

    if (entry.type === 'hardlink' && entry.linkPath !== undefined) {
      waiting.set(entry.linkPath, [...waiting.get(entry.linkPath) ?? [], index]);
    }

    const {previous} = checker;
    if (previous === undefined) {
      paths++;
    } else {
      if (table.type(previous) !== 'directory') {
        skipped.add(previous);
      }

      orphaned.push(...waiting.get(entry.path) ?? []);
      waiting.delete(entry.path);
    }
  }

  const refused = orphaned.filter(index => !skipped.has(index)).sort((a, b) => a - b)[0];
  if (refused !== undefined) {
    throw new ArchiveRefusal(`the hardlink "${table.name(refused)}" points to "${table.linkname(refused)}", which the archive names again later: tar tools disagree on which of the two it means. Re-create the archive without the repeated name`);
  }

  if (paths === 0) {
    throw new ArchiveRefusal(strip > 0 ? `stripping ${strip} leading components leaves nothing to restore` : 'the archive holds no entries');
  }

  let absoluteNames = 0;
  for (let index = 0; index < table.length; index++) {
    if (!skipped.has(index) && table.name(index).startsWith('/')) {
      absoluteNames++;
    }
  }

  const written = function * (isWanted: (index: number) => boolean = () => true): Generator<CheckedEntry> {
    for (let index = 0; index < table.length; index++) {
      if (!skipped.has(index) && isWanted(index)) {
        yield asChecked(table.at(index), strip);
      }
    }
  };

  let listing: readonly ListedEntry[] | undefined;
  return {
    get entries() {
      return [...written()];
    },
    // Made when first asked for (verify never asks): a second copy of every entry otherwise, for 100,000 files some 25 MB.
    get listing() {
      if (!listing) {
        const byPath = new Map<string, ListedEntry>();
        for (const entry of written()) {
          byPath.set(entry.path, toListed(entry, entry.path, entry.linkPath));
        }

        listing = [...byPath.values()];
      }

      return listing;
    },
    listingCount: paths,
    skipped,
    absoluteNames,
    notable: () => [...written(index => table.isNotable(index))],
  };
}

/** An entry the plan keeps, with its paths after the strip, as ArchiveChecker made them when it passed. */
function asChecked(entry: HashedEntry, strip: number): CheckedEntry {
  const normalized = normalizeEntryName(entry.name);
  const path = 'path' in normalized ? stripComponents(normalized.path, strip) : undefined;
  const target = entry.type === 'hardlink' ? normalizeEntryName(entry.linkname) : undefined;
  const linkPath = target && 'path' in target ? stripComponents(target.path, strip) : undefined;
  // Object.assign rather than a spread: the copies share one hidden class (see EntryLister).
  return Object.assign({}, entry, linkPath === undefined ? {path: path!} : {path: path!, linkPath});
}
