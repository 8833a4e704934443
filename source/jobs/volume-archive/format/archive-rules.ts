// The rules an archive must follow before hawser sends it to the engine. The engine refuses `../x`
// and links pointing outside, but `evil -> /etc` followed by `evil/pwned` writes into the helper's own
// /etc, so every entry is checked here, on the client, before anything is written. Pure.
import {pathBytes} from './path-bytes.js';
import type {TarEntry} from './tar-entry.js';

/** What a user can do with an archive hawser refuses for one entry: rebuild it without that entry. */
export const rebuildHint = 'To restore the rest, extract it yourself (tar -xf FILE -C DIR), remove or fix that entry, and archive the folder again (tar -C DIR -cf new.tar .).';

/** Why an archive is refused, and what the user can do about it. */
export class ArchiveRefusal extends Error {
  override readonly name = 'ArchiveRefusal';
  constructor(message: string, readonly hint: string = rebuildHint) {
    super(message);
  }
}

/** Largest single file hawser accepts (a size field beyond this is damage, not data). */
export const maxEntrySize = 2 ** 44;

/** Largest entry name, in bytes (Linux PATH_MAX). */
const maxNameBytes = 4096;

/**
 * Normalizes an entry name to a path relative to the volume root: './a/b/' → 'a/b', './' → '.', and an
 * absolute '/a/b' → 'a/b', as tar extracts it (the restore's preview says so). Returns the reason
 * instead when the name climbs with '..', holds a NUL, or is empty.
 */
export function normalizeEntryName(name: string): {path: string} | {reason: string} {
  // Most names are normal already (or only start with './'): the same text, without splitting it or measuring its bytes.
  const simple = simpleForm(name);
  if (simple !== undefined) {
    return {path: simple};
  }

  if (name === '') {
    return {reason: 'an entry has an empty name'};
  }

  if (name.includes('\0')) {
    return {reason: 'an entry name holds a NUL byte'};
  }

  if (pathBytes(name).length > maxNameBytes) {
    return {reason: `an entry name is longer than ${maxNameBytes} bytes`};
  }

  const parts = name.split('/').filter(part => part !== '' && part !== '.');
  if (parts.includes('..')) {
    return {reason: `"${name}" climbs out of the volume with ".."`};
  }

  return {path: parts.length === 0 ? '.' : parts.join('/')};
}

/**
 * The normalized path of a name that is normal but for leading './' (what the split and join below would
 * make of it, the same string or a slice of it); undefined for any other name, which takes the full way.
 */
function simpleForm(name: string): string | undefined {
  // Within 1,365 UTF-16 units a name is at most 4,096 bytes (3 a unit; 4 a surrogate pair), and '\0' is checked here.
  if (name.length > 1365 || name.includes('\0')) {
    return undefined;
  }

  let start = 0;
  while (name.startsWith('./', start)) {
    start += 2;
  }

  const rest = start === 0 ? name : name.slice(start);
  const isNormal = rest !== '' && rest !== '.' && rest !== '..' && !rest.startsWith('/') && !rest.startsWith('../') && !rest.endsWith('/')
    && !rest.endsWith('/.') && !rest.endsWith('/..') && !rest.includes('//') && !rest.includes('/./') && !rest.includes('/../');
  return isNormal ? rest : undefined;
}

/** The path with its first `count` components removed, or undefined when nothing is left (tar --strip-components). */
export function stripComponents(path: string, count: number): string | undefined {
  if (count === 0) {
    return path;
  }

  if (path === '.') {
    return undefined;
  }

  const parts = path.split('/');
  return parts.length > count ? parts.slice(count).join('/') : undefined;
}

function parentsOf(path: string): string[] {
  const parts = path.split('/');
  const parents: string[] = [];
  for (let i = 1; i < parts.length; i++) {
    parents.push(parts.slice(0, i).join('/'));
  }

  return parents;
}

