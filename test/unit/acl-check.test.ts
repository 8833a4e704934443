// POSIX ACLs compared in one spelling: GNU tar's text (names), bsdtar's (names and ids, its own order,
// commas), the kernel's binary xattr (ids), getfacl's (comments, `default:`) all mean the same ACL.
import {describe, expect, it} from 'vitest';
import {aclDifferences, aclFromText, aclFromXattr, aclsInheritedThroughApi, isTextOnly, wantedAcl, type IdNames} from '../../source/jobs/volume-archive/format/acl-check.js';
import type {CheckedEntry} from '../../source/jobs/volume-archive/format/archive-rules.js';

const names: IdNames = {user: name => ({alice: 1000})[name], group: name => ({staff: 50})[name]};

/** The kernel's xattr form: version 2, then tag, permissions, id per entry. */
function xattr(entries: ReadonlyArray<[tag: number, perms: number, id?: number]>): Buffer {
  const value = Buffer.alloc(4 + (entries.length * 8));
  value.writeUInt32LE(2, 0);
  entries.forEach(([tag, perms, id = 0xff_ff_ff_ff], index) => {
    value.writeUInt16LE(tag, 4 + (index * 8));
    value.writeUInt16LE(perms, 6 + (index * 8));
    value.writeUInt32LE(id, 8 + (index * 8));
  });
  return value;
}

const canonical = 'user::rw-,user:1000:r--,group::r--,group:50:rw-,mask::rw-,other::r--';
const binary = xattr([[0x01, 6], [0x02, 4, 1000], [0x04, 4], [0x08, 6, 50], [0x10, 6], [0x20, 4]]);

const entry = (path: string, type: CheckedEntry['type'], extended: Record<string, string | Buffer>): CheckedEntry => ({
  name: path, path, type, size: 0, mode: 0o644, uid: 0, gid: 0, mtime: 0, linkname: '', startOffset: 0,
  extended: new Map(Object.entries(extended).map(([key, value]) => [key, Buffer.isBuffer(value) ? value : Buffer.from(value)])),
});

describe('ACL spellings', () => {
  it('reads GNU tar\'s text, bsdtar\'s text, getfacl\'s and the kernel\'s xattr as the same ACL', () => {
    expect(aclFromXattr(binary, 'access')).toBe(canonical);
    expect(aclFromText('user::rw-\nuser:alice:r--\ngroup::r--\ngroup:staff:rw-\nmask::rw-\nother::r--\n', 'access', names)).toBe(canonical);
    expect(aclFromText('user::rw-,group::r--,other::r--,user:alice:r--:1000,group:staff:rw-:50,mask::rw-', 'access')).toBe(canonical);
    expect(aclFromText('# file: f\nuser::rw-\nuser:1000:r--\t#effective:r--\ngroup::r--\ng:50:rw\nm::rw-\no::r\n', 'access')).toBe(canonical);
    // An id after the name wins over the name (bsdtar's form: the ids it was made with).
    expect(aclFromText('user::rw-,user:alice:r--:2000,group::r--,mask::r--,other::r--', 'access', names)).toBe('user::rw-,user:2000:r--,group::r--,mask::r--,other::r--');
    // A name this machine does not know stays a name, and so differs from any id.
    expect(aclFromText('user::rw-,user:nobody-here:r--,group::r--,mask::r--,other::r--', 'access', names)).toBe('user::rw-,user:nobody-here:r--,group::r--,mask::r--,other::r--');
  });

  it('takes an access ACL of owner, group and other only as none (the mode bits are it), but keeps such a default ACL', () => {
    expect(aclFromText('user::rwx\ngroup::r-x\nother::r-x\n', 'access')).toBe('');
    expect(aclFromXattr(xattr([[0x01, 7], [0x04, 5], [0x20, 5]]), 'access')).toBe('');
    expect(aclFromText('user::rwx,group::r-x,other::r-x', 'default')).toBe('user::rwx,group::r-x,other::r-x');
    expect(aclFromText('default:user::rwx\ndefault:user:1000:r-x\ndefault:group::r-x\ndefault:mask::r-x\ndefault:other::r-x', 'default'))
      .toBe('user::rwx,user:1000:r-x,group::r-x,mask::r-x,other::r-x');
  });

  it('refuses what is not an ACL', () => {
    expect(aclFromText('user::rwz', 'access')).toBeUndefined();
    expect(aclFromText('owner::rw-', 'access')).toBeUndefined();
    expect(aclFromText('mask:1000:rw-', 'access')).toBeUndefined();
    expect(aclFromText('user:alice:r--:bob', 'access')).toBeUndefined();
    expect(aclFromXattr(Buffer.from('0100000001000600', 'hex'), 'access')).toBeUndefined();
    expect(aclFromXattr(binary.subarray(0, 10), 'access')).toBeUndefined();
  });

  it('wants the text record where both are there (GNU tar applies it last), else the xattr, else none', () => {
    expect(wantedAcl(entry('f', 'file', {'SCHILY.acl.access': 'user::rw-,user:7:r--,group::r--,mask::r--,other::r--', 'SCHILY.xattr.system.posix_acl_access': binary}), 'access', names))
      .toBe('user::rw-,user:7:r--,group::r--,mask::r--,other::r--');
    expect(wantedAcl(entry('f', 'file', {'SCHILY.xattr.system.posix_acl_access': binary}), 'access', names)).toBe(canonical);
    expect(wantedAcl(entry('f', 'file', {}), 'access', names)).toBe('');
  });
});

