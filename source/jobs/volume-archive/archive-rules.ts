// The rules an archive must follow before hawser sends it to the engine. The engine refuses `../x`
// and links pointing outside, but `evil -> /etc` followed by `evil/pwned` writes into the helper's own
// /etc, so every entry is checked here, on the client, before anything is written. Pure.
import {pathBytes} from './path-bytes.js';
import type {TarEntry} from './tar-parser.js';

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

/**
 * Checks entries one by one, in archive order, remembering which paths are symlinks or files so an
 * entry that goes through one is refused. Entries a strip removes entirely are returned as undefined.
 */
export class ArchiveChecker {
  private readonly kinds = new Map<string, TarEntry['type']>();
  private readonly fileSizes = new Map<string, number>();

  constructor(private readonly strip = 0) {}

  /** Checks one entry; throws ArchiveRefusal with the reason. */
  check(entry: TarEntry): CheckedEntry | undefined {
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
      const kind = this.kinds.get(parent);
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
      if (linkPath === undefined || this.kinds.get(linkPath) !== 'file') {
        throw new ArchiveRefusal(`the hardlink "${entry.name}" points to "${entry.linkname}", which is not a file earlier in the archive`);
      }
    }

    const previous = this.kinds.get(path);
    if (previous === 'directory' && entry.type !== 'directory') {
      throw new ArchiveRefusal(`"${entry.name}" would replace a directory of the same name`);
    }

    // A folder the entry lies in, named or not, is a folder from now on: both extractors make it one.
    for (const parent of parentsOf(path)) {
      if (!this.kinds.has(parent)) {
        this.kinds.set(parent, 'directory');
      }
    }

    this.kinds.set(path, entry.type === 'hardlink' ? 'file' : entry.type);
    if (entry.type === 'file') {
      this.fileSizes.set(path, entry.size);
    }

    // Object.assign rather than a spread: the copies share one hidden class (see EntryLister).
    return Object.assign({}, entry, linkPath === undefined ? {path} : {path, linkPath});
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
