// The manifest hawser writes as the last entry of every archive, `.hawser-manifest.json` (no `./`, so
// it never collides with a file of the volume, whose names all start with `./`). Last, because the
// checksums are known only once the volume's bytes have streamed past.
import type {TarEntryType} from './tar-entry.js';
import {ustarHeader} from './canonical-tar.js';

/** The manifest's entry name. */
export const manifestName = '.hawser-manifest.json';

/** The manifest's format marker. */
export const manifestFormat = 'hawser-volume-archive';

/** One entry of the volume as the manifest records it; `path` is relative to the volume root ('.' for the root). */
export type ListedEntry = {
  readonly path: string;
  readonly type: TarEntryType;
  readonly size: number;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly mtime: number;
  /**
   * The mtime as exact decimal text when it has a fraction (`1700000000.123456789`: a number holds only some
   * 238 ns of it); absent in manifests written before it was recorded, whose fraction is the number's.
   */
  readonly mtimeText?: string;
  /** Symlink target, or for a hardlink the path it links to. */
  readonly link?: string;
  /** sha256 of a regular file's bytes, hex. */
  readonly sha256?: string;
};

/** The manifest. */
export type Manifest = {
  readonly format: typeof manifestFormat;
  /** 2 since the checksum of the whole became a tree checksum (see contentSha256); 1 is still read. */
  readonly version: 1 | 2;
  readonly volume: {readonly name: string; readonly driver: string; readonly labels: Readonly<Record<string, string>>};
  readonly createdAt: string;
  readonly engine: {readonly version: string; readonly apiVersion: string; readonly os: string; readonly name: string};
  readonly entryCount: number;
  /** Sum of the regular files' sizes. */
  readonly totalBytes: number;
  /**
   * The checksum of the whole, over every tar byte before the manifest entry (the volume's archive), hex.
   * Version 2: sha256 of those bytes with each regular file's data left out and its own sha256 (32
   * bytes) after its block padding instead (see tree-hash.ts), so each file is hashed once. Version 1: sha256 of the bytes as they are.
   */
  readonly contentSha256: string;
  readonly entries: readonly ListedEntry[];
};

/** Parses and checks a manifest; undefined when the text is not one of hawser's manifests. */
export function parseManifest(text: string): Manifest | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }

  if (typeof value !== 'object' || value === null) {
    return undefined;
  }

  const manifest = value as Partial<Manifest>;
  if (manifest.format !== manifestFormat || (manifest.version !== 1 && manifest.version !== 2) || !Array.isArray(manifest.entries) || typeof manifest.contentSha256 !== 'string'
    || typeof manifest.volume?.name !== 'string' || typeof manifest.entryCount !== 'number' || typeof manifest.totalBytes !== 'number') {
    return undefined;
  }

  return manifest as Manifest;
}

/** Encodes a regular-file ustar header for a small in-memory entry (the manifest), as the canonical stream writes headers. */
export function encodeFileHeader(name: string, size: number, mtimeSeconds: number): Buffer {
  return ustarHeader({name: Buffer.from(name, 'utf8'), flag: '0', size, mtime: Math.floor(mtimeSeconds)});
}

/** The manifest as a tar entry followed by the end-of-archive blocks. */
export function manifestTail(manifest: Manifest): Buffer {
  const body = Buffer.from(`${JSON.stringify(manifest)}\n`, 'utf8');
  const padding = (512 - (body.length % 512)) % 512;
  return Buffer.concat([encodeFileHeader(manifestName, body.length, Date.parse(manifest.createdAt) / 1000), body, Buffer.alloc(padding + 1024)]);
}

/** The manifest version hawser writes. */
export const manifestVersion = 2;
