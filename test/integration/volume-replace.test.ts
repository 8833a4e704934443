// `restore --replace` never leaves a volume holding neither its old contents nor the whole archive:
// the archive goes into a staging volume first and is swapped in only once complete and checked. Here
// hawser is SIGKILLed after each step of the swap (HAWSER_TEST_PAUSE_AFTER), on the local path and
// through the archive API, and `hawser recover` must then finish it (the archive's contents, exactly)
// or roll it back (the old contents, exactly), leaving no staging volume, journal or helper.
import {execFile} from 'node:child_process';
import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {EnginePort} from '../../source/engine/port.js';
import {killHawserAfter} from '../helpers/kill-at-pause.js';
import {dockerHost, noEngine, removeByPrefix, testEngine, uniqueName} from '../helpers/engine.js';
import {describeVolume, inVolume, leftoverHelpers} from './volume-backup-helpers.js';

const run = promisify(execFile);
const cli = path.resolve('dist/cli.js');
const prefix = uniqueName('hwt-rep');
const work = mkdtempSync(path.join(tmpdir(), 'hawser-replace-'));
const stateDir = path.join(work, 'state');
const archive = path.join(work, 'new.tar');
const env = {...process.env, HAWSER_STATE_DIR: stateDir, DOCKER_HOST: dockerHost};
const labels = {'com.example.app': 'shop', tier: 'db'};

async function hawser(args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{code: number; stdout: string; stderr: string}> {
  return run('node', [cli, ...args], {env: {...env, ...extraEnv}}).then(r => ({code: 0, ...r}), (error: {code: number; stdout: string; stderr: string}) => error);
}

/** Runs `hawser restore --replace` paused after `step`, then kills it with SIGKILL once it says it paused. */
async function killReplaceAfter(volume: string, step: string, via: 'local' | 'api'): Promise<void> {
  await killHawserAfter(['restore', archive, '--volume', volume, '--replace', '--yes', ...(via === 'api' ? ['--via-api'] : [])], step, env);
}

describe.skipIf(noEngine)('restore --replace swaps in complete contents, and survives being killed', () => {
  let engine: EnginePort;
  let newContents: string;

  beforeAll(async () => {
    engine = testEngine();
    const source = `${prefix}-source`;
    await engine.createVolume({name: source});
    await inVolume(engine, source, 'echo new > /v/new; mkdir -p /v/dir/sub; echo deep > /v/dir/sub/file; ln -s new /v/link; chown 999:999 /v/dir; chmod 0750 /v');
    expect((await hawser(['backup', source, '-o', archive, '--yes'])).code).toBe(0);
    newContents = await describeVolume(engine, source);
  }, 120_000);

  afterAll(async () => {
    await removeByPrefix(engine, prefix);
    rmSync(work, {recursive: true, force: true});
  });

  async function oldVolume(label: string): Promise<{name: string; contents: string}> {
    const name = `${prefix}-${label}`;
    await engine.createVolume({name, labels});
    await inVolume(engine, name, 'echo old > /v/old; mkdir /v/keep; echo kept > /v/keep/me; echo 1 > /v/new; chmod 0700 /v');
    return {name, contents: await describeVolume(engine, name)};
  }

  async function stagingVolumes(): Promise<string[]> {
    return (await engine.listVolumes()).map(v => v.name).filter(n => n.startsWith(prefix) && n.includes('.hawser-replace-'));
  }

  function journals(): string[] {
    try {
      return readdirSync(path.join(stateDir, 'journal')).filter(f => f.endsWith('.json'));
    } catch {
      return [];
    }
  }

  async function expectClean(): Promise<void> {
    expect(await stagingVolumes()).toEqual([]);
    expect(journals()).toEqual([]);
    expect(await leftoverHelpers(engine, prefix)).toEqual([]);
  }

  for (const via of ['local', 'api'] as const) {
    it(`replaces the contents exactly and keeps the volume's labels (${via})`, async () => {
      const {name} = await oldVolume(`ok-${via}`);
      const result = await hawser(['restore', archive, '--volume', name, '--replace', '--yes', ...(via === 'api' ? ['--via-api'] : []), '--json']);
      expect(result.code).toBe(0);
      const done = result.stdout.split('\n').filter(Boolean).map(line => JSON.parse(line) as {type: string; data?: {via?: string}}).find(event => event.type === 'done');
      expect(done?.data?.via).toBe(via);
      expect(await describeVolume(engine, name)).toBe(newContents);
      expect((await engine.inspectVolume(name)).labels).toEqual(labels);
      await expectClean();
    });
  }

  const cases: ReadonlyArray<readonly ['local' | 'api', string, 'rollback' | 'finish']> = [
    ['local', 'replace-staged', 'rollback'],
    ['local', 'replace-staged', 'finish'],
    ['local', 'replace-moved-old', 'rollback'],
    ['local', 'replace-moved-old', 'finish'],
    ['local', 'replace-swapped', 'rollback'],
    ['local', 'replace-swapped', 'finish'],
    ['api', 'replace-staged', 'rollback'],
    ['api', 'replace-staged', 'finish'],
    ['api', 'replace-emptied', 'finish'],
  ];
  for (const [via, step, action] of cases) {
    it(`hawser killed after ${step} (${via}): recover --${action} leaves the ${action === 'finish' ? 'archive\'s' : 'old'} contents, exactly`, async () => {
      const {name, contents} = await oldVolume(`${via}-${step.slice(8)}-${action}`);
      await killReplaceAfter(name, step, via);
      expect(journals()).toHaveLength(1);

      const listed = await hawser(['recover', '--json']);
      expect(listed.code).toBe(0);
      const pending = JSON.parse(listed.stdout.split('\n')[0]!) as {operations: {kind: string; name: string; step: string; via: string}[]};
      expect(pending.operations).toMatchObject([{kind: 'volume-replace', name, step: step.slice(8), via}]);

      const recovered = await hawser(['recover', `--${action}`, '--yes']);
      expect(recovered.stderr).not.toMatch(/\bat .*\.js:\d+/);
      expect(recovered.code).toBe(0);
      expect(await describeVolume(engine, name)).toBe(action === 'finish' ? newContents : contents);
      expect((await engine.inspectVolume(name)).labels).toEqual(labels);
      await expectClean();
    });
  }

  it('refuses to roll back once the archive API path has emptied the volume, and finishes instead', async () => {
    const {name} = await oldVolume('api-emptied-refused');
    await killReplaceAfter(name, 'replace-emptied', 'api');
    const refused = await hawser(['recover', '--rollback', '--yes']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/already deleted .*cannot be put back\.\n {2}Finish instead: hawser recover --finish/);
    expect(journals()).toHaveLength(1);
    expect((await hawser(['recover', '--finish', '--yes'])).code).toBe(0);
    expect(await describeVolume(engine, name)).toBe(newContents);
    await expectClean();
  });

  it('a damaged archive leaves the volume as it was and no staging volume', async () => {
    const {name, contents} = await oldVolume('damaged');
    const broken = path.join(work, 'broken.tar');
    await run('sh', ['-c', `head -c 3000 "${archive}" > "${broken}"`]);
    const result = await hawser(['restore', broken, '--volume', name, '--replace', '--yes']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/Nothing was written/);
    expect(await describeVolume(engine, name)).toBe(contents);
    await expectClean();
  });
});