/** Where a relative symlink target lands, or undefined when it climbs above the root. */
export function resolveLinkTarget(entryPath: string, target: string): string | undefined {
  const parts = entryPath === '.' ? [] : entryPath.split('/').slice(0, -1);
  for (const part of target.split('/')) {
    if (part === '' || part === '.') {
      continue;
    }

    if (part === '..') {
      if (parts.length === 0) {
        return undefined;
      }

      parts.pop();
    } else {
      parts.push(part);
    }
  }

  return parts.length === 0 ? '.' : parts.join('/');
}

/** An entry as restored: its path relative to the volume root (after any strip). */
export type CheckedEntry = TarEntry & {readonly path: string; readonly linkPath?: string};

const kindTypes: readonly TarEntry['type'][] = ['file', 'hardlink', 'symlink', 'directory', 'fifo', 'char-device', 'block-device'];
const kindCodes = new Map(kindTypes.map((type, code) => [type, code]));

/** What ArchiveChecker looks at in an entry. */
export type CheckedFields = Pick<TarEntry, 'name' | 'type' | 'size' | 'linkname'>;

/**
 * Checks entries one by one, in archive order, remembering which paths are symlinks or files so an
 * entry that goes through one is refused. Entries a strip removes entirely are returned as undefined.
 */
export class ArchiveChecker {
  // One small integer per path (entries and the folders they imply): its kind, and the index of its last entry
  // when the caller gives indexes (kind code + 8 × (index + 1)); all that the checks of later entries and a plan need.
  private readonly kinds = new Map<string, number>();

  /** After `check(entry, index)`: the index of the last entry before it with the same path (after the strip), if any. */
  previous: number | undefined;

  constructor(private readonly strip = 0) {}

  private kindOf(path: string): TarEntry['type'] | undefined {
    const value = this.kinds.get(path);
    return value === undefined ? undefined : kindTypes[value % 8];
  }

  /**
   * Checks one entry (only its name, type, size and link target are looked at); throws ArchiveRefusal with the
   * reason. `index`: the entry's place in the archive, remembered per path (see `previous`).
   */
  check<E extends CheckedFields>(entry: E, index = -1): (E & {readonly path: string; readonly linkPath?: string}) | undefined {
    const normalized = normalizeEntryName(entry.name);
    if ('reason' in normalized) {
      throw new ArchiveRefusal(normalized.reason);
    }

    const path = stripComponents(normalized.path, this.strip);
    if (path === undefined) {
      return undefined;
    }

    if (entry.size > maxEntrySize) {
      throw new ArchiveRefusal(`"${entry.name}" claims ${entry.size} bytes, which is not a sane size`);
    }

    if (entry.type === 'char-device' || entry.type === 'block-device') {
      throw new ArchiveRefusal(`"${entry.name}" is a device node; hawser does not put device nodes into volumes`, 'Device nodes belong in an image or come from the host at run time (--device), not in a volume. Leave it out when you archive (tar --exclude=PATH), or extract the archive yourself and archive the folder again without it.');
    }

    for (const parent of parentsOf(path)) {
      const kind = this.kindOf(parent);
      if (kind === 'symlink') {
        throw new ArchiveRefusal(`"${entry.name}" would be written through the symlink "${parent}"`, `Writing through a symlink could land outside the volume, so hawser never does. If "${parent}" should be a folder, extract the archive yourself, fix it, and archive the folder again (tar -C DIR -cf new.tar .).`);
      }

      if (kind !== undefined && kind !== 'directory') {
        throw new ArchiveRefusal(`"${entry.name}" would be written below "${parent}", which is not a directory`);
      }
    }

    if (path === '.' && entry.type !== 'directory') {
      throw new ArchiveRefusal(`"${entry.name}" names the volume's root but is not a directory`);
    }

    let linkPath: string | undefined;
    if (entry.type === 'symlink') {
      if (entry.linkname === '') {
        throw new ArchiveRefusal(`the symlink "${entry.name}" has no target`);
      }

      // Absolute targets are how the container that mounts the volume sees its files; they are kept
      // as they are and never followed (nothing is written through a symlink). Relative ones must stay inside.
      if (!entry.linkname.startsWith('/') && resolveLinkTarget(path, entry.linkname) === undefined) {
        throw new ArchiveRefusal(`the symlink "${entry.name}" points outside the volume (${entry.linkname})`);
      }
    }

    if (entry.type === 'hardlink') {
      const target = normalizeEntryName(entry.linkname);
      if ('reason' in target) {
        throw new ArchiveRefusal(`the hardlink "${entry.name}" points outside the volume: ${target.reason}`);
      }

      linkPath = stripComponents(target.path, this.strip);
      if (linkPath === undefined || this.kindOf(linkPath) !== 'file') {
        throw new ArchiveRefusal(`the hardlink "${entry.name}" points to "${entry.linkname}", which is not a file earlier in the archive`);
      }
    }

    const value = this.kinds.get(path);
    const previous = value === undefined ? undefined : kindTypes[value % 8];
    if (previous === 'directory' && entry.type !== 'directory') {
      throw new ArchiveRefusal(`"${entry.name}" would replace a directory of the same name`);
    }

    // A folder the entry lies in, named or not, is a folder from now on: both extractors make it one.
    for (const parent of parentsOf(path)) {
      if (!this.kinds.has(parent)) {
        this.kinds.set(parent, kindCodes.get('directory')!);
      }
    }

    const last = value === undefined ? 0 : Math.floor(value / 8);
    this.previous = last > 0 ? last - 1 : undefined;
    this.kinds.set(path, kindCodes.get(entry.type === 'hardlink' ? 'file' : entry.type)! + 8 * (index >= 0 ? index + 1 : last));
    // Object.assign rather than a spread: the copies share one hidden class (see EntryLister).
    return Object.assign({}, entry, linkPath === undefined ? {path} : {path, linkPath});
  }
}

