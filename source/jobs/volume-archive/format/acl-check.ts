// POSIX ACLs in every spelling an archive may hold them, made comparable. GNU tar writes an ACL twice:
// as text with names (SCHILY.acl.access `user::rw-\nuser:alice:r--\n…`) and as the kernel's own xattr
// (SCHILY.xattr.system.posix_acl_access, binary, numeric ids); bsdtar writes text only, with the id
// after the name (`user:alice:r--:1000`, comma-separated, in its own order). Each becomes one canonical
// text: numeric ids, entries in the kernel's order, `rwx` spelled out; a minimal access ACL (owner,
// group, other only) is the mode itself and counts as none. Pure but for the name lookup (see IdNames).
import {readFileSync} from 'node:fs';
import type {CheckedEntry} from './archive-rules.js';
import type {Difference} from './compare.js';

/** The two ACLs a path has: access (who may use it) and default (what a folder's new entries inherit). */
export type AclKind = 'access' | 'default';
export const aclKinds: readonly AclKind[] = ['access', 'default'];

/** The xattr the kernel keeps each ACL in. */
export const aclXattr: Readonly<Record<AclKind, string>> = {access: 'system.posix_acl_access', default: 'system.posix_acl_default'};

/** Resolves user and group names that an ACL's text gives without an id (as tar did when it applied them, on this machine). */
export type IdNames = {readonly user: (name: string) => number | undefined; readonly group: (name: string) => number | undefined};

type Tag = 'user' | 'group' | 'mask' | 'other';
type AclEntry = {readonly tag: Tag; readonly owner: boolean; readonly id: string; readonly perms: number};

const tagOrder: Readonly<Record<Tag, number>> = {user: 0, group: 1, mask: 2, other: 3};
const tagNames: Readonly<Record<string, Tag>> = {user: 'user', u: 'user', group: 'group', g: 'group', mask: 'mask', m: 'mask', other: 'other', o: 'other'};

function permsOf(text: string): number | undefined {
  if (!/^[rwx-]{0,3}$/.test(text)) {
    return undefined;
  }

  return (text.includes('r') ? 4 : 0) | (text.includes('w') ? 2 : 0) | (text.includes('x') ? 1 : 0);
}

/** One entry's canonical spelling: `user:1000:r--`, `group::r-x`, `mask::rw-`. */
function spell(entry: AclEntry): string {
  const perms = `${entry.perms & 4 ? 'r' : '-'}${entry.perms & 2 ? 'w' : '-'}${entry.perms & 1 ? 'x' : '-'}`;
  return `${entry.tag}:${entry.owner ? '' : entry.id}:${perms}`;
}

/** The canonical text of a list of entries: sorted as the kernel keeps them, '' for no ACL (or, for `access`, one the mode bits say all of). */
function canonical(entries: readonly AclEntry[], kind: AclKind): string {
  const sorted = [...entries].sort((a, b) => tagOrder[a.tag] - tagOrder[b.tag] || Number(b.owner) - Number(a.owner) || compareIds(a.id, b.id));
  const isMinimal = sorted.every(entry => entry.owner || entry.tag === 'other') && !sorted.some(entry => entry.tag === 'mask');
  return kind === 'access' && isMinimal ? '' : sorted.map(entry => spell(entry)).join(',');
}

function compareIds(a: string, b: string): number {
  const [x, y] = [Number(a), Number(b)];
  return Number.isNaN(x) || Number.isNaN(y) ? (a < b ? -1 : a > b ? 1 : 0) : x - y;
}

/**
 * The canonical text of an ACL written as text: entries split by commas or lines, `#` comments (getfacl's
 * `#effective:`) and blanks left out, tags spelled short or long (`u:`, `user:`), a name given as its id
 * (the id bsdtar adds after the permissions, else `names`; an unknown name stays a name). Undefined when not an ACL.
 */
