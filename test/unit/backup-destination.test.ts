import {execFileSync} from 'node:child_process';
import {appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Readable} from 'node:stream';
import {gzipSync} from 'node:zlib';
import {afterEach, describe, expect, it} from 'vitest';
import {BackupStream} from '../../source/jobs/volume-archive/format/backup-stream.js';
import {destinationProblem} from '../../source/jobs/volume-archive/backup-paths.js';
import {manifestFormat, manifestVersion} from '../../source/jobs/volume-archive/format/manifest.js';
import {tarOf, type TarEntrySpec} from '../helpers/tar.js';

/** A hawser archive of `entries`, written as a backup writes one: the volume's tar through BackupStream, which adds the manifest. */
async function hawserArchive(entries: readonly TarEntrySpec[]): Promise<Buffer> {
  const stream = new BackupStream({
    format: manifestFormat,
    version: manifestVersion,
    volume: {name: 'data', driver: 'local', labels: {}},
    createdAt: '2025-01-01T00:00:00.000Z',
    engine: {version: '28.0.0', apiVersion: '1.48', os: 'linux', name: 'test'},
  });
  const chunks: Buffer[] = [];
  for await (const chunk of Readable.from([await tarOf(entries, {mtime: new Date(0)})]).pipe(stream)) {
    chunks.push(chunk as Buffer);
  }

  return Buffer.concat(chunks);
}

let dir: string | undefined;
afterEach(() => rmSync(dir ?? '/nonexistent', {recursive: true, force: true}));