/**
 * commonPrefixDepth, path by path as the entries are read, keeping only the longest path of one
 * chain (every path so far lies on it) or, once two paths part, their common part: a path that is a
 * prefix of what is kept is a folder of paths already seen, which commonPrefixDepth leaves out too.
 */
export class CommonPrefix {
  private kept: string[] | undefined;
  private isParted = false;

  add(path: string): void {
    if (path === '.') {
      return;
    }

    const parts = path.split('/');
    if (this.kept === undefined) {
      this.kept = parts;
      return;
    }

    let shared = 0;
    while (shared < this.kept.length && shared < parts.length && this.kept[shared] === parts[shared]) {
      shared++;
    }

    if (shared === parts.length) {
      // A folder of what is kept (or the same path again).
      return;
    }

    if (shared === this.kept.length && !this.isParted) {
      this.kept = parts;
      return;
    }

    if (shared < this.kept.length) {
      this.kept = this.kept.slice(0, shared);
      this.isParted = true;
    }
  }

  /** commonPrefixDepth of every path added. */
  get depth(): number {
    if (this.kept === undefined || this.kept.length === 0) {
      return 0;
    }

    // Two paths parted: both are longer than their common part. One chain: its longest path is the only leaf.
    return this.isParted ? this.kept.length : this.kept.length - 1;
  }
}

/**
 * The number of leading components every entry shares as a directory, as archives made by the
 * classic recipe have (`path/to/data/...`): the strip hawser proposes. 0 when there is none.
 */
export function commonPrefixDepth(paths: readonly string[]): number {
  // Parent directory entries (`path/`, `path/to/`) would shorten the prefix; only the deepest paths count.
  const ancestors = new Set(paths.flatMap(path => parentsOf(path)));
  let prefix: string[] | undefined;
  for (const path of paths) {
    if (path === '.' || ancestors.has(path)) {
      continue;
    }

    const parts = path.split('/');
    if (prefix === undefined) {
      prefix = parts;
      continue;
    }

    let i = 0;
    while (i < prefix.length && i < parts.length && prefix[i] === parts[i]) {
      i++;
    }

    prefix = prefix.slice(0, i);
    if (prefix.length === 0) {
      return 0;
    }
  }

  if (prefix === undefined) {
    return 0;
  }

  // The prefix must be a directory holding the rest: some path must be longer than it.
  const depth = prefix.length;
  return paths.some(path => path !== '.' && !ancestors.has(path) && path.split('/').length > depth) ? depth : Math.max(0, depth - 1);
}