describe('ACL differences', () => {
  it('names an ACL that is missing, different or unexpected, and passes one spelled otherwise', () => {
    const found = new Map([
      ['same', new Map([['system.posix_acl_access', binary]])],
      ['other', new Map([['system.posix_acl_access', xattr([[0x01, 6], [0x02, 6, 1000], [0x04, 4], [0x10, 6], [0x20, 4]])]])],
      ['gone', new Map()],
      ['inherited', new Map([['system.posix_acl_access', binary]])],
      ['d', new Map([['system.posix_acl_default', xattr([[0x01, 7], [0x04, 5], [0x20, 5]])]])],
      ['link', new Map()],
    ]);
    const gnuText = 'user::rw-\nuser:alice:r--\ngroup::r--\ngroup:staff:rw-\nmask::rw-\nother::r--\n';
    expect(aclDifferences([
      entry('same', 'file', {'SCHILY.acl.access': gnuText}),
      entry('other', 'file', {'SCHILY.acl.access': gnuText}),
      entry('gone', 'file', {'SCHILY.acl.access': gnuText}),
      entry('inherited', 'file', {}),
      entry('d', 'directory', {'SCHILY.acl.default': 'user::rwx,user:alice:r-x:1000,group::r-x,mask::r-x,other::r-x'}),
      entry('link', 'hardlink', {'SCHILY.acl.access': gnuText}),
      entry('unread', 'file', {'SCHILY.acl.access': gnuText}),
    ], found, names)).toEqual([
      {path: 'other', kind: 'acl', detail: `ACL expected ${canonical}, found user::rw-,user:1000:rw-,group::r--,mask::rw-,other::r--`},
      {path: 'gone', kind: 'acl', detail: `ACL expected ${canonical}, found none`},
      {path: 'inherited', kind: 'acl', detail: `ACL expected none, found ${canonical}`},
      {path: 'd', kind: 'acl', detail: 'default ACL expected user::rwx,user:1000:r-x,group::r-x,mask::r-x,other::r-x, found user::rwx,group::r-x,other::r-x'},
    ]);
  });

  it('says when the archive\'s ACL cannot be read at all', () => {
    expect(aclDifferences([entry('f', 'file', {'SCHILY.acl.access': 'user::rw-,bogus'})], new Map([['f', new Map()]]), names)).toEqual([
      {path: 'f', kind: 'acl', detail: 'its ACL in the archive is not a POSIX ACL hawser can read'},
    ]);
  });
});

describe('ACLs through the engine\'s archive API', () => {
  const named = xattr([[0x01, 7], [0x02, 5, 1000], [0x04, 5], [0x10, 5], [0x20, 5]]);
  const minimal = xattr([[0x01, 7], [0x04, 5], [0x20, 5]]);

  it('names what inherits a folder\'s default ACL, passed on by folders that keep it, and not what has its own', () => {
    expect(aclsInheritedThroughApi([
      entry('shared', 'directory', {'SCHILY.xattr.system.posix_acl_default': named, 'SCHILY.acl.access': 'user::rwx\ngroup::r-x\nother::r-x\n'}),
      entry('shared/own', 'file', {'SCHILY.xattr.system.posix_acl_access': binary}),
      entry('shared/sub', 'directory', {'SCHILY.xattr.system.posix_acl_access': binary, 'SCHILY.xattr.system.posix_acl_default': named}),
      entry('shared/old', 'directory', {}),
      entry('shared/old/deeper', 'file', {}),
      entry('shared/link', 'symlink', {}),
      entry('shared/hard', 'hardlink', {}),
      entry('elsewhere', 'file', {}),
    ]).map(d => `${d.path}: ${d.detail.split(' from ')[0]!}`)).toEqual([
      'shared/old: the engine\'s archive API gives it an ACL and a default ACL',
      'shared/old/deeper: the engine\'s archive API gives it an ACL',
    ]);
  });

  it('knows that an inherited default of owner, group and other only gives no access ACL, and leaves the root and text-only ACLs to others', () => {
    expect(aclsInheritedThroughApi([
      entry('d', 'directory', {'SCHILY.xattr.system.posix_acl_default': minimal}),
      entry('d/f', 'file', {}),
      entry('d/e', 'directory', {}),
      entry('d/t', 'file', {'SCHILY.acl.access': 'user::rw-,user:7:r--,group::r--,mask::r--,other::r--'}),
    ]).map(d => `${d.path}: ${d.detail.split(' from ')[0]!}`)).toEqual(['d/e: the engine\'s archive API gives it a default ACL']);
    expect(aclsInheritedThroughApi([entry('.', 'directory', {'SCHILY.xattr.system.posix_acl_default': named}), entry('f', 'file', {})])).toEqual([]);
    expect(isTextOnly(entry('d/t', 'file', {'SCHILY.acl.access': 'user::rw-,user:7:r--,group::r--,mask::r--,other::r--'}), 'access')).toBe(true);
    expect(isTextOnly(entry('d', 'directory', {'SCHILY.acl.access': 'user::rwx,group::r-x,other::r-x'}), 'access')).toBe(false);
    expect(isTextOnly(entry('f', 'file', {'SCHILY.acl.access': 'user::rw-,user:7:r--,group::r--,mask::r--,other::r--', 'SCHILY.xattr.system.posix_acl_access': binary}), 'access')).toBe(false);
  });
});
