// The single executable (`npm run package`: dist/sea/hawser-linux-<arch>, built by the sea project's setup,
// test/helpers/sea-build.ts) on a machine with no Node: with no environment and no PATH; in a root that holds
// nothing but it, the C libraries ldd names and an /etc/passwd; and starting the sandbox with every node on this
// machine hidden from it. Its run in a real terminal is test/e2e/tui.test.ts, which the sea project runs once more
// with HAWSER_E2E_BIN set to it.
import {execFile} from 'node:child_process';
import {copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {dockerHost, engineId, noEngine, removeByPrefix, runBusybox, sh, testEngine, uniqueName} from '../helpers/engine.js';

const run = promisify(execFile);
const prefix = uniqueName('hwsea');
const version = (JSON.parse(readFileSync('package.json', 'utf8')) as {version: string}).version;
const sea = path.resolve(process.env['HAWSER_E2E_BIN'] ?? `dist/sea/hawser-linux-${process.arch}`);
/** No environment but a PATH that finds nothing: what `env -i PATH=/nonexistent` gives. */
const noNode = {PATH: '/nonexistent'};
/** The system's tools (ip, nsenter, dockerd…) for the sandbox, whose node is hidden by a bind mount. */
const systemPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

describe.skipIf(noEngine)('the single executable, on a machine with no Node', () => {
  const engine = testEngine();
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hawser-sea-'));
    await runBusybox(engine, `${prefix}-web`, 'exec sleep 1000', {HostConfig: {Binds: [`${prefix}-data:/data`]}});
    await sh(engine, `${prefix}-web`, 'echo sea > /data/file && mkdir /data/folder && echo deeper > /data/folder/file');
  });

  afterAll(async () => {
    await removeByPrefix(engine, prefix);
    rmSync(dir, {recursive: true, force: true});
  });

  it('is one file that gives its version with its code cache, lists the engine and prints its completion, with no environment and no PATH', async () => {
    expect(statSync(sea).size).toBeGreaterThan(50e6);
    // NODE_DEBUG_NATIVE=SEA has node say whether it took the code cache of the main (a rejected one costs the start-up).
    const {stdout, stderr} = await run(sea, ['--version'], {env: {...noNode, NODE_DEBUG_NATIVE: 'SEA'}});
    expect(stdout.trim()).toBe(version);
    expect(stderr).toContain('SEA module code cache accepted');
    expect(stderr).not.toMatch(/rejected|Warning/);
    const listed = await run(sea, ['--host', dockerHost, 'ls', 'containers', '--json'], {env: noNode});
    expect(listed.stdout).toContain(`${prefix}-web`);
    const completion = await run(sea, ['completion', 'bash'], {env: noNode});
    expect(completion.stdout).toMatch(/^complete .*-F _hawser hawser$/m);
  });

  it('backs up a volume through the engine and verifies the gzip archive on a worker thread, with no tar and no node on PATH', async () => {
    const archive = path.join(dir, 'data.tar.gz');
    await run(sea, ['--host', dockerHost, 'backup', `${prefix}-data`, '--output', archive, '--gzip', '--via-api', '--yes'], {env: {...noNode, HOME: dir}});
    const verified = await run(sea, ['verify', archive], {env: {...noNode, HOME: dir}});
    expect(`${verified.stdout}${verified.stderr}`).toMatch(/is intact: \d+ entries/);
  });

  it('runs in a root that holds only itself, the C libraries ldd names and an /etc/passwd: --version, ls through the engine\'s socket, verify', async () => {
    const root = path.join(dir, 'root');
    mkdirSync(path.join(root, 'etc'), {recursive: true});
    copyFileSync(sea, path.join(root, 'hawser'));
    // Each library ldd resolves (and the loader) at its own path: libc, libm, libstdc++, libgcc_s, libatomic and the like.
    const {stdout: ldd} = await run('ldd', [sea]);
    const libraries = [...ldd.matchAll(/(\/\S+) \(0x/g)].map(match => match[1]!);
    expect(libraries.some(library => /\/libc\.so\.6$/.test(library))).toBe(true);
    for (const library of libraries) {
      mkdirSync(path.join(root, path.dirname(library)), {recursive: true});
      copyFileSync(realpathSync(library), path.join(root, library));
    }

    // The user's entry: with no HOME, node asks the password file for the home folder (where the config is looked for).
    writeFileSync(path.join(root, 'etc', 'passwd'), 'root:x:0:0:root:/:/hawser\n');
    copyFileSync(path.join(dir, 'data.tar.gz'), path.join(root, 'data.tar.gz'));
    const {stdout: files} = await run('find', [root, '-type', 'f']);
    expect(files.trim().split('\n').map(file => path.relative(root, file)).sort()).toEqual(['data.tar.gz', 'etc/passwd', 'hawser', ...libraries.map(library => library.slice(1))].sort());

    const inRoot = async (args: string[], mounts = '') => run('/usr/bin/unshare', ['--mount', '/bin/sh', '-c', `${mounts}exec /usr/sbin/chroot "$0" /hawser "$@"`, root, ...args], {env: noNode});
    expect((await inRoot(['--version'])).stdout.trim()).toBe(version);
    // The engine's socket, bound into the root (in a mount namespace of the command's own).
    const socketDir = path.dirname(new URL(dockerHost).pathname);
    mkdirSync(path.join(root, 'engine'));
    const listed = await inRoot(['--host', `unix:///engine/${path.basename(new URL(dockerHost).pathname)}`, 'ls', 'containers', '--json'], `/bin/mount --bind ${socketDir} "$0/engine" && `);
    expect(listed.stdout).toContain(`${prefix}-web`);
    const verified = await inRoot(['verify', '/data.tar.gz']);
    expect(`${verified.stdout}${verified.stderr}`).toMatch(/\/data\.tar\.gz is intact/);
  });

  it('starts the sandbox with every node on this machine hidden from it, lists it, and stops it', async () => {
    const sandboxDir = path.join(dir, 'sandbox');
    const env = {PATH: systemPath, HOME: dir, HAWSER_SANDBOX_DIR: sandboxDir};
    const {stdout: found} = await run('sh', ['-c', 'which -a node nodejs || true']);
    const nodes = [...new Set(found.trim().split('\n').filter(Boolean).map(file => realpathSync(file)))];
    expect(nodes.length).toBeGreaterThan(0);
    // In a mount namespace of its own each node is /dev/null, which cannot run; the sandbox's engine is started from there.
    const hide = nodes.map(node => `/bin/mount --bind /dev/null ${node} && `).join('');
    // The test engine's own version (its binaries are here already); any for an engine from HAWSER_TEST_DOCKER_HOST.
    const engineFlag = ['20', '26', '28'].includes(engineId) ? `--engine ${engineId}` : '';
    const check = 'if node --version >/dev/null 2>&1; then echo "node still runs" >&2; exit 99; fi; ';
    try {
      const up = await run('/usr/bin/unshare', ['--mount', '/bin/sh', '-c', `${hide}${check}exec "$0" sandbox up ${engineFlag}`, sea], {env, timeout: 240_000});
      const host = up.stdout.trim().split('\n').at(-1)!;
      expect(host).toBe(`unix://${sandboxDir}/docker.sock`);
      const listed = await run(sea, ['--host', host, 'ls', 'containers'], {env: noNode});
      expect(listed.stdout).toMatch(/^mysql\s+running/m);
      expect(listed.stdout).toMatch(/^nginx\s+running/m);
    } finally {
      await run(sea, ['sandbox', 'down', '--purge'], {env, timeout: 120_000});
    }
  }, 300_000);
});
