// What a header block means: its type flag (an entry, a meta header, or a type hawser refuses), its
// layout (ustar, GNU, v7), and the entry it describes once the PAX and GNU long-name records before it
// are applied.
import {pathText} from './path-bytes.js';
import {ambiguous, headerName, shown, TarFormatError, type HeaderAt, type TarEntry, type TarEntryType} from './tar-entry.js';
import {readNumbers, readString} from './tar-fields.js';
import {keptRecords} from './tar-pax.js';

const typeOf: Readonly<Record<string, TarEntryType>> = {
  '0': 'file', '\0': 'file', '7': 'file', '1': 'hardlink', '2': 'symlink', '3': 'char-device', '4': 'block-device', '5': 'directory', '6': 'fifo',
};

// Types hawser refuses, in words, with what to do instead. GNU tar, Go and libarchive each treat these
// their own way (or not at all), so hawser cannot say what a restore would write.
const unsupportedTypes: Readonly<Record<string, readonly [what: string, advice: string]>> = {
  D: ['a GNU incremental-backup directory listing (dumpdir)', 'extract it with GNU tar, then create a plain archive with `tar --format=posix -cf` (without --listed-incremental)'],
  V: ['a GNU tar volume label', 're-create the archive without --label (-V), or convert it with `bsdtar -cf new.tar @old.tar`'],
  M: ['the rest of a file begun on the previous volume of a multi-volume archive', 'extract all the volumes with GNU tar (`tar -xMf`), then create one archive with `tar --format=posix -cf`'],
  N: ['an old GNU tar record of long names (type N)', 'extract it with GNU tar, then create the archive again with `tar --format=posix -cf`'],
  X: ['a Solaris extended header (type X)', 'convert it with `bsdtar -cf new.tar @old.tar`'],
};

function unsupportedType(flag: string, at: HeaderAt): TarFormatError {
  const shownFlag = shown(Buffer.from(flag, 'latin1'));
  const [what, advice] = unsupportedTypes[flag] ?? [flag >= 'A' && flag <= 'Z' ? `of the vendor-specific type ${shownFlag}` : `of the unknown type ${shownFlag}`, 're-create the archive with GNU tar'];
  return new TarFormatError(`${headerName(at)} is ${what}, which hawser does not restore; ${advice}`);
}

/** What a meta header is, for messages. */
export const metaNames: Readonly<Record<string, string>> = {x: 'PAX extended header', g: 'PAX global header', L: 'GNU long-name record', K: 'GNU long-link record'};

/** The header's layout: ustar (with a name prefix at byte 345), GNU (no prefix) or old v7; refuses a magic readers tell apart differently. */
function headerLayout(header: Buffer, at: HeaderAt): 'ustar' | 'gnu' | 'v7' {
  const magic = header.toString('latin1', 257, 263);
  if (magic === 'ustar\0') {
    // star's layout ("tar\0" at the end) has a 131-byte prefix: Go stops there, GNU tar and libarchive read on to a NUL.
    if (header.toString('latin1', 508, 512) === 'tar\0' && !header.subarray(345, 476).includes(0)) {
      throw ambiguous(at, 'has star\'s trailer and a name prefix longer than star\'s');
    }

    return 'ustar';
  }

  if (magic === 'ustar ' && header.toString('latin1', 263, 265) === ' \0') {
    return 'gnu';
  }

  // libarchive takes any "ustar" as ustar (and reads a name prefix); GNU tar and Go take only these two.
  if (magic.startsWith('ustar')) {
    throw ambiguous(at, `has the magic ${shown(header.subarray(257, 265))}, an old v7 header to GNU tar and Go but ustar (with a name prefix) to libarchive`);
  }

  return 'v7';
}

