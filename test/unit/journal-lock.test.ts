// The per-container lock of a recreate, and the journal folder's litter: a second hawser wanting the
// same container is refused before anything changes, naming who holds it; a lock whose hawser died is
// taken over; a switch over an unfinished operation is refused; half-written journal files of dead
// hawsers are removed by recover.
import {spawn, spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync} from 'node:fs';
import {hostname, tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {JobError} from '../../source/jobs/job.js';
import {journalDir, removeStaleTemporaryFiles, writeJournalFile} from '../../source/jobs/journal-file.js';
import type {RecreateJournal} from '../../source/jobs/recreate/journal.js';
import {lockContainer, lockFileOf, removeStaleLocks} from '../../source/jobs/recreate/lock.js';
import type {RecreatePlan} from '../../source/jobs/recreate/plan.js';
import {recreateSteps} from '../../source/jobs/recreate/recreate-job.js';
import {FakeEngine, fakeContainer} from '../helpers/fake-engine.js';

const engineAddress = 'unix:///fake.sock';
const id = `${'a'.repeat(12)}${'0'.repeat(52)}`;

/** The pid of a process that has ended (and was reaped): nothing runs under it now. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {encoding: 'utf8'});
  return Number(child.stdout);
}

function writeLock(file: string, holder: Record<string, unknown>): void {
  mkdirSync(path.dirname(file), {recursive: true});
  writeFileSync(file, JSON.stringify({version: 1, kind: 'container-lock', engine: engineAddress, containerId: id, name: 'web', purpose: 'switch web to host mode', host: hostname(), since: '2025-01-02T03:04:05.000Z', token: 'x', ...holder}));
}

function locks(): string[] {
  return existsSync(journalDir()) ? readdirSync(journalDir()).filter(name => name.endsWith('.lock')) : [];
}

let stateDir: string;
beforeEach(() => {
  stateDir = mkdtempSync(path.join(tmpdir(), 'hawser-lock-'));
  process.env['HAWSER_STATE_DIR'] = stateDir;
});
afterEach(() => {
  delete process.env['HAWSER_STATE_DIR'];
  rmSync(stateDir, {recursive: true, force: true});
});

describe('the per-container lock', () => {
  it('is a file in the journal folder while held, gone once released; released twice is fine', () => {
    const lock = lockContainer(engineAddress, id, 'web', 'switch web to host mode');
    expect(locks()).toEqual([path.basename(lockFileOf(engineAddress, id))]);
    lock.release();
    lock.release();
    expect(locks()).toEqual([]);
  });

  it('is keyed by engine and container: another engine or another container is not held up', () => {
    const lock = lockContainer(engineAddress, id, 'web', 'a');
    const other = lockContainer('tcp://elsewhere:2376', id, 'web', 'b');
    const second = lockContainer(engineAddress, `${'b'.repeat(12)}${'0'.repeat(52)}`, 'db', 'c');
    expect(locks()).toHaveLength(3);
    for (const held of [lock, other, second]) {
      held.release();
    }

    expect(locks()).toEqual([]);
  });

  it('refuses a second hawser that is alive, naming its pid and since when', async () => {
    const other = spawn('sleep', ['30']);
    try {
      writeLock(lockFileOf(engineAddress, id), {pid: other.pid});
      const attempt = () => lockContainer(engineAddress, id, 'web', 'switch web to none mode');
      expect(attempt).toThrow(JobError);
      expect(attempt).toThrow(new RegExp(`^web is being changed by another hawser \\(pid ${other.pid}, since 2025-01-02 03:04:05 UTC\\); wait for it, or run hawser recover if it died\\.$`));
      expect(locks()).toHaveLength(1);
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('refuses the same process asking twice (two jobs of one TUI), and lets it go once released', () => {
    const lock = lockContainer(engineAddress, id, 'web', 'switch web to host mode');
    expect(() => lockContainer(engineAddress, id, 'web', 'link web')).toThrow(/^web is already being changed by this hawser \(switch web to host mode, since /);
    lock.release();
    lockContainer(engineAddress, id, 'web', 'link web').release();
  });

  it('covers the replacement once extended: a hawser that finds the new container under the name is refused', () => {
    const newId = `${'c'.repeat(12)}${'0'.repeat(52)}`;
    const lock = lockContainer(engineAddress, id, 'web', 'switch web to host mode');
    lock.extend(newId);
    expect(() => lockContainer(engineAddress, newId, 'web', 'switch web to none mode')).toThrow(/already being changed by this hawser/);
    lock.release();
    expect(locks()).toEqual([]);
  });

  it('takes over the lock of a hawser that died on this machine', () => {
    const file = lockFileOf(engineAddress, id);
    writeLock(file, {pid: deadPid()});
    const lock = lockContainer(engineAddress, id, 'web', 'switch web to host mode');
    expect(locks()).toHaveLength(1);
    lock.release();
    expect(existsSync(file)).toBe(false);
  });

  it('takes over a lock this pid left in an earlier life, but not one of another machine', () => {
    writeLock(lockFileOf(engineAddress, id), {pid: process.pid, token: 'earlier'});
    lockContainer(engineAddress, id, 'web', 'a').release();
    writeLock(lockFileOf(engineAddress, id), {pid: deadPid(), host: 'another-machine'});
    expect(() => lockContainer(engineAddress, id, 'web', 'a')).toThrow(/being changed by another hawser \(pid \d+ on another-machine, since /);
  });

  it('takes over a lock file that was never finished once it is old, not while it may still be written', () => {
    const file = lockFileOf(engineAddress, id);
    mkdirSync(path.dirname(file), {recursive: true});
    writeFileSync(file, '');
    expect(() => lockContainer(engineAddress, id, 'web', 'a')).toThrow(/being changed by another hawser; wait for it/);
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    lockContainer(engineAddress, id, 'web', 'a').release();
    expect(existsSync(file)).toBe(false);
  });

  it('recover removes the locks of dead hawsers and keeps those of live ones', () => {
    const other = spawn('sleep', ['30']);
    try {
      const otherId = `${'d'.repeat(12)}${'0'.repeat(52)}`;
      writeLock(lockFileOf(engineAddress, id), {pid: deadPid()});
      writeLock(lockFileOf(engineAddress, otherId), {pid: other.pid});
      expect(removeStaleLocks()).toEqual([lockFileOf(engineAddress, id)]);
      expect(locks()).toEqual([path.basename(lockFileOf(engineAddress, otherId))]);
    } finally {
      other.kill('SIGKILL');
    }
  });
});

describe('half-written journal files', () => {
  it('recover removes the *.json.PID.tmp of dead hawsers, not those of live ones or its own', () => {
    const other = spawn('sleep', ['30']);
    try {
      mkdirSync(journalDir(), {recursive: true});
      const dead = `recreate-web-abc123.json.${deadPid()}.tmp`;
      const live = `recreate-db-abc123.json.${other.pid}.tmp`;
      const own = `recreate-x-abc123.json.${process.pid}.tmp`;
      for (const name of [dead, live, own, 'recreate-web-abc123.json']) {
        writeFileSync(path.join(journalDir(), name), '{"version": 1, "kind": "recr');
      }

      expect(removeStaleTemporaryFiles()).toEqual([path.join(journalDir(), dead)]);
      expect(readdirSync(journalDir()).sort()).toEqual([live, own, 'recreate-web-abc123.json'].sort());
    } finally {
      other.kill('SIGKILL');
    }
  });
});

describe('a recreate refuses before it changes anything', () => {
  const plan = {containerId: id, name: 'web', fromMode: 'bridge', toMode: 'host', spec: {Image: 'busybox'}, extraNetworks: [], dropped: [], restored: [], restartPolicy: {Name: 'no'}, wasRunning: true, hasHealthcheck: false, anonymousVolumes: []} as unknown as RecreatePlan;

  async function drain(engine: FakeEngine): Promise<void> {
    for await (const _event of recreateSteps(engine, plan, new AbortController().signal)) {
      // Nothing to see: it must throw first.
    }
  }

  it('while another hawser holds the container', async () => {
    const other = spawn('sleep', ['30']);
    try {
      const engine = new FakeEngine();
      engine.containers = [fakeContainer('web', {id})];
      writeLock(lockFileOf(engine.address, id), {pid: other.pid});
      await expect(drain(engine)).rejects.toThrow(new RegExp(`web is being changed by another hawser \\(pid ${other.pid}, since `));
      expect(engine.calls).toEqual([]);
      expect(readdirSync(journalDir()).filter(name => name.endsWith('.json'))).toEqual([]);
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('while an operation a dead hawser left on that container is pending: run hawser recover first; the lock is let go', async () => {
    const engine = new FakeEngine();
    engine.containers = [fakeContainer('web', {id})];
    const journal: RecreateJournal = {
      version: 1, kind: 'recreate', id: 'recreate-web-abc123', engine: engine.address, name: 'web', oldId: `${'e'.repeat(12)}${'0'.repeat(52)}`, newId: id,
      temporaryName: 'web-hawser-new-abc123', asideName: 'web-hawser-old-abc123', restartPolicy: {Name: 'no'}, wasRunning: true, hasHealthcheck: false, extraNetworks: [],
      purpose: 'switch web to host mode', step: 'renamed-new', pid: deadPid(), host: hostname(), startedAt: '2025-01-02T03:04:05.000Z', updatedAt: '2025-01-02T03:04:06.000Z',
    };
    writeJournalFile(journal);
    const error = await drain(engine).then(() => undefined, (thrown: unknown) => thrown as JobError);
    expect(error?.message).toMatch(/^web has an unfinished operation left by a hawser that is gone \(pid \d+\): switch web to host mode, started 2025-01-02 03:04:05 UTC\.$/);
    expect(error?.hint).toMatch(/Nothing was changed\. Run hawser recover first/);
    expect(engine.calls).toEqual([]);
    expect(locks()).toEqual([]);
  });

  it('when the container was replaced since it was planned (another hawser finished first)', async () => {
    const engine = new FakeEngine();
    engine.containers = [fakeContainer('web')];
    await expect(drain(engine)).rejects.toThrow(/^web changed since this was planned: container aaaaaaaaaaaa is gone/);
    expect(readdirSync(journalDir()).filter(name => !name.startsWith('.'))).toEqual([]);
  });
});
