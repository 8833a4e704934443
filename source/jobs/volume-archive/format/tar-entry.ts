// What reading a tar gives: the entries (after PAX and GNU long-name records are applied), the
// handlers a reader is called with, and how it refuses bytes that are not a (complete, unambiguous) tar.
import {printablePath} from './path-bytes.js';
import type {SparseMap} from './tar-sparse.js';

/** The kinds of entries hawser understands. */
export type TarEntryType = 'file' | 'hardlink' | 'symlink' | 'directory' | 'fifo' | 'char-device' | 'block-device';

/** One entry's header, after PAX and GNU long-name records have been applied. */
export type TarEntry = {
  readonly name: string;
  readonly type: TarEntryType;
  readonly size: number;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Seconds since the epoch (PAX may give a fraction). */
  readonly mtime: number;
  /** The PAX mtime record as written (seconds with up to nanoseconds), when it had a fraction: kept exact, as a number cannot. */
  readonly mtimeText?: string;
  readonly linkname: string;
  /**
   * The PAX records that describe the file beyond its header and that hawser keeps on restore: extended
   * attributes (`SCHILY.xattr.*`, also from libarchive's `LIBARCHIVE.xattr.*`) and POSIX ACLs
   * (`SCHILY.acl.access`, `SCHILY.acl.default`), values as bytes.
   */
  readonly extended?: ReadonlyMap<string, Buffer>;
  /**
   * A sparse file's map (see tar-sparse.ts): `size` is then the file's real size, its data arrives as the
   * segments' bytes (onData) with the holes between them as onHole.
   */
  readonly sparse?: SparseMap;
  /** Offset of the first header block of this entry, PAX/GNU records included. */
  readonly startOffset: number;
};

/** The bytes are not a (complete) tar archive. */
export class TarFormatError extends Error {
  override readonly name = 'TarFormatError';
}

/** What the parser calls as it reads. */
export type TarHandlers = {
  readonly onEntry?: (entry: TarEntry) => void;
  readonly onData?: (chunk: Buffer) => void;
  /** A hole of a sparse file: `length` bytes of zeros between the data around it. */
  readonly onHole?: (length: number) => void;
  readonly onEntryEnd?: (entry: TarEntry) => void;
};

/** What to do with an archive that tar readers could read differently. */
export const convertAdvice = 're-create the archive with GNU tar, or convert it with `bsdtar -cf new.tar @old.tar`';

/** Where a header is, for messages: its offset and, once known, the entry it describes. */
export type HeaderAt = {readonly offset: number; readonly entry?: string; readonly isExtended?: boolean};

/** A header as messages name it: `the header at byte N (entry "NAME")`. */
export function headerName(at: HeaderAt): string {
  const what = at.isExtended ? 'the extended header' : 'the header';
  return `${what} at byte ${at.offset}${at.entry === undefined ? '' : ` (entry "${printablePath(at.entry)}")`}`;
}

/** The refusal of a header that tar readers could read differently. */
export function ambiguous(at: HeaderAt, problem: string, advice = convertAdvice): TarFormatError {
  return new TarFormatError(`${headerName(at)} ${problem}, which tar readers do not all read alike; ${advice}`);
}

/** Bytes as a message may quote them: printable ASCII as is, anything else escaped. */
export function shown(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) {
    text += byte === 0 ? '\\0' : byte >= 0x20 && byte < 0x7f && byte !== 0x22 && byte !== 0x5c ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
  }

  return `"${text}"`;
}
