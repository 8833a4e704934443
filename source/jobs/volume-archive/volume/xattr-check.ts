// The read-back of extended attributes and POSIX ACLs on the local path. Node has no API for them, and
// the compare of a restore looks at names, types, sizes, modes, owners, times and contents only: the
// entries that the archive gave extended attributes (user.*, security.capability, …) or ACLs are read
// back here through GNU tar (already what extracted them), and each attribute that is missing or
// different is a difference. ACLs are read as the kernel keeps them (the system.posix_acl_* xattrs,
// numeric ids) and compared in one canonical spelling with what the archive says (see acl-check.ts).
import {spawn} from 'node:child_process';
import {aclDifferences, hasAclRecords, type IdNames} from '../format/acl-check.js';
import type {CheckedEntry} from '../format/archive-rules.js';
import type {Difference} from '../format/compare.js';
import {pathBytes} from '../format/path-bytes.js';
import {TarParser} from '../format/tar-parser.js';

const xattrPrefix = 'SCHILY.xattr.';

/** The attributes an entry should have: its SCHILY.xattr records, ACLs' own xattrs left to the ACL records. */
function wantedAttributes(entry: CheckedEntry): Map<string, Buffer> {
  const wanted = new Map<string, Buffer>();
  for (const [key, value] of entry.extended ?? []) {
    if (key.startsWith(xattrPrefix) && !key.startsWith(`${xattrPrefix}system.posix_acl_`)) {
      wanted.set(key.slice(xattrPrefix.length), value);
    }
  }

  return wanted;
}

/** The folders whose archive entry gives them a default ACL: what is made in them could inherit one. */
function inheritingFolders(entries: readonly CheckedEntry[]): Set<string> {
  return new Set(entries.filter(entry => entry.type === 'directory' && (entry.extended?.has('SCHILY.acl.default') || entry.extended?.has('SCHILY.xattr.system.posix_acl_default'))).map(entry => entry.path));
}

const parentOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.');

/**
 * The differences between the extended attributes and ACLs the plan's entries carry and those of the
 * same paths under `dir`, read back by GNU tar (`tar`: its path). Only entries that carry some are read,
 * and those in a folder with a default ACL (which could have given them one): reading a file costs its bytes.
 */
export async function extendedAttributeDifferences(tar: string, dir: string, entries: readonly CheckedEntry[], signal?: AbortSignal, names?: IdNames): Promise<Difference[]> {
  const wanted = new Map(entries.map(entry => [entry.path, wantedAttributes(entry)] as const).filter(([, attributes]) => attributes.size > 0));
  const inheriting = inheritingFolders(entries);
  // A symlink has no ACL; a hardlink's is its target's, which has an entry of its own (tar reads a second name as a link, without it).
  const withAcls = entries.filter(entry => entry.type !== 'symlink' && entry.type !== 'hardlink' && (hasAclRecords(entry) || (entry.path !== '.' && inheriting.has(parentOf(entry.path)))));
  const paths = new Set([...wanted.keys(), ...withAcls.map(entry => entry.path)]);
  if (paths.size === 0) {
    return [];
  }

  const found = await readAttributes(tar, dir, [...paths], signal);
  const differences: Difference[] = aclDifferences(withAcls, found, names);
  for (const [path, attributes] of wanted) {
    const have = found.get(path) ?? new Map<string, Buffer>();
    for (const [name, value] of attributes) {
      const actual = have.get(name);
      if (!actual) {
        differences.push({path, kind: 'xattr', detail: `extended attribute ${name} is missing`});
      } else if (!actual.equals(value)) {
        differences.push({path, kind: 'xattr', detail: `extended attribute ${name} differs`});
      }
    }
  }

  return differences;
}

/** Each path's extended attributes, as GNU tar reads them (it reads the files' data too: only the few that carry some are asked). */
async function readAttributes(tar: string, dir: string, paths: readonly string[], signal?: AbortSignal): Promise<Map<string, Map<string, Buffer>>> {
  const child = spawn(tar, ['--create', '--file=-', `--directory=${dir}`, '--format=posix', '--xattrs', '--xattrs-include=*', '--no-recursion', '--null', '--verbatim-files-from', '--files-from=-'], {env: {...process.env, LC_ALL: 'C'}, stdio: ['pipe', 'pipe', 'pipe'], signal});
  const found = new Map<string, Map<string, Buffer>>();
  const parser = new TarParser({
    onEntry(entry) {
      const attributes = new Map<string, Buffer>();
      for (const [key, value] of entry.extended ?? []) {
        if (key.startsWith(xattrPrefix)) {
          attributes.set(key.slice(xattrPrefix.length), value);
        }
      }

      found.set(entry.name.replace(/\/$/, ''), attributes);
    },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr = (stderr + text).slice(-2000);
  });
  child.stdin.on('error', () => undefined);
  child.stdin.end(Buffer.concat(paths.flatMap(path => [pathBytes(path), Buffer.alloc(1)])));
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    parser.write(chunk);
  }

  const code = await new Promise<number | null>(resolve => {
    if (child.exitCode === null) {
      child.once('close', resolve);
    } else {
      resolve(child.exitCode);
    }
  });
  if (code !== 0) {
    throw new Error(`reading back extended attributes failed (tar exit ${code}): ${stderr.trim().split('\n')[0] ?? ''}`);
  }

  parser.end();
  return found;
}
