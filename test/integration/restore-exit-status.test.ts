// A restore's exit status tells the truth: when the compare finds a difference (the archive API
// keeps no time before 1970 on any engine tested), the run ends with ✗ and exit 5, and --json
// carries the differences; a script using --yes can tell.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {dockerHost, noEngine, removeByPrefix, testEngine, uniqueName} from '../helpers/engine.js';
import {hawserIn} from '../helpers/cli.js';

const prefix = uniqueName('hwt-rx');
const dir = mkdtempSync(path.join(tmpdir(), 'hawser-rx-'));
const archive = path.join(dir, 'old.tar');
const env = {...process.env, DOCKER_HOST: dockerHost, HAWSER_STATE_DIR: dir};

const hawser = hawserIn(env);

describe.skipIf(noEngine)('restore exit status', () => {
  const engine = noEngine ? undefined as never : testEngine();
  afterAll(async () => {
    await removeByPrefix(engine, prefix);
    rmSync(dir, {recursive: true, force: true});
  });

  it('exits 5 with ✗ and the differences in --json when the compare finds one; 0 when it matches', async () => {
    // A pax archive (Python's tarfile, as a user's script would make it) with a file from 1960.
    execFileSync('python3', ['-c', `
import io, sys, tarfile
with tarfile.open(sys.argv[1], 'w', format=tarfile.PAX_FORMAT) as t:
    d = tarfile.TarInfo('.'); d.type = tarfile.DIRTYPE; d.mode = 0o755; d.mtime = 1700000000; t.addfile(d)
    i = tarfile.TarInfo('./old.txt'); i.size = 6; i.mtime = -315619200; i.mode = 0o644; t.addfile(i, io.BytesIO(b'hello\\n'))
`, archive]);
    const api = await hawser(['restore', archive, '--volume', `${prefix}-api`, '--new', '--yes', '--via-api', '--json']);
    expect(api.code).toBe(5);
    const done = JSON.parse(api.stdout.trim().split('\n').pop()!) as {type: string; isBadNews?: boolean; data: {differences: {path: string; kind: string}[]}};
    expect(done).toMatchObject({type: 'done', isBadNews: true});
    expect(done.data.differences).toEqual([expect.objectContaining({path: 'old.txt', kind: 'mtime'})]);
    const plain = await hawser(['restore', archive, '--volume', `${prefix}-api2`, '--new', '--yes', '--via-api']);
    expect(plain.code).toBe(5);
    expect(plain.stdout).toMatch(/^✗ Restored into volume .* with 1 difference/m);

    // Written directly into the volume's folder, 1960 is kept: the compare matches, exit 0 and ✓.
    const local = await hawser(['restore', archive, '--volume', `${prefix}-local`, '--new', '--yes']);
    expect(local.stdout).toMatch(/^✓ Restored 2 entries/m);
    expect(local.code).toBe(0);
  });
});