export function aclFromText(text: string, kind: AclKind, names?: IdNames): string | undefined {
  const entries: AclEntry[] = [];
  for (const raw of text.split(/[,\n]/)) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') {
      continue;
    }

    const fields = line.split(':').map(field => field.trim());
    // getfacl's form of a default ACL says so on each entry.
    if (fields[0] === 'default' || fields[0] === 'd') {
      fields.shift();
    }

    const [tagText = '', qualifier = '', permText = '', idText] = fields;
    const tag = tagNames[tagText];
    const perms = permsOf(permText);
    if (!tag || perms === undefined || fields.length > 4 || (idText !== undefined && !/^\d+$/.test(idText))) {
      return undefined;
    }

    const owner = qualifier === '';
    if ((tag === 'mask' || tag === 'other') && !owner) {
      return undefined;
    }

    const looked = owner || /^\d+$/.test(qualifier) || idText !== undefined ? undefined : (tag === 'user' ? names?.user(qualifier) : names?.group(qualifier));
    const id = owner ? '' : idText ?? (looked === undefined ? qualifier : String(looked));
    entries.push({tag, owner, id, perms});
  }

  return canonical(entries, kind);
}

const xattrTags: Readonly<Record<number, {tag: Tag; owner: boolean}>> = {
  0x01: {tag: 'user', owner: true}, 0x02: {tag: 'user', owner: false}, 0x04: {tag: 'group', owner: true},
  0x08: {tag: 'group', owner: false}, 0x10: {tag: 'mask', owner: true}, 0x20: {tag: 'other', owner: true},
};

/** The canonical text of an ACL in the kernel's xattr form (version 2, then tag, permissions, id per entry); undefined when not one. */
export function aclFromXattr(value: Buffer, kind: AclKind): string | undefined {
  if (value.length < 4 || (value.length - 4) % 8 !== 0 || value.readUInt32LE(0) !== 2) {
    return undefined;
  }

  const entries: AclEntry[] = [];
  for (let offset = 4; offset < value.length; offset += 8) {
    const known = xattrTags[value.readUInt16LE(offset)];
    if (!known) {
      return undefined;
    }

    entries.push({...known, id: known.owner ? '' : String(value.readUInt32LE(offset + 4)), perms: value.readUInt16LE(offset + 2) & 7});
  }

  return canonical(entries, kind);
}

/**
 * The ACLs an archive entry asks for, canonical ('' for none). The text record wins where both are
 * there: GNU tar applies it last. Undefined for a record that is no ACL.
 */
export function wantedAcl(entry: Pick<CheckedEntry, 'extended'>, kind: AclKind, names?: IdNames): string | undefined {
  const text = entry.extended?.get(`SCHILY.acl.${kind}`);
  if (text) {
    return aclFromText(text.toString('utf8'), kind, names);
  }

  const binary = entry.extended?.get(`SCHILY.xattr.${aclXattr[kind]}`);
  return binary ? aclFromXattr(binary, kind) : '';
}

/** Whether the entry's archive record gives it an ACL (a minimal access ACL counts: the record is there to be checked). */
export function hasAclRecords(entry: Pick<CheckedEntry, 'extended'>): boolean {
  return aclKinds.some(kind => entry.extended?.has(`SCHILY.acl.${kind}`) || entry.extended?.has(`SCHILY.xattr.${aclXattr[kind]}`));
}

/**
 * The ACL differences of `entries` against what was read back: each path's xattrs as found (an ACL's
 * xattr missing is no ACL). Entries not in `found` were not read and are skipped.
 */
export function aclDifferences(entries: readonly Pick<CheckedEntry, 'path' | 'type' | 'extended'>[], found: ReadonlyMap<string, ReadonlyMap<string, Buffer>>, names: IdNames = systemNames()): Difference[] {
  const differences: Difference[] = [];
  for (const entry of entries) {
    const attributes = found.get(entry.path);
    // A symlink has no ACL of its own, a hardlink has its target's; only a folder has a default one.
    if (!attributes || entry.type === 'symlink' || entry.type === 'hardlink') {
      continue;
    }

    for (const kind of aclKinds) {
      if (kind === 'default' && entry.type !== 'directory') {
        continue;
      }

      const want = wantedAcl(entry, kind, names);
      const value = attributes.get(aclXattr[kind]);
      const have = value ? aclFromXattr(value, kind) : '';
      if (want !== have) {
        const what = kind === 'access' ? 'ACL' : 'default ACL';
        differences.push({path: entry.path, kind: 'acl', detail: want === undefined ? `its ${what} in the archive is not a POSIX ACL hawser can read` : `${what} expected ${shownAcl(want)}, found ${shownAcl(have)}`});
      }
    }
  }

  return differences;
}

