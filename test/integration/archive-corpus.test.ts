// Archives made by other tools, restored on both paths, compared path by path with what GNU tar itself
// extracts from the same archive: GNU tar in each format (with xattrs and ACLs where the format holds
// them), Python's tarfile, busybox tar through the engine (the classic recipe), gzip. And hawser's own
// backups read by GNU tar, busybox and Python. The engine's archive API has limits of its own (it sets
// times outside 1970–2262 to 1970 and drops ACLs): there the restore must say ✗, never ✓.
import {mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {EnginePort} from '../../source/engine/port.js';
import {runToEnd, type JobEvent} from '../../source/jobs/job.js';
import {prepareBackup} from '../../source/jobs/volume-archive/backup-job.js';
import {prepareRestore} from '../../source/jobs/volume-archive/restore-job.js';
import {noEngine, removeByPrefix, testEngine, uniqueName} from '../helpers/engine.js';
import {extractFlags, makeTree, run, treeFacts} from '../helpers/tree-facts.js';
import {inVolume, leftoverHelpers} from './volume-backup-helpers.js';

type Corpus = {readonly name: string; readonly file: string};

describe.skipIf(noEngine)('archives made by other tools, restored on both paths', () => {
  let engine: EnginePort;
  const prefix = uniqueName('hwcorpus');
  let dir: string;
  const corpus: Corpus[] = [];

  const restore = async (file: string, volume: string, via: 'auto' | 'api') => {
    const events = await runToEnd((await prepareRestore(engine, {file, volume, via})).job, engine);
    const warnings = events.flatMap(event => (event.type === 'warning' ? [event.message] : []));
    const logs = events.flatMap(event => (event.type === 'log' ? [event.line] : []));
    const done = events.at(-1) as Extract<JobEvent, {type: 'done'}>;
    return {...done.data as {via: string; differences: {path: string; kind: string; detail: string}[]}, warnings, logs, isBadNews: done.isBadNews === true};
  };

  /** GNU tar's own extraction of `file`, with the strip hawser proposes for these archives (their top folder). */
  const reference = (file: string, name: string): string[] => {
    const out = path.join(dir, `reference-${name}`);
    mkdirSync(out);
    run('tar', ['--extract', `--file=${file}`, `--directory=${out}`, '--strip-components=1', ...extractFlags]);
    return treeFacts(out);
  };

  beforeAll(async () => {
    engine = testEngine();
    dir = mkdtempSync(path.join(tmpdir(), 'hawser-corpus-'));
    // Times 1970–2262 only: the engine's archive API cannot set others (tested on their own below).
    const source = path.join(dir, 'source');
    makeTree(source, {isEveryYear: false});
    const short = path.join(dir, 'short');
    makeTree(short, {isUstar: true, hasLongNames: false});
    const gnu = (name: string, args: readonly string[], from = source) => {
      const file = path.join(dir, name);
      run('tar', ['--create', `--file=${file}`, `--directory=${from}`, '--numeric-owner', ...args, 'top']);
      corpus.push({name, file});
    };

    gnu('gnu.tar', ['--format=gnu']);
    gnu('posix.tar', ['--format=posix', '--xattrs', '--acls']);
    gnu('posix.tar.gz', ['--format=posix', '--xattrs', '--acls', '--gzip']);
    gnu('ustar.tar', ['--format=ustar'], short);
    gnu('v7.tar', ['--format=v7'], short);
    // bsdtar keeps ACLs only in their text form (SCHILY.acl.*), which the engine's archive API does not apply.
    const bsdtar = path.join(dir, 'bsdtar.tar');
    run('bsdtar', ['--create', '--format=pax', '--xattrs', '--acls', '--numeric-owner', '-f', bsdtar, '-C', source, 'top']);
    corpus.push({name: 'bsdtar.tar', file: bsdtar});
    for (const format of ['PAX_FORMAT', 'GNU_FORMAT']) {
      const file = path.join(dir, `python-${format}.tar`);
      run('python3', ['-c', `import tarfile,sys; t=tarfile.open(sys.argv[1],'w',format=tarfile.${format}); t.add(sys.argv[2], arcname='top'); t.close()`, file, path.join(source, 'top')]);
      corpus.push({name: `python-${format}`, file});
    }

    // The classic recipe: busybox tar in a container, of a folder holding the data.
    const busybox = path.join(dir, 'busybox');
    mkdirSync(busybox);
    await inVolume(engine, `${prefix}-bb-src`, 'mkdir -p /v/top/sub && echo one > /v/top/sub/f && chown 7:8 /v/top/sub/f && chmod 000 /v/top/sub/f && ln -s sub/f /v/top/s && ln /v/top/sub/f /v/top/h && echo two > /v/top/g && touch -d "2005-05-05" /v/top/g && cd /v && tar -cf /out/busybox.tar top', [`${busybox}:/out`]);
    corpus.push({name: 'busybox.tar', file: path.join(busybox, 'busybox.tar')});
  }, 300_000);

  afterAll(async () => {
    await removeByPrefix(engine, prefix);
    rmSync(dir, {recursive: true, force: true});
  });

  for (const via of ['auto', 'api'] as const) {
    it(`restores each archive via ${via} as GNU tar extracts it: types, modes, owners, sizes, contents, ns mtimes, links, hardlinks, xattrs`, async () => {
      expect(corpus.length).toBe(9);
      for (const {name, file} of corpus) {
        const volume = `${prefix}-${via}-${name.replaceAll(/[^a-zA-Z0-9]/g, '-')}`;
        const result = await restore(file, volume, via);
        expect(result.via, name).toBe(via === 'auto' ? 'local' : 'api');
        const expected = reference(file, `${via}-${name}`);
        const actual = treeFacts((await engine.inspectVolume(volume)).mountpoint);
        const isAclDropped = via === 'api' && name === 'bsdtar.tar';
        expect(actual, name).toEqual(isAclDropped ? expected.map(line => line.replace(/ system\.posix_acl_access=[0-9a-f]+/, '')) : expected);
        if (['posix.tar', 'posix.tar.gz', 'bsdtar.tar'].includes(name)) {
          expect(expected.some(line => line.includes('system.posix_acl_access')), name).toBe(true);
        }
        // Dropped by the engine, and said so: the restore ends ✗ (exit 5), never ✓.
        expect(result.differences, name).toEqual(isAclDropped ? [expect.objectContaining({path: 'far-owner', kind: 'acl'})] : []);
        expect(expected.length, name).toBeGreaterThanOrEqual(5);
      }

      expect(await leftoverHelpers(engine, prefix)).toEqual([]);
    }, 600_000);
  }

  it('keeps times of 1960 and 2300 to the nanosecond on the local path; through the API the engine cannot, and the restore says ✗', async () => {
    const source = path.join(dir, 'years');
    makeTree(source);
    const file = path.join(dir, 'years.tar');
    run('tar', ['--create', '--format=posix', `--file=${file}`, `--directory=${source}`, 'top']);
    const local = await restore(file, `${prefix}-years-local`, 'auto');
    expect(local.differences).toEqual([]);
    const facts = treeFacts((await engine.inspectVolume(`${prefix}-years-local`)).mountpoint);
    expect(facts.find(line => line.startsWith('old '))).toMatch(/ -310157632750000000 /);
    expect(facts.find(line => line.startsWith('future '))).toMatch(/ 10413792000500000000 /);
    const api = await restore(file, `${prefix}-years-api`, 'api');
    // Bad news, named: on the command line this is ✗ and exit 5 (restore-exit-status.test.ts).
    expect(api.differences.filter(d => d.kind === 'mtime').map(d => d.path).sort()).toEqual(['future', 'old']);
  }, 300_000);

  it('keeps sub-second mtimes and POSIX ACLs on the local path and compares them to the ns; through the API it says the read-back holds seconds, and names inherited ACLs', async () => {
    const top = path.join(dir, 'acls', 'top');
    mkdirSync(path.join(top, 'shared', 'old'), {recursive: true});
    writeFileSync(path.join(top, 'shared', 'old', 'before'), 'made before the default ACL');
    writeFileSync(path.join(top, 'report'), 'r');
    run('setfacl', ['-m', 'u:1000:r,g:50:rw', path.join(top, 'report')]);
    run('setfacl', ['-d', '-m', 'u:1000:rx,g:50:rx', path.join(top, 'shared')]);
    // Made after: inherits an access ACL (and, as a folder, the default one).
    writeFileSync(path.join(top, 'shared', 'after'), 'inherits');
    mkdirSync(path.join(top, 'shared', 'sub'));
    const paths = ['report', 'shared', 'shared/after', 'shared/sub', 'shared/old', 'shared/old/before'];
    run('touch', ['-d', '2023-11-14 22:13:20.123456789', ...paths.map(name => path.join(top, name))]);
    run('touch', ['-d', '2023-11-14 22:13:20.5', path.join(top, 'shared', 'old', 'before')]);
    const file = path.join(dir, 'acls.tar');
    run('tar', ['--create', '--format=posix', '--xattrs', '--acls', '--numeric-owner', `--file=${file}`, `--directory=${path.dirname(top)}`, 'top']);
    // Read back independently of hawser: getfacl for the ACLs, Python's st_mtime_ns for the times.
    const facts = (root: string) => paths.map(name => `${name} ${run('python3', ['-c', 'import os,sys; print(os.lstat(sys.argv[1]).st_mtime_ns)', path.join(root, name)]).trim()}\n${run('getfacl', ['-n', '--omit-header', '--absolute-names', path.join(root, name)]).trim()}`);
    const want = facts(top);
    expect(want.join('\n')).toContain('report 1700000000123456789\nuser::rw-\nuser:1000:r--\ngroup::r--\ngroup:50:rw-');
    expect(want.join('\n')).toContain('default:user:1000:r-x');

    const local = await restore(file, `${prefix}-acls-local`, 'auto');
    expect(local.via).toBe('local');
    expect(local.differences).toEqual([]);
    expect(facts((await engine.inspectVolume(`${prefix}-acls-local`)).mountpoint)).toEqual(want);
    expect(local.logs.join('\n')).not.toMatch(/whole seconds/);
    // hawser's own backup of it records the fractions exactly in its manifest, and its restore compares them to the ns.
    const out = mkdtempSync(path.join(dir, 'acls-backup-'));
    await runToEnd((await prepareBackup(engine, {volumes: [`${prefix}-acls-local`], output: `${out}/`, isGzip: false, policy: 'leave', via: 'auto'})).job, engine);
    const backup = path.join(out, readdirSync(out)[0]!);
    expect(run('tar', ['-xOf', backup, '.hawser-manifest.json'])).toMatch(/"path":"report","type":"file",[^}]*"mtime":1700000000\.1234567,"mtimeText":"1700000000\.123456789"/);
    const again = await restore(backup, `${prefix}-acls-again`, 'auto');
    expect(again.differences).toEqual([]);
    expect(facts((await engine.inspectVolume(`${prefix}-acls-again`)).mountpoint)).toEqual(want);

    // The engine applies the times to the ns and the ACLs' xattrs, but gives back whole seconds and no xattrs: said once, not a
    // difference. It sets a folder's default ACL before it writes into it, so what the archive gives no ACL inherits one: said, ✗.
    const api = await restore(file, `${prefix}-acls-api`, 'api');
    expect(api.differences.map(d => `${d.path} ${d.kind}`)).toEqual(['shared/old acl', 'shared/old/before acl']);
    expect(api.differences[0]!.detail).toMatch(/^the engine's archive API gives it an ACL and a default ACL from its folder's default ACL \(user::rwx,user:1000:r-x,group::r-x,group:50:r-x,mask::r-x,other::r-x\)/);
    const viaApi = facts((await engine.inspectVolume(`${prefix}-acls-api`)).mountpoint);
    expect(viaApi.filter(line => !line.startsWith('shared/old'))).toEqual(want.filter(line => !line.startsWith('shared/old')));
    expect(viaApi.find(line => line.startsWith('shared/old/before '))).toMatch(/^shared\/old\/before 1700000000500000000\nuser::rw-\nuser:1000:r-x\t#effective:r--/);
    expect(api.logs.filter(line => /whole seconds/.test(line))).toEqual([
      '6 entries have mtimes with a fraction of a second; the engine\'s archive API gives times back in whole seconds only, so mtimes were compared to the second',
    ]);
  }, 300_000);

  it('finds an ACL that GNU tar could not apply on the local path: a difference, the restore ends ✗ (exit 5)', async () => {
    // Python's tarfile with the text form only, naming a user this machine does not have: GNU tar warns and exits 0.
    const file = path.join(dir, 'bad-acl.tar');
    run('python3', ['-c', `
import io, sys, tarfile
with tarfile.open(sys.argv[1], 'w', format=tarfile.PAX_FORMAT) as t:
    d = tarfile.TarInfo('top'); d.type = tarfile.DIRTYPE; d.mode = 0o755; d.mtime = 1700000000; t.addfile(d)
    for name, acl in [('kept', 'user::rw-\\nuser:0:r--\\ngroup::r--\\nmask::r--\\nother::r--\\n'), ('lost', 'user::rw-\\nuser:no-such-user-hawser:r--\\ngroup::r--\\nmask::r--\\nother::r--\\n')]:
        i = tarfile.TarInfo('top/' + name); i.size = 1; i.mode = 0o644; i.mtime = 1700000000
        i.pax_headers = {'SCHILY.acl.access': acl, 'mtime': '1700000000.25'}
        t.addfile(i, io.BytesIO(b'x'))
`, file]);
    const local = await restore(file, `${prefix}-bad-acl`, 'auto');
    expect(local.via).toBe('local');
    const restored = (await engine.inspectVolume(`${prefix}-bad-acl`)).mountpoint;
    expect(run('getfacl', ['-n', '--omit-header', '--absolute-names', path.join(restored, 'kept')])).toContain('user:0:r--');
    expect(run('getfacl', ['-n', '--omit-header', '--absolute-names', path.join(restored, 'lost')])).not.toMatch(/^user:[^:]/m);
    expect(local.differences).toEqual([{path: 'lost', kind: 'acl', detail: 'ACL expected user::rw-,user:no-such-user-hawser:r--,group::r--,mask::r--,other::r--, found none'}]);
    // A difference is bad news: ✗ on the command line, exit 5 (restore-exit-status.test.ts).
    expect(local.isBadNews).toBe(true);
    expect(local.warnings).toEqual(['lost: ACL expected user::rw-,user:no-such-user-hawser:r--,group::r--,mask::r--,other::r--, found none']);
  }, 300_000);

  it('writes backups that GNU tar, busybox tar and Python read back exactly', async () => {
    const volume = `${prefix}-own`;
    await inVolume(engine, volume, 'cd /v && mkdir -p a/b && echo x > a/b/f && chmod 4750 a/b/f && chown 70000:80000 a/b/f && ln -s a/b/f s && ln a/b/f h && touch -d "1999-09-09" a/b/f a');
    for (const via of ['auto', 'api'] as const) {
      const out = mkdtempSync(path.join(dir, `own-${via}-`));
      await runToEnd((await prepareBackup(engine, {volumes: [volume], output: `${out}/`, isGzip: false, policy: 'leave', via})).job, engine);
      const [name] = readdirSync(out);
      const file = path.join(out, name!);
      const gnuOut = path.join(out, 'gnu');
      mkdirSync(gnuOut);
      run('tar', ['--extract', `--file=${file}`, `--directory=${gnuOut}`, '--exclude=.hawser-manifest.json', ...extractFlags]);
      const pyOut = path.join(out, 'python');
      run('python3', ['-c', 'import tarfile,sys; t=tarfile.open(sys.argv[1]); t.extractall(sys.argv[2], members=[m for m in t.getmembers() if m.name != ".hawser-manifest.json"], numeric_owner=True)', file, pyOut]);
      const inEngine = await inVolume(engine, `${prefix}-own-bb-${via}`, `cd /v && tar -xpf /in/${name} && rm .hawser-manifest.json && find . | sort && stat -c '%n %a %u %g %Y' a/b/f a`, [`${out}:/in`]);
      // GNU tar and Python leave a symlink's own mtime at the time they made it.
      const facts = (tree: string) => treeFacts(tree, {mtimePrecision: 's'}).map(line => line.replace(/^(\S+ l \S+ \S+ \S+) \d+/, '$1 -'));
      const volumeFacts = facts((await engine.inspectVolume(volume)).mountpoint);
      expect(facts(gnuOut), via).toEqual(volumeFacts);
      expect(facts(pyOut), via).toEqual(volumeFacts);
      // busybox keeps owners and file times (not a directory's: it writes into it afterwards), and loses the
      // setuid bit: it changes the owner after the mode, which clears it.
      const seconds = volumeFacts.find(line => line.startsWith('a/b/f '))!.split(' ')[5];
      expect(inEngine, via).toContain(`\na/b/f 750 70000 80000 ${seconds}\n`);
    }
  }, 300_000);

  it('keeps a sparse file sparse on the local path and in its backups; through the API the engine fills the holes, and the restore says so', async () => {
    const top = path.join(dir, 'sparse', 'top');
    mkdirSync(top, {recursive: true});
    const holes = path.join(top, 'holes');
    run('truncate', ['-s', '256M', holes]);
    run('sh', ['-c', `printf start | dd of=${holes} conv=notrunc 2>/dev/null; printf middle | dd of=${holes} bs=1 seek=134217728 conv=notrunc 2>/dev/null`]);
    const sha = (file: string) => run('sha256sum', [file]).split(' ')[0];
    const allocatedKiB = (file: string) => Number(run('du', ['-k', file]).split('\t')[0]);
    const file = path.join(dir, 'sparse.tar');
    // bsdtar writes a file with holes as a sparse entry (PAX 1.0) by default.
    run('bsdtar', ['--create', '--format=pax', '-f', file, '-C', path.join(dir, 'sparse'), 'top']);
    for (const via of ['auto', 'api'] as const) {
      const volume = `${prefix}-sparse-${via}`;
      const result = await restore(file, volume, via);
      expect(result.differences, via).toEqual([]);
      expect(result.warnings.join('\n'), via).toMatch(via === 'api' ? /1 sparse file \(holes\) now takes 268 MB more on disk: the engine's archive API writes holes as zeros/ : /^$/);
      const restored = path.join((await engine.inspectVolume(volume)).mountpoint, 'holes');
      expect(sha(restored), via).toBe(sha(holes));
      // The engine's archive API writes the holes as zeros (no engine tested keeps them): said, not hidden.
      expect(allocatedKiB(restored), via).toBeLessThan(via === 'auto' ? 1024 : 1024 * 1024);
      if (via === 'api') {
        expect(allocatedKiB(restored)).toBeGreaterThan(200 * 1024);
      }
    }

    // Backed up from the volume's directory, the holes stay holes in the archive and in the next restore.
    const out = mkdtempSync(path.join(dir, 'sparse-backup-'));
    await runToEnd((await prepareBackup(engine, {volumes: [`${prefix}-sparse-auto`], output: `${out}/`, isGzip: false, policy: 'leave', via: 'auto'})).job, engine);
    const [name] = readdirSync(out);
    expect(allocatedKiB(path.join(out, name!))).toBeLessThan(1024);
    expect((await restore(path.join(out, name!), `${prefix}-sparse-again`, 'auto')).differences).toEqual([]);
    const again = path.join((await engine.inspectVolume(`${prefix}-sparse-again`)).mountpoint, 'holes');
    expect(sha(again)).toBe(sha(holes));
    expect(allocatedKiB(again)).toBeLessThan(1024);
  }, 300_000);
});
