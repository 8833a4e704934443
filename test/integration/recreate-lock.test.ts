// One hawser at a time per container (issue 27, item 5): a second switch of a container that another
// hawser is changing is refused before it changes anything, naming the lock; a switch over an
// operation a dead hawser left unfinished is refused until `hawser recover`; and a journal whose
// containers are both gone is closed by recover with a note instead of each action sending the user
// to the other. The CLI runs as child processes against the isolated engine.
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {EnginePort} from '../../source/engine/port.js';
import {currentMode} from '../../source/model/network-modes.js';
import {killHawserAfter} from '../helpers/kill-at-pause.js';
import {dockerHost, noEngine, removeByPrefix, runBusybox, serviceWithData, sh, testEngine, uniqueName} from '../helpers/engine.js';
import {hawserIn} from '../helpers/cli.js';

type Result = {code: number; stdout: string; stderr: string};

const cli = path.resolve('dist/cli.js');
const prefix = uniqueName('hwt-lock');
const stateDir = mkdtempSync(path.join(tmpdir(), 'hawser-lock-'));
const journalDir = path.join(stateDir, 'journal');
const env = {...process.env, HAWSER_STATE_DIR: stateDir, DOCKER_HOST: dockerHost};

const hawser = hawserIn(env);

/** Runs `hawser ...args` until it pauses after `step` (HAWSER_TEST_PAUSE_AFTER); SIGUSR2 lets it go on. */
function startPaused(args: readonly string[], step: string): {child: ChildProcess; paused: Promise<void>; ended: Promise<Result>} {
  const child = spawn('node', [cli, ...args], {env: {...env, HAWSER_TEST_PAUSE_AFTER: step}, stdio: ['ignore', 'pipe', 'pipe']});
  let stdout = '';
  let stderr = '';
  let onPause: () => void = () => undefined;
  const paused = new Promise<void>(resolve => {
    onPause = resolve;
  });
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stderr.includes(`test pause after ${step}`)) {
      onPause();
    }
  });
  const ended = new Promise<Result>(resolve => {
    child.on('exit', code => resolve({code: code ?? -1, stdout, stderr}));
  });
  return {child, paused: Promise.race([paused, ended.then(r => Promise.reject(new Error(`hawser ${args.join(' ')} ended before pausing after ${step}: ${r.stderr}`)))]), ended};
}

/** What is left in the journal folder: journals, locks, half-written files. */
function journalFolder(): string[] {
  return existsSync(journalDir) ? readdirSync(journalDir) : [];
}

