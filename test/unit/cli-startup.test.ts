// What a command loads before it does its work: the bundle as scripts/bundle.mjs makes it, run as a
// user runs it. A backup or a restore must not pay for the TUI (React, Ink), dockerode (gRPC), ssh2 or
// the other commands' jobs; each of those costs tens of milliseconds on every start.
import {execFileSync, spawnSync} from 'node:child_process';
import {copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {beforeAll, describe, expect, it} from 'vitest';

// Inside node_modules, so that the bundle's require() finds the packages left outside it.
const root = path.resolve('node_modules/.cache', `hawser-startup-${process.pid}`);
const record = path.join(root, 'loaded.txt');

/** A preload that writes down every module resolved (ESM) and every CommonJS file required. */
const hooks = `import {appendFileSync} from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(record)}, result.url + '\\n');
  return result;
}
`;
const preload = `import {appendFileSync} from 'node:fs';
import {createRequire, register} from 'node:module';
register(${JSON.stringify(`file://${path.join(root, 'hooks.mjs')}`)});
const require = createRequire(import.meta.url);
process.on('exit', () => appendFileSync(${JSON.stringify(record)}, Object.keys(require.cache).join('\\n') + '\\n'));
`;

/** Runs the bundled CLI against an engine that is not there; returns what it printed and what it loaded. */
function run(args: readonly string[]): {status: number | null; stderr: string; loaded: string[]; text: string} {
  rmSync(record, {force: true});
  const result = spawnSync(process.execPath, ['--import', path.join(root, 'preload.mjs'), path.join(root, 'dist', 'cli.js'), ...args], {
    encoding: 'utf8',
    env: {...process.env, DOCKER_HOST: `unix://${path.join(root, 'no-engine.sock')}`, HAWSER_CONFIG: path.join(root, 'no-config.json'), HOME: root},
  });
  const loaded = readFileSync(record, 'utf8').split('\n').filter(Boolean);
  // The bundle's own files, read back: esbuild names each bundled source file in a comment.
  const text = loaded.filter(url => url.startsWith('file://') && url.includes('/dist/')).map(url => readFileSync(fileURLToPath(url), 'utf8')).join('\n');
  return {status: result.status, stderr: result.stderr, loaded, text};
}

const neverLoaded = [
  ['the TUI', /\/\/ source\/ui\/|\/\/ node_modules\/(ink|react|react-reconciler)\//],
  ['dockerode and gRPC', /\/\/ node_modules\/(dockerode|@grpc|protobufjs)\//],
  // (The forwarding command's help names the default sysctl folder: that one small module is allowed.)
  ['other commands\' jobs', /\/\/ source\/jobs\/(links|recreate|networks|network-mode|doctor|forwarding\/(?!sysctl-files\.ts))/],
  ['the sandbox', /\/\/ source\/sandbox\/(sandbox|seed|test-image)\.ts/],
  ['the progress bar (nothing draws one with --json)', /\/\/ node_modules\/cli-progress\//],
] as const;

describe('what a command loads', () => {
  beforeAll(() => {
    rmSync(root, {recursive: true, force: true});
    mkdirSync(root, {recursive: true});
    copyFileSync('package.json', path.join(root, 'package.json'));
    writeFileSync(path.join(root, 'hooks.mjs'), hooks);
    writeFileSync(path.join(root, 'preload.mjs'), preload);
    execFileSync(process.execPath, ['scripts/bundle.mjs', path.join(root, 'dist')], {stdio: 'pipe'});
    return () => rmSync(root, {recursive: true, force: true});
  }, 120_000);

  it('a reader that stops early (| head) is not an error: no stack trace, exit 0', () => {
    // `true` reads nothing and is gone long before node writes: the write meets a closed pipe.
    const result = spawnSync('bash', ['-c', 'set -o pipefail; "$0" "$1" doctor --help | true', process.execPath, path.join(root, 'dist', 'cli.js')], {encoding: 'utf8', env: {...process.env, HOME: root}});
    expect(result.stderr).not.toContain('EPIPE');
    expect(result.status).toBe(0);
  });

  it('a backup loads its job, and none of the TUI, dockerode, ssh2, the sandbox or the other commands\' jobs', () => {
    const {status, stderr, loaded, text} = run(['backup', 'data', '-o', path.join(root, 'data.tar'), '--yes', '--json']);
    // It got as far as asking the engine, which is not there.
    expect(status).toBe(4);
    expect(stderr).toContain('hawser:');
    expect(text).toContain('// source/jobs/volume-archive/backup-job.ts');
    for (const [what, marker] of neverLoaded) {
      expect(marker.test(text), what).toBe(false);
    }

    expect(loaded.filter(file => file.includes('/node_modules/ssh2/'))).toEqual([]);
  }, 60_000);

  it('a restore loads its job, and none of the TUI, dockerode, ssh2, the sandbox or the other commands\' jobs', () => {
    const archive = path.join(root, 'missing.tar');
    expect(existsSync(archive)).toBe(false);
    const {status, stderr, loaded, text} = run(['restore', archive, '--volume', 'data', '--yes', '--json']);
    expect(status).toBe(2);
    expect(stderr).toContain(`There is no archive at ${archive}.`);
    expect(text).toContain('// source/jobs/volume-archive/restore-job.ts');
    for (const [what, marker] of neverLoaded) {
      expect(marker.test(text), what).toBe(false);
    }

    expect(loaded.filter(file => file.includes('/node_modules/ssh2/'))).toEqual([]);
  }, 60_000);
});