describe('where a backup may be written', () => {
  it('never over something that is not a plain file (it would be replaced, not written to)', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hawser-dest-'));
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    writeFileSync(path.join(dir, 'old.tar'), await hawserArchive([{name: './', type: 'directory'}, {name: './a', body: 'a'}]));
    symlinkSync(path.join(dir, 'old.tar'), path.join(dir, 'link.tar'));
    expect((await destinationProblem(path.join(dir, 'pipe'), false))?.message).toMatch(/is a named pipe, not a plain file/);
    expect((await destinationProblem('/dev/null', false))?.message).toMatch(/^\/dev\/null is a device, not a plain file/);
    expect((await destinationProblem(path.join(dir, 'link.tar'), false))?.message).toMatch(/is a symbolic link/);
    expect((await destinationProblem(path.join(dir, 'old.tar', 'x.tar'), false))?.message).toMatch(/old\.tar is a file, not a folder/);
    // An existing archive is fine here (replacing it is asked for separately), and so is a folder still to be made.
    expect(await destinationProblem(path.join(dir, 'old.tar'), false)).toBeUndefined();
    expect(await destinationProblem(path.join(dir, 'new', 'deeper', 'a.tar'), false)).toBeUndefined();
  });

  it('replaces an existing file only when it is a hawser archive (or empty), and says why not and what to do', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hawser-dest-'));
    const at = (name: string) => path.join(dir!, name);
    const archive = await hawserArchive([{name: './', type: 'directory'}, {name: './a', body: 'a'}, {name: './b', body: Buffer.alloc(3000, 7)}]);
    // A manifest of more than 1 MiB: read backwards across more than one read.
    const big = await hawserArchive([{name: './', type: 'directory'}, ...Array.from({length: 9000}, (_, i) => ({name: `./file-with-a-longer-name-${i}`, body: ''}))]);
    expect(big.length - big.lastIndexOf(Buffer.from('.hawser-manifest.json\0'))).toBeGreaterThan(1024 * 1024);
    const foreignTar = await tarOf([{name: 'notes.txt', body: 'mine'}]);
    const files: Record<string, Buffer | string> = {
      'notes.txt': 'my notes, not an archive\n',
      'notes.tar': 'a note under an archive\'s name\n',
      'foreign.tar': foreignTar,
      'appended.tar': Buffer.concat([archive.subarray(0, archive.length - 1024), foreignTar]),
      'cut.tar': archive.subarray(0, archive.length - 512),
      'text.tar.gz': gzipSync('not a tar at all, only compressed\n'.repeat(40)),
      'hawser.tar': archive,
      'big.tar': big,
      'hawser.tar.gz': gzipSync(archive),
      'empty.tar': '',
    };
    for (const [name, content] of Object.entries(files)) {
      writeFileSync(at(name), content, {mode: 0o644});
    }

    const refusal = (name: string, why: string) => ({
      message: `${at(name)} exists and is not a hawser archive (${why}): hawser replaces only its own archives, never other files.`,
      hint: 'Choose another file name (or a folder, ending in /), or remove that file first if it is no longer needed.',
    });
    expect(await destinationProblem(at('notes.txt'), false)).toEqual(refusal('notes.txt', 'it does not start with a tar header'));
    expect(await destinationProblem(at('notes.tar'), false)).toEqual(refusal('notes.tar', 'it does not start with a tar header'));
    expect(await destinationProblem(at('foreign.tar'), false)).toEqual(refusal('foreign.tar', 'it is a tar, but does not end with hawser\'s manifest'));
    // Entries added after the manifest (tar -r), or an archive cut short: not one hawser wrote as it is.
    expect(await destinationProblem(at('appended.tar'), false)).toEqual(refusal('appended.tar', 'it is a tar, but does not end with hawser\'s manifest'));
    expect(await destinationProblem(at('cut.tar'), false)).toEqual(refusal('cut.tar', 'it is a tar, but does not end with hawser\'s manifest'));
    expect(await destinationProblem(at('text.tar.gz'), true)).toEqual(refusal('text.tar.gz', 'it is gzip-compressed, but not a tar.gz'));
    // Each refused file is as it was: content and mode.
    for (const name of ['notes.txt', 'notes.tar', 'foreign.tar', 'appended.tar', 'cut.tar', 'text.tar.gz']) {
      expect(readFileSync(at(name))).toEqual(Buffer.from(files[name]!));
      expect(statSync(at(name)).mode & 0o777).toBe(0o644);
    }

    // hawser's own archives are replaced as before (asked first, or --yes), and so is an empty file (mktemp's).
    expect(await destinationProblem(at('hawser.tar'), false)).toBeUndefined();
    expect(await destinationProblem(at('big.tar'), false)).toBeUndefined();
    expect(await destinationProblem(at('hawser.tar.gz'), true)).toBeUndefined();
    expect(await destinationProblem(at('empty.tar'), false)).toBeUndefined();
    // One byte more at the end, and it no longer ends as hawser's archive does.
    appendFileSync(at('hawser.tar'), 'x');
    expect((await destinationProblem(at('hawser.tar'), false))?.message).toMatch(/is not a hawser archive \(it is a tar, but does not end with hawser's manifest\)/);
  });

  it('refuses a path too long for the system before using it, with what to do', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hawser-dest-'));
    const hint = 'Give a shorter path (-o): shorter names, or fewer folders.';
    expect(await destinationProblem(path.join(dir, `${'a'.repeat(5000)}.tar`), false)).toEqual({
      message: `The archive's file name ${'a'.repeat(50)}…${'a'.repeat(16)}.tar is too long: 5004 bytes, and with the temporary name it is written under first (.NAME.partial-…) it can have at most 237.`,
      hint,
    });
    // The temporary file beside it is 18 bytes longer: 237 is the most that works, and it does.
    expect(await destinationProblem(path.join(dir, `${'b'.repeat(233)}.tar`), false)).toBeUndefined();
    expect((await destinationProblem(path.join(dir, `${'b'.repeat(234)}.tar`), false))?.message).toMatch(/is too long: 238 bytes/);
    expect(await destinationProblem(path.join(dir, 'x'.repeat(300), 'a.tar'), false)).toEqual({message: expect.stringMatching(/^The archive's path .* is too long: a folder name in it is 300 bytes long, and a name can have at most 255\.$/) as string, hint});
    expect((await destinationProblem(path.join(dir, ...Array.from({length: 30}, () => 'c'.repeat(200)), 'a.tar'), false))?.message).toMatch(/^The archive's path .{50}….{20} is too long: \d+ bytes, and with its temporary name it can have at most 4077\.$/);
    // Nothing was made on the way.
    expect(readdirSync(dir)).toEqual([]);
    mkdirSync(path.join(dir, 'ok'));
    expect(await destinationProblem(path.join(dir, 'ok', 'a.tar'), false)).toBeUndefined();
  });

  it('the name and the compression agree', async () => {
    expect(await destinationProblem('/tmp/none-such-dir/a.tar.gz', false)).toEqual({message: 'a.tar.gz names a gzip archive, but compression is off.', hint: 'Turn gzip on (--gzip), or name the file a.tar.'});
    expect((await destinationProblem('/tmp/none-such-dir/a.tgz', false))?.hint).toMatch(/name the file a\.tar\./);
    expect(await destinationProblem('/tmp/none-such-dir/a.tar', true)).toEqual({message: 'a.tar names a plain tar, but gzip is on.', hint: 'Name the file a.tar.gz, or turn gzip off (no --gzip).'});
    expect(await destinationProblem('/tmp/none-such-dir/a.tar.gz', true)).toBeUndefined();
    expect(await destinationProblem('/tmp/none-such-dir/a.tar', false)).toBeUndefined();
  });

  it('refuses "-": archives go to files, not to standard output', async () => {
    expect((await destinationProblem(path.resolve('-'), false))?.message).toMatch(/^-o - would write a file named "-"/);
  });

  it('refuses a folder nothing can be written in, by trying (permission bits do not tell for root), and leaves nothing there', async () => {
    expect(await destinationProblem('/proc/hawser-test.tar', false)).toEqual({message: 'Cannot write an archive in /proc: it refuses new files (ENOENT).', hint: 'Choose a folder you can write to (the default is the backups folder).'});
    // A folder still to be made is tried where it would be made.
    expect((await destinationProblem('/proc/none/such/a.tar', false))?.message).toBe('Cannot write an archive in /proc: it refuses new files (ENOENT).');
    dir = mkdtempSync(path.join(tmpdir(), 'hawser-dest-'));
    expect(await destinationProblem(path.join(dir, 'a.tar'), false)).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
  });
});