/** The pid of a process that has ended: nothing runs under it now. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {encoding: 'utf8'}).stdout);
}

describe.skipIf(noEngine)('one hawser at a time per container', () => {
  let engine: EnginePort;

  beforeAll(() => {
    engine = testEngine();
  });

  afterAll(async () => {
    await removeByPrefix(engine, prefix);
    rmSync(stateDir, {recursive: true, force: true});
  });

  async function original(label: string): Promise<{name: string; id: string}> {
    return serviceWithData(engine, `${prefix}-${label}`, `payload-${label}`);
  }

  /** Every container of this name, hawser's temporary and aside ones included. */
  async function containersOf(name: string): Promise<string[]> {
    return (await engine.listContainers()).filter(c => c.name === name || c.name.startsWith(`${name}-hawser-`)).map(c => `${c.name} ${c.id} ${c.state}`).sort();
  }

  async function orphans(name: string): Promise<string[]> {
    return (await engine.listContainers()).filter(c => c.name.startsWith(`${name}-hawser-old-`) || c.name.startsWith(`${name}-hawser-new-`)).map(c => c.name);
  }

  for (const step of ['created', 'renamed-new']) {
    it(`a second switch while the first is paused after "${step}" is refused naming the lock; the first finishes; nothing is orphaned`, async () => {
      const {name, id} = await original(`two-${step}`);
      const first = startPaused(['netmode', name, 'host', '--yes'], step);
      await first.paused;
      const before = await containersOf(name);

      const second = await hawser(['netmode', name, 'none', '--yes']);
      expect(second.stderr).toMatch(new RegExp(`${name} is being changed by another hawser \\(pid ${first.child.pid}, since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\); wait for it, or run hawser recover if it died\\.\\n  Nothing was changed\\.`));
      expect(second.code).toBe(1);
      expect(second.stdout).not.toMatch(/✓/);
      expect(await containersOf(name)).toEqual(before);

      first.child.kill('SIGUSR2');
      const done = await first.ended;
      expect(done.stderr).not.toMatch(/Conflict|failed/i);
      expect(done.code).toBe(0);
      expect(done.stdout).toMatch(new RegExp(`✓ ${name} is now in host mode`));
      const after = await engine.inspectContainer(name);
      expect(after.id).not.toBe(id);
      expect(currentMode(after)).toBe('host');
      expect(after.isRunning).toBe(true);
      expect(await sh(engine, name, 'cat /data/file')).toBe(`payload-two-${step}\n`);
      expect(await orphans(name)).toEqual([]);
      expect(await containersOf(name)).toHaveLength(1);
      expect(journalFolder()).toEqual([]);
    });
  }

  it('two switches started at the same moment: each succeeds or is refused before changing anything, the container ends in the mode of the last success, nothing orphaned', async () => {
    const {name} = await original('race');
    const finished: {mode: string; result: Result}[] = [];
    await Promise.all(['host', 'none'].map(async mode => {
      const result = await hawser(['netmode', name, mode, '--yes']);
      finished.push({mode, result});
    }));
    const successes = finished.filter(f => f.result.code === 0);
    expect(successes.length).toBeGreaterThan(0);
    for (const {result} of finished) {
      expect(result.stderr).not.toMatch(/Conflict|putting it back failed/i);
      if (result.code !== 0) {
        expect(result.stderr).toMatch(/is being changed by another hawser \(pid \d+, since .*\n  Nothing was changed|changed since this was planned.*\n  Nothing was changed|No container named/);
        expect(result.stdout).not.toMatch(/✓/);
      }
    }

    const after = await engine.inspectContainer(name);
    expect(currentMode(after)).toBe(successes.at(-1)!.mode);
    expect(after.isRunning).toBe(true);
    expect(await sh(engine, name, 'cat /data/file')).toBe('payload-race\n');
    expect(await orphans(name)).toEqual([]);
    expect(journalFolder()).toEqual([]);
  });

  for (const step of ['created', 'renamed-new']) {
    it(`a switch is refused while a dead hawser's journal for that container (killed after "${step}") is pending: run hawser recover first`, async () => {
      const {name, id} = await original(`pending-${step}`);
      await killHawserAfter(['netmode', name, 'host', '--yes'], step, env);
      const before = await containersOf(name);

      const refused = await hawser(['netmode', name, 'none', '--yes']);
      expect(refused.stderr).toMatch(new RegExp(`${name} has an unfinished operation left by a hawser that is gone \\(pid \\d+\\): recreate ${name} in host mode.*\\n  Nothing was changed\\. Run hawser recover first`));
      expect(refused.code).toBe(1);
      expect(await containersOf(name)).toEqual(before);
      expect(journalFolder().filter(file => file.endsWith('.json'))).toHaveLength(1);

      const recovered = await hawser(['recover', '--rollback', '--yes']);
      expect(recovered.code).toBe(0);
      const after = await engine.inspectContainer(name);
      expect(after.id).toBe(id);
      expect(after.isRunning).toBe(true);
      expect(currentMode(after)).toBe('bridge');
      expect(await orphans(name)).toEqual([]);
      expect(journalFolder()).toEqual([]);
    });
  }

  for (const action of ['rollback', 'finish']) {
    it(`recover --${action} closes a journal whose original and replacement are both gone, with a note, leaving what the user made alone`, async () => {
      const {name, id} = await original(`gone-${action}`);
      await killHawserAfter(['netmode', name, 'host', '--yes'], 'renamed-new', env);
      const replacement = await engine.inspectContainer(name);
      expect(replacement.id).not.toBe(id);
      // The user removes both, makes a new container under the name, and one with a name like hawser's.
      await engine.removeContainer(id, {force: true});
      await engine.removeContainer(replacement.id, {force: true});
      const mine = await runBusybox(engine, name, 'sleep 100000');
      const lookalike = await runBusybox(engine, `${name}-hawser-old-123abc`, 'sleep 100000');
      // A journal file half-written by a hawser that was SIGKILLed between writing and renaming it.
      const halfWritten = path.join(journalDir, `recreate-${name}-0a0b0c.json.${deadPid()}.tmp`);
      writeFileSync(halfWritten, '{"version": 1, "kind": "recr');

      const recovered = await hawser(['recover', `--${action}`, '--yes']);
      expect(recovered.stderr).not.toMatch(/instead/);
      expect(recovered.code).toBe(0);
      expect(recovered.stdout).toMatch(new RegExp(`✓ Nothing was left to act on: the original ${name} \\(${id.slice(0, 12)}\\) and its replacement are both gone .*; ${name} is now container ${mine.slice(0, 12)}, which this operation did not make \\(it was left alone\\)\\. The unfinished operation was closed\\.`));
      expect(journalFolder()).toEqual([]);
      expect((await engine.inspectContainer(name)).id).toBe(mine);
      expect((await engine.inspectContainer(lookalike)).isRunning).toBe(true);

      const again = await hawser(['recover']);
      expect(again.stderr).toMatch(/Nothing to recover/);
    });
  }
});
