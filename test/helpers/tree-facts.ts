// A directory tree as the archive tests compare it: every path (bytes, printed with \xNN escapes)
// with its type, mode, owner, size, content hash, mtime to the nanosecond, link target, hardlink
// group and extended attributes, read by Python (Node has no xattr API) so nothing is interpreted.
import {spawnSync} from 'node:child_process';
import {chmodSync, chownSync, linkSync, mkdirSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';

/** GNU tar's flags to extract everything an archive holds, as root. */
export const extractFlags = ['--numeric-owner', '--same-owner', '--preserve-permissions', '--delay-directory-restore', '--xattrs', '--xattrs-include=*', '--acls', '--no-selinux'];


/** One path's facts, as one line of text, so two trees compare as two arrays with a readable diff. */
export function treeFacts(dir: string, options: {readonly isRootIncluded?: boolean; readonly mtimePrecision?: 'ns' | 's'} = {}): string[] {
  const script = String.raw`
import os, sys, hashlib, stat
root = sys.argv[1].encode()
include_root = sys.argv[2] == '1'
whole = sys.argv[3] == 's'
inodes = {}
out = []
def esc(b):
    return b.decode('utf-8', 'backslashreplace')
for dirpath, dirnames, filenames in os.walk(root):
    dirnames.sort()
    for name in sorted(dirnames + filenames) + ([b''] if dirpath == root else []):
        full = os.path.join(dirpath, name) if name else dirpath
        rel = os.path.relpath(full, root)
        if rel == b'.' and not include_root:
            continue
        st = os.lstat(full)
        kind = 'd' if stat.S_ISDIR(st.st_mode) else 'l' if stat.S_ISLNK(st.st_mode) else 'f' if stat.S_ISREG(st.st_mode) else 'p' if stat.S_ISFIFO(st.st_mode) else '?'
        extra = ''
        if kind == 'f':
            with open(full, 'rb') as f:
                extra = hashlib.sha256(f.read()).hexdigest()[:16]
            if st.st_nlink > 1:
                first = inodes.setdefault((st.st_dev, st.st_ino), esc(rel))
                extra += ' group=' + first
        if kind == 'l':
            extra = '-> ' + esc(os.readlink(full))
        xattrs = []
        try:
            for key in sorted(os.listxattr(full, follow_symlinks=False)):
                if key.startswith('system.posix_acl') or key.startswith('user.') or key == 'security.capability':
                    xattrs.append(key + '=' + os.getxattr(full, key, follow_symlinks=False).hex())
        except OSError:
            pass
        mtime = st.st_mtime_ns // 1000000000 if whole else st.st_mtime_ns
        size = st.st_size if kind == 'f' else 0
        out.append(f'{esc(rel)} {kind} {stat.S_IMODE(st.st_mode):04o} {st.st_uid}:{st.st_gid} {size} {mtime} {extra} {" ".join(xattrs)}'.rstrip())
print('\n'.join(out))
`;
  const result = spawnSync('python3', ['-c', script, dir, options.isRootIncluded ? '1' : '0', options.mtimePrecision ?? 'ns'], {encoding: 'utf8'});
  if (result.status !== 0) {
    throw new Error(`listing ${dir} failed: ${result.stderr}`);
  }

  return result.stdout.split('\n').filter(Boolean).sort();
}

/** Runs a command to its end (C locale), failing with its stderr; returns stdout. */
export function run(command: string, args: readonly string[], input?: Buffer): string {
  const result = spawnSync(command, args, {input, env: {...process.env, LC_ALL: 'C'}, encoding: 'buffer'});
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr.toString()}`);
  }

  return result.stdout.toString();
}

/** Sets an extended attribute (Node has no API for them). */
export function setXattr(file: string, name: string, hex: string): void {
  run('python3', ['-c', 'import os,sys; os.setxattr(sys.argv[1], sys.argv[2], bytes.fromhex(sys.argv[3]), follow_symlinks=False)', file, name, hex]);
}

/** A tree with everything the issue names, under `top/` (so a restore strips one component). */
export function makeTree(root: string, options: {readonly isUstar?: boolean; readonly isEveryYear?: boolean; readonly hasLongNames?: boolean} = {}): void {
  const top = path.join(root, 'top');
  mkdirSync(path.join(top, 'sticky'), {recursive: true});
  chmodSync(path.join(top, 'sticky'), 0o1777);
  writeFileSync(path.join(top, 'zero'), 'secret');
  chmodSync(path.join(top, 'zero'), 0o000);
  writeFileSync(path.join(top, 'setuid'), 'tool');
  chmodSync(path.join(top, 'setuid'), 0o4755);
  writeFileSync(path.join(top, 'far-owner'), 'x');
  chownSync(path.join(top, 'far-owner'), 300_000, 400_000);
  linkSync(path.join(top, 'zero'), path.join(top, 'zero-again'));
  if (options.hasLongNames !== false) {
    const deep = path.join(top, 'd'.repeat(120));
    mkdirSync(deep);
    writeFileSync(path.join(deep, 'inside'), 'deep');
  }

  writeFileSync(Buffer.from(`${top}/caf\xe9`, 'latin1'), 'latin-1 name');
  if (!options.isUstar) {
    symlinkSync('t'.repeat(150), path.join(top, 'long-link'));
  }

  if (!options.isUstar && options.isEveryYear !== false) {
    writeFileSync(path.join(top, 'old'), '1960');
    run('touch', ['-h', '-d', '1960-03-04 05:06:07.25', path.join(top, 'old')]);
    writeFileSync(path.join(top, 'future'), '2300');
    run('touch', ['-h', '-d', '2300-01-01 00:00:00.5', path.join(top, 'future')]);
  }

  setXattr(path.join(top, 'setuid'), 'user.note', '7600ff');
  // A POSIX ACL (user 1000 may read), in the kernel's binary form: version 2, then tag, permissions, id.
  setXattr(path.join(top, 'far-owner'), 'system.posix_acl_access', '02000000' + '01000600ffffffff' + '02000400e8030000' + '04000400ffffffff' + '10000400ffffffff' + '20000400ffffffff');
  run('touch', ['-d', '2020-02-02 02:02:02.123456789', path.join(top, 'setuid')]);
}
