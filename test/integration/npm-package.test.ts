// The npm package ships what runs: the bundle, the readme, the licence. Packed as `npm pack` makes it and
// installed into an empty prefix with the registry out of reach, it must give its version, list the
// engine's containers and show the TUI's first screen: nothing is fetched at install, nothing is missing.
import {execFile} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {dockerHost, noEngine, removeByPrefix, runBusybox, testEngine, uniqueName} from '../helpers/engine.js';
import {TmuxSession} from '../helpers/tmux.js';

const run = promisify(execFile);
const prefix = uniqueName('hwpkg');
const version = (JSON.parse(readFileSync('package.json', 'utf8')) as {version: string}).version;

describe.skipIf(noEngine)('the npm package, installed with no registry', () => {
  const engine = testEngine();
  let dir: string;
  let hawser: string;
  let tarball: string;
  let session: TmuxSession | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hawser-package-'));
    await runBusybox(engine, `${prefix}-web`, 'exec sleep 1000');
    const packed = await run('npm', ['pack', '--pack-destination', dir, '--json'], {encoding: 'utf8'});
    tarball = path.join(dir, (JSON.parse(packed.stdout) as [{filename: string}])[0].filename);
    // No registry: an install that needs anything from it fails instead of fetching.
    const env = {...process.env, npm_config_registry: 'http://127.0.0.1:9/', npm_config_offline: 'true'};
    await run('npm', ['install', '--global', '--prefix', path.join(dir, 'prefix'), '--no-audit', '--no-fund', tarball], {env});
    hawser = path.join(dir, 'prefix', 'bin', 'hawser');
  }, 120_000);

  afterAll(async () => {
    session?.kill();
    TmuxSession.stopServer();
    await removeByPrefix(engine, prefix);
    rmSync(dir, {recursive: true, force: true});
  });

  it('holds the bundle, readme, licence and metadata only, and installs nothing else', async () => {
    const {stdout} = await run('tar', ['-tzf', tarball], {encoding: 'utf8'});
    const files = stdout.trim().split('\n');
    expect(files).toEqual(expect.arrayContaining(['package/LICENSE', 'package/readme.md', 'package/package.json', 'package/dist/cli.js']));
    expect(files.filter(file => !/^package\/(LICENSE|readme\.md|package\.json|dist\/cli\.js|dist\/chunks\/[\w-]+\.js)$/.test(file))).toEqual([]);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'prefix', 'lib', 'node_modules', 'hawser', 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest['dependencies']).toBeUndefined();
    expect(manifest['scripts']).not.toHaveProperty('install');
    expect(manifest['scripts']).not.toHaveProperty('postinstall');
    const {stdout: installed} = await run('find', [path.join(dir, 'prefix', 'lib', 'node_modules'), '-maxdepth', '1', '-mindepth', '1'], {encoding: 'utf8'});
    expect(installed.trim().split('\n').map(entry => path.basename(entry))).toEqual(['hawser']);
  });

  it('gives its version and lists the engine\'s containers', async () => {
    expect((await run(hawser, ['--version'], {encoding: 'utf8'})).stdout.trim()).toBe(version);
    const listed = await run(hawser, ['--host', dockerHost, 'ls', 'containers', '--json'], {encoding: 'utf8'});
    expect(listed.stdout).toContain(`${prefix}-web`);
  });

  it('shows the TUI\'s first screen in a real terminal, and q ends it', async () => {
    session = new TmuxSession(`${hawser} --host ${dockerHost}; echo "AFTER-$?"; sleep 60`);
    expect(await session.waitFor(`${prefix}-web`)).toContain('Containers');
    await new Promise(resolve => setTimeout(resolve, 400));
    await session.press('q');
    expect(await session.waitFor('AFTER-0')).toContain('AFTER-0');
  });
});
