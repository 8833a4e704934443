import {execFileSync} from 'node:child_process';
import {mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {destinationProblem} from '../../source/jobs/volume-archive/backup-paths.js';

let dir: string | undefined;
afterEach(() => rmSync(dir ?? '/nonexistent', {recursive: true, force: true}));

describe('where a backup may be written', () => {
  it('never over something that is not a plain file (it would be replaced, not written to)', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hawser-dest-'));
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    writeFileSync(path.join(dir, 'old.tar'), 'x');
    symlinkSync(path.join(dir, 'old.tar'), path.join(dir, 'link.tar'));
    expect(destinationProblem(path.join(dir, 'pipe'), false)?.message).toMatch(/is a named pipe, not a plain file/);
    expect(destinationProblem('/dev/null', false)?.message).toMatch(/^\/dev\/null is a device, not a plain file/);
    expect(destinationProblem(path.join(dir, 'link.tar'), false)?.message).toMatch(/is a symbolic link/);
    expect(destinationProblem(path.join(dir, 'old.tar', 'x.tar'), false)?.message).toMatch(/old\.tar is a file, not a folder/);
    // An existing archive is fine here (replacing it is asked for separately), and so is a folder still to be made.
    expect(destinationProblem(path.join(dir, 'old.tar'), false)).toBeUndefined();
    expect(destinationProblem(path.join(dir, 'new', 'deeper', 'a.tar'), false)).toBeUndefined();
  });

  it('the name and the compression agree', () => {
    expect(destinationProblem('/tmp/none-such-dir/a.tar.gz', false)).toEqual({message: 'a.tar.gz names a gzip archive, but compression is off.', hint: 'Turn gzip on (--gzip), or name the file a.tar.'});
    expect(destinationProblem('/tmp/none-such-dir/a.tgz', false)?.hint).toMatch(/name the file a\.tar\./);
    expect(destinationProblem('/tmp/none-such-dir/a.tar', true)).toEqual({message: 'a.tar names a plain tar, but gzip is on.', hint: 'Name the file a.tar.gz, or turn gzip off (no --gzip).'});
    expect(destinationProblem('/tmp/none-such-dir/a.tar.gz', true)).toBeUndefined();
    expect(destinationProblem('/tmp/none-such-dir/a.tar', false)).toBeUndefined();
  });

  it('refuses "-": archives go to files, not to standard output', () => {
    expect(destinationProblem(path.resolve('-'), false)?.message).toMatch(/^-o - would write a file named "-"/);
  });

  it('refuses a folder nothing can be written in, by trying (permission bits do not tell for root), and leaves nothing there', () => {
    expect(destinationProblem('/proc/hawser-test.tar', false)).toEqual({message: 'Cannot write an archive in /proc: it refuses new files (ENOENT).', hint: 'Choose a folder you can write to (the default is the backups folder).'});
    // A folder still to be made is tried where it would be made.
    expect(destinationProblem('/proc/none/such/a.tar', false)?.message).toBe('Cannot write an archive in /proc: it refuses new files (ENOENT).');
    dir = mkdtempSync(path.join(tmpdir(), 'hawser-dest-'));
    expect(destinationProblem(path.join(dir, 'a.tar'), false)).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
  });
});