/** What was read for the coming entry before its header: PAX records (its own and the global ones), GNU long names, where its first header is. */
export type PendingRecords = {
  readonly pax: ReadonlyMap<string, Buffer>;
  readonly globalPax: ReadonlyMap<string, Buffer>;
  readonly longName: string | undefined;
  readonly longLink: string | undefined;
  /** Offset of the entry's first (meta) header; -1 when the entry's own header is its first. */
  readonly entryStart: number;
};

/**
 * The entry an entry header describes, with the records read before it applied (`isSparse`: its data is a
 * sparse file's, its map still to be read); throws when tar readers would read it differently.
 */
export function entryOfHeader(header: Buffer, flag: string, headerOffset: number, pending: PendingRecords): {readonly entry: TarEntry; readonly isSparse: boolean} {
  const type = flag === 'S' ? 'file' : typeOf[flag];
  if (!type) {
    throw unsupportedType(flag, {offset: headerOffset, entry: pending.longName ?? readString(header, 0, 100)});
  }

  const prefix = headerLayout(header, {offset: headerOffset}) === 'ustar' ? readString(header, 345, 155) : '';
  const rawName = readString(header, 0, 100);
  const pax = new Map([...pending.globalPax, ...pending.pax]);
  const text = (key: string) => pax.get(key)?.toString('utf8');
  const isSparse = flag === 'S' || [...pax.keys()].some(key => key.startsWith('GNU.sparse.'));
  // A sparse file's own name: GNU tar and bsdtar put a made-up one (…/GNUSparseFile.N/…) in the header.
  const paxPath = pax.get('GNU.sparse.name') ?? pax.get('path');
  const paxLink = pax.get('linkpath');
  const name = (paxPath && pathText(paxPath)) ?? pending.longName ?? (prefix ? `${prefix}/${rawName}` : rawName);
  const at = {offset: headerOffset, entry: name};
  // GNU tar takes the PAX name over a GNU long name, Go the other way round.
  if ((paxPath && pending.longName !== undefined) || (paxLink && pending.longLink !== undefined)) {
    throw ambiguous(at, 'has both a PAX name and a GNU long name');
  }

  // GNU tar reads an empty name as "." (the directory restored into), Go as a name of its own.
  if (name === '') {
    throw ambiguous(at, 'has an empty name');
  }

  const numbers = readNumbers(header, at);
  const paxSize = text('size');
  // Go and libarchive skip no data after a link, directory or device whatever its size says; GNU tar skips
  // it (but not a directory's), so one reads the data as the next headers and the others do not.
  if (type !== 'file' && (numbers.size !== 0 || (paxSize !== undefined && Number(paxSize) !== 0))) {
    throw ambiguous(at, `is a ${type} whose size is ${paxSize ?? numbers.size}, not 0 (tar readers disagree on whether data follows)`);
  }

  // GNU tar (and Go, for type '\0') makes a directory of a file whose name ends in "/", others a file.
  if (type !== 'directory' && name.endsWith('/')) {
    throw ambiguous(at, `is a ${type} whose name ends in "/"`);
  }

  const paxMtime = text('mtime');
  const extended = keptRecords(pax);
  const stored = type === 'file' && paxSize !== undefined ? Number(paxSize) : numbers.size;
  const entry: TarEntry = {
    name,
    type,
    size: stored,
    mode: numbers.mode & 0o7777,
    uid: pax.has('uid') ? Number(text('uid')) : numbers.uid,
    gid: pax.has('gid') ? Number(text('gid')) : numbers.gid,
    mtime: paxMtime === undefined ? numbers.mtime : Number(paxMtime),
    ...(paxMtime?.includes('.') ? {mtimeText: paxMtime} : {}),
    linkname: (paxLink && pathText(paxLink)) ?? pending.longLink ?? readString(header, 157, 100),
    startOffset: pending.entryStart === -1 ? headerOffset : pending.entryStart,
    ...(extended ? {extended} : {}),
  };
  if (!Number.isSafeInteger(entry.size) || entry.size < 0) {
    throw new TarFormatError(`entry "${name}" has an impossible size`);
  }

  return {entry, isSparse};
}
