// The local restore reads extended attributes back through GNU tar: one missing or different is named.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import type {CheckedEntry} from '../../source/jobs/volume-archive/format/archive-rules.js';
import {extendedAttributeDifferences} from '../../source/jobs/volume-archive/volume/xattr-check.js';
import {run, setXattr} from '../helpers/tree-facts.js';

const dir = mkdtempSync(path.join(tmpdir(), 'hawser-xattr-'));
afterAll(() => {
  rmSync(dir, {recursive: true, force: true});
});

const entry = (name: string, extended: Record<string, string>): CheckedEntry => ({
  name, path: name, type: 'file', size: 1, mode: 0o644, uid: 0, gid: 0, mtime: 0, linkname: '', startOffset: 0,
  extended: new Map(Object.entries(extended).map(([key, hex]) => [key, Buffer.from(hex, 'hex')])),
});

describe('extended attributes read back after a local restore', () => {
  it('names an attribute that is missing or different, and passes the ones that match', async () => {
    for (const name of ['same', 'other', 'none']) {
      writeFileSync(path.join(dir, name), 'x');
    }

    setXattr(path.join(dir, 'same'), 'user.a', '0001ff');
    setXattr(path.join(dir, 'other'), 'user.a', '02');
    // A name that is not UTF-8 (Latin-1 "café"): made and marked by bytes, as Node cannot pass them in argv.
    run('python3', ['-c', 'import os,sys; p=os.path.join(sys.argv[1].encode(), bytes.fromhex("636166e9")); open(p,"w").write("x"); os.setxattr(p, "user.b", b"\\x03")', dir]);
    const differences = await extendedAttributeDifferences('tar', dir, [
      entry('same', {'SCHILY.xattr.user.a': '0001ff'}),
      entry('other', {'SCHILY.xattr.user.a': '01'}),
      entry('none', {'SCHILY.xattr.user.a': '01', 'SCHILY.acl.access': Buffer.from('user::rw-').toString('hex')}),
      entry('caf\udce9', {'SCHILY.xattr.user.b': '03'}),
      entry('plain', {}),
    ]);
    expect(differences).toEqual([
      {path: 'other', kind: 'xattr', detail: 'extended attribute user.a differs'},
      {path: 'none', kind: 'xattr', detail: 'extended attribute user.a is missing'},
    ]);
  });
});