/**
 * Whether the entry's ACL of `kind` is in text form only (SCHILY.acl.*, all bsdtar writes), which the engine's
 * archive API does not apply: GNU tar also writes the kernel's xattr, which it does. An access ACL of owner,
 * group and other only (GNU tar writes one for a folder with a default ACL) is the mode, which it applies.
 */
export function isTextOnly(entry: Pick<CheckedEntry, 'extended'>, kind: AclKind): boolean {
  const text = entry.extended?.get(`SCHILY.acl.${kind}`);
  return text !== undefined && !entry.extended?.has(`SCHILY.xattr.${aclXattr[kind]}`) && aclFromText(text.toString('utf8'), kind) !== '';
}

/**
 * What the engine's archive API does to ACLs that it does not give back: it sets a folder's xattrs (its
 * default ACL among them) as it makes the folder, before it writes into it, so whatever it then makes in that
 * folder inherits the default ACL (measured on Docker 20.10 and 28). An entry's own ACL xattr replaces the
 * inherited access ACL; an entry with none keeps the inherited one, and a folder without a default ACL of its
 * own keeps the inherited default (and passes it on). Each such entry is a difference, said without reading it back (the archive
 * API cannot). The volume's root is left out: the engine does not apply the archive's entry for it.
 */
export function aclsInheritedThroughApi(entries: readonly Pick<CheckedEntry, 'path' | 'type' | 'extended'>[]): Difference[] {
  const defaults = new Map<string, string>();
  for (const entry of entries) {
    const binary = entry.type === 'directory' && entry.path !== '.' ? entry.extended?.get(`SCHILY.xattr.${aclXattr.default}`) : undefined;
    const acl = binary && aclFromXattr(binary, 'default');
    if (acl) {
      defaults.set(entry.path, acl);
    }
  }

  if (defaults.size === 0) {
    return [];
  }

  const differences: Difference[] = [];
  // Folders before what is in them: a folder that keeps an inherited default ACL passes it on in turn.
  const depth = (path: string) => path.split('/').length;
  for (const entry of [...entries].sort((a, b) => depth(a.path) - depth(b.path))) {
    const parent = entry.path.includes('/') ? entry.path.slice(0, entry.path.lastIndexOf('/')) : undefined;
    const inherited = parent === undefined ? undefined : defaults.get(parent);
    if (inherited === undefined || entry.type === 'symlink' || entry.type === 'hardlink') {
      continue;
    }

    // Only the xattr form replaces what was inherited; an ACL in text form only is a difference of its own (see isTextOnly).
    const isKept = (kind: AclKind) => !entry.extended?.has(`SCHILY.xattr.${aclXattr[kind]}`) && !isTextOnly(entry, kind);
    // The inherited access ACL is the default one's entries: none beyond the mode when that is owner, group and other only.
    const isAccessKept = isKept('access') && aclFromText(inherited, 'access') !== '';
    const isDefaultKept = entry.type === 'directory' && isKept('default');
    if (isDefaultKept) {
      defaults.set(entry.path, inherited);
    }

    if (isAccessKept || isDefaultKept) {
      const what = isAccessKept && isDefaultKept ? 'an ACL and a default ACL' : isAccessKept ? 'an ACL' : 'a default ACL';
      differences.push({path: entry.path, kind: 'acl', detail: `the engine's archive API gives it ${what} from its folder's default ACL (${inherited}), which the archive does not give it (run hawser as root on the engine's machine to restore it as it was)`});
    }
  }

  return differences;
}

const shownAcl = (acl: string | undefined) => (acl === undefined ? 'one that cannot be read' : acl || 'none');

/** Names from this machine's /etc/passwd and /etc/group, read once when first asked (what tar's name lookup reads on most systems). */
export function systemNames(): IdNames {
  let users: Map<string, number> | undefined;
  let groups: Map<string, number> | undefined;
  const read = (file: string) => {
    const ids = new Map<string, number>();
    try {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        const [name, , id] = line.split(':');
        if (name && id && /^\d+$/.test(id) && !ids.has(name)) {
          ids.set(name, Number(id));
        }
      }
    } catch {
      // No such file: names stay names.
    }

    return ids;
  };

  return {
    user: name => (users ??= read('/etc/passwd')).get(name),
    group: name => (groups ??= read('/etc/group')).get(name),
  };
}
