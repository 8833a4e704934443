// A remote engine over ssh://, through the system ssh and `docker system dial-stdio`, against a real
// sshd on loopback whose `docker` reaches the isolated test engine.
import {execFile, spawn, type ChildProcess} from 'node:child_process';
import {chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {dockerHost, noEngine, removeByPrefix, runBusybox, testEngine, uniqueName} from '../helpers/engine.js';
import {expectExactRemoteRoundTrip} from './volume-backup-helpers.js';

const run = promisify(execFile);
const prefix = uniqueName('ssh');
const cli = path.resolve('dist/cli.js');
const port = 20000 + Math.floor(Math.random() * 20000);

describe.skipIf(noEngine)('a remote engine over ssh://', () => {
  const engine = noEngine ? undefined as never : testEngine();
  const dir = mkdtempSync(path.join(tmpdir(), 'hawser-ssh-'));
  const file = (name: string) => path.join(dir, name);
  let sshd: ChildProcess | undefined;

  beforeAll(async () => {
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file('host_key')]);
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file('client_key')]);
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file('elsewhere_key')]);
    const {readFileSync} = await import('node:fs');
    // The remote side's docker must reach the test engine, as a real server's reaches its own. With the
    // second key its default engine is elsewhere (nothing there): only a socket named in the URL reaches it.
    writeFileSync(file('authorized_keys'), [
      `environment="DOCKER_HOST=${dockerHost}" ${readFileSync(file('client_key.pub'), 'utf8').trim()}`,
      `environment="DOCKER_HOST=unix:///nonexistent/docker.sock" ${readFileSync(file('elsewhere_key.pub'), 'utf8').trim()}`,
    ].join('\n') + '\n');
    chmodSync(dir, 0o700);
    writeFileSync(file('sshd_config'), [
      `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${file('host_key')}`, `AuthorizedKeysFile ${file('authorized_keys')}`,
      'PermitRootLogin prohibit-password', 'PasswordAuthentication no', 'PermitUserEnvironment yes', 'StrictModes no', 'UsePAM no', `PidFile ${file('sshd.pid')}`,
    ].join('\n') + '\n');
    // The user's ssh, with the user's own config: hawser passes no options of its own but these.
    for (const [name, key] of [['ssh', 'client_key'], ['ssh-elsewhere', 'elsewhere_key']]) {
      writeFileSync(file(`${name}_config`), `Host *\n  IdentityFile ${file(key!)}\n  IdentitiesOnly yes\n  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  LogLevel ERROR\n`);
      writeFileSync(file(name!), `#!/bin/sh\nexec ssh -F ${file(`${name}_config`)} "$@"\n`);
      chmodSync(file(name!), 0o755);
    }
    await run('mkdir', ['-p', '/run/sshd']);
    sshd = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', file('sshd_config')], {stdio: 'ignore'});
    for (let i = 0; i < 100 && !existsSync(file('sshd.pid')); i++) {
      await new Promise(resolve => setTimeout(resolve, 50));
    }

    await runBusybox(engine, `${prefix}-far`, 'exec sleep 1000');
  });

  afterAll(async () => {
    sshd?.kill();
    await removeByPrefix(engine, prefix);
    rmSync(dir, {recursive: true, force: true});
  });

  const hawser = async (host: string, ...args: string[]) => hawserWith('ssh', host, ...args);
  const hawserWith = async (ssh: string, host: string, ...args: string[]) => {
    const env: NodeJS.ProcessEnv = {...process.env, HAWSER_SSH_COMMAND: file(ssh)};
    delete env['DOCKER_HOST'];
    return run('node', [cli, '--host', host, ...args], {env});
  };

  it('lists the remote engine\'s containers through ssh and docker system dial-stdio', async () => {
    const {stdout} = await hawser(`ssh://root@127.0.0.1:${port}`, 'ls', 'containers', '--json');
    expect((JSON.parse(stdout) as {name: string}[]).map(c => c.name)).toContain(`${prefix}-far`);
  });

  it('reaches the engine whose socket the URL\'s path names, not the remote docker\'s default (as the docker CLI)', async () => {
    const socket = dockerHost.slice('unix://'.length);
    const {stdout} = await hawserWith('ssh-elsewhere', `ssh://root@127.0.0.1:${port}${socket}`, 'ls', 'containers', '--json');
    expect(stdout).toContain(`${prefix}-far`);
    // Without the path the same login reaches the remote's default engine, which is not there.
    const failure = await hawserWith('ssh-elsewhere', `ssh://root@127.0.0.1:${port}`, 'ls', 'containers').catch((error: {code: number; stderr: string}) => error);
    expect((failure as {code: number}).code).toBe(4);
    expect((failure as {stderr: string}).stderr).toMatch(/nonexistent\/docker\.sock/);
  });

  it('runs an action over ssh and the engine changes', async () => {
    await hawser(`ssh://root@127.0.0.1:${port}`, 'network', 'create', `${prefix}-net`, '--subnet', '10.222.0.0/24', '--yes');
    expect((await engine.listNetworks()).map(n => n.name)).toContain(`${prefix}-net`);
  });

  it('backs up a volume and restores it over ssh, through the archive API, exactly', async () => {
    const host = `ssh://root@127.0.0.1:${port}`;
    await expectExactRemoteRoundTrip(engine, async (...args) => hawser(host, ...args), `${prefix}-vol`, file('remote.tar'));
  }, 120_000);

  it('says what ssh said when the key is refused', async () => {
    const failure = await hawser(`ssh://nobody@127.0.0.1:${port}`, 'ls', 'containers').catch((error: {code: number; stderr: string}) => error);
    expect((failure as {code: number}).code).toBe(4);
    expect((failure as {stderr: string}).stderr).toMatch(/ssh: .*Permission denied/);
    expect((failure as {stderr: string}).stderr).toContain(`ssh://nobody@127.0.0.1:${port}`);
  });
});
