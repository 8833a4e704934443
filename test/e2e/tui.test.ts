// The built program in a real terminal against the isolated engine: what a person sees and types.
import {execFile} from 'node:child_process';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {busyboxImage} from '../../source/sandbox/test-image.js';
import {dockerHost, engineMajor, noEngine, removeByPrefix, runBusybox, sh, testEngine, uniqueName} from '../helpers/engine.js';
import {TmuxSession} from '../helpers/tmux.js';

const run = promisify(execFile);
const prefix = uniqueName('e2e');
// The program under test: the npm form (dist/cli.js) run by node, or HAWSER_E2E_BIN, the single executable that
// vitest.config.ts's sea project runs this file with once more.
const bin = process.env['HAWSER_E2E_BIN'];
const hawser = bin ? path.resolve(bin) : `node ${path.resolve('dist/cli.js')}`;

describe.skipIf(noEngine)('hawser in a real terminal', () => {
  const engine = noEngine ? undefined as never : testEngine();
  const sessions: TmuxSession[] = [];

  beforeAll(async () => {
    await runBusybox(engine, `${prefix}-db`, 'exec sleep 1000', {Env: ['MYSQL_ROOT_PASSWORD=server']});
  });

  afterAll(async () => {
    for (const session of sessions) session.kill();
    TmuxSession.stopServer();
    await removeByPrefix(engine, prefix);
  });

  /** Lets Ink subscribe to keys after its first frame, as a person's reaction time always does. */
  const settle = async () => new Promise(resolve => setTimeout(resolve, 400));

  function open(size = {columns: 100, rows: 30}, env: Record<string, string> = {}) {
    const session = new TmuxSession(`printf 'BEFORE\\n'; ${hawser} --host ${dockerHost}; echo "AFTER-$?"; sleep 60`, size, env);
    sessions.push(session);
    return session;
  }

  it('shows the engine\'s containers, follows a change made elsewhere, and q restores the terminal', async () => {
    const tui = open();
    const first = await tui.waitFor(`${prefix}-db`);
    expect(first).toMatch(/1 Containers \(\d+\)/);
    expect(first).toContain('2 Networks');
    expect(first).toContain('3 Volumes');
    expect(first).toContain('● live');
    expect(first).not.toContain('BEFORE');

    await run('docker', ['-H', dockerHost, 'run', '-d', '--name', `${prefix}-new`, busyboxImage, 'sleep', '1000']);
    await tui.waitFor(`${prefix}-new`);
    await settle();
    await tui.press('/');
    await tui.type(`${prefix}-db`);
    await tui.press('Enter');
    const filtered = await tui.waitFor(`filter: ${prefix}-db`);
    expect(filtered).not.toContain(`${prefix}-new`);
    await tui.press('Enter');
    const details = await tui.waitFor('MYSQL_ROOT_PASSWORD');
    expect(details).not.toContain('server');
    await tui.press('Escape', 'q');
    const after = await tui.waitFor('AFTER-0');
    expect(after).toContain('BEFORE');
    expect(after).not.toContain('Containers');
  });

  it('counts every key of a burst typed ahead (fast typing, a slow SSH link), one after the other', async () => {
    const tui = open();
    await tui.waitFor(`${prefix}-db`);
    await settle();
    // One write: "/", the filter text and Enter, then "?" for the help screen; a program that took the burst as one input ignored it all.
    tui.burst(`/${prefix}-db\r?`);
    const help = await tui.waitFor('Help: keys');
    expect(help).toContain('Everywhere');
    await tui.press('Escape');
    const filtered = await tui.waitFor(`filter: ${prefix}-db`);
    expect(filtered).toMatch(/Containers \(1\/\d+\)/);
    await tui.press('q');
    await tui.waitFor('AFTER-0');
  });

  it('quits at once while the start-up forwarding check runs, and leaves no helper behind', async () => {
    const since = Math.floor(Date.now() / 1000) - 1;
    const created = async () => (await run('docker', ['-H', dockerHost, 'events', '--since', String(since), '--until', String(Math.floor(Date.now() / 1000) + 1), '--filter', 'label=io.hawser.helper=1', '--filter', 'event=create', '--format', '{{.Actor.Attributes.name}}'])).stdout;
    const tui = open();
    await tui.waitFor(`${prefix}-db`);
    // From Engine 23 /info caches forwarding, so the TUI checks live with a helper at start; before, it asks /info
    // alone. q as soon as the helper is made (on a loaded machine the rows can show before the check starts).
    let stdout = '';
    for (let tries = 0; engineMajor >= 23 && !/hawser-helper-forwarding-check/.test(stdout) && tries < 100; tries++) {
      stdout = await created();
    }

    await tui.press('q');
    await tui.waitFor('AFTER-0');
    if (engineMajor >= 23) {
      expect(stdout).toMatch(/hawser-helper-forwarding-check/);
    } else {
      expect((await created()).trim()).toBe('');
    }

    const left = await run('docker', ['-H', dockerHost, 'ps', '-a', '--filter', 'label=io.hawser.helper=1', '--format', '{{.Names}}']);
    expect(left.stdout.trim()).toBe('');
  });

  it('hands the terminal to a shell in a container and takes it back', async () => {
    const tui = open();
    await tui.waitFor(`${prefix}-db`);
    await settle();
    await tui.press('/');
    await tui.type(`${prefix}-db`);
    await tui.press('Enter');
    await tui.waitFor(`filter: ${prefix}-db`);
    await tui.press('e');
    await tui.waitFor('/ #');
    await tui.type('echo SHELL-$((6*7))');
    await tui.press('Enter');
    await tui.waitFor('SHELL-42');
    await tui.type('exit 2');
    await tui.press('Enter');
    const back = await tui.waitFor(`The shell in ${prefix}-db exited with code 2.`);
    expect(back).toContain('1 Containers');
    await tui.press('q');
    await tui.waitFor('AFTER-0');
  });

  it('takes a paste through a real terminal as text, never as keys: a pasted "e …⏎exit⏎" opens no shell and runs nothing', async () => {
    const tui = open();
    await tui.waitFor(`${prefix}-db`);
    await settle();
    // A paste fills a text field: the filter, to select the container a shell would open in.
    await tui.press('/');
    tui.paste(`${prefix}-db`);
    await tui.waitFor(`/${prefix}-db█`);
    await tui.press('Enter');
    await tui.waitFor(`filter: ${prefix}-db`);
    await settle();
    // The paste, and a shorter one: a plain run of up to 32 characters is what keys typed ahead
    // look like, so it is the one that reached the list as keys when the terminal sent it unbracketed.
    tui.paste('e echo PASTED-RAN > /tmp/pasted\nexit\n');
    await settle();
    tui.paste('e echo RAN>/tmp/pasted\nexit\n');
    await settle();
    await settle();
    const screen = tui.screen();
    expect(screen).toContain('1 Containers');
    expect(screen).not.toMatch(/a shell in|The shell in|PASTED-RAN/);
    expect(await sh(engine, `${prefix}-db`, 'test -e /tmp/pasted && echo ran || echo clean')).toBe('clean\n');
    await tui.press('q');
    await tui.waitFor('AFTER-0');
  });

  it('fits 80×24, redraws on resize, and works without colour', async () => {
    const tui = open({columns: 80, rows: 24}, {NO_COLOR: '1'});
    const screen = await tui.waitFor(`${prefix}-db`);
    expect(screen.split('\n').every(line => line.length <= 80)).toBe(true);
    tui.resize(130, 30);
    // Wide terminals show the details beside the lists.
    await tui.waitFor('Details');
    await settle();
    await tui.press('C-c');
    await tui.waitFor('AFTER-0');
  });

  it('switches to a docker context from the palette, also away from an unreachable engine', async () => {
    const {mkdtempSync} = await import('node:fs');
    const {tmpdir} = await import('node:os');
    const config = mkdtempSync(path.join(tmpdir(), 'hawser-e2e-config-'));
    await run('docker', ['context', 'create', 'e2e-test', '--docker', `host=${dockerHost}`], {env: {...process.env, DOCKER_CONFIG: config}});
    const session = new TmuxSession(`${hawser} --host unix:///nonexistent/docker.sock; echo "AFTER-$?"; sleep 60`, {columns: 100, rows: 30}, {DOCKER_CONFIG: config});
    sessions.push(session);
    await session.waitFor('Cannot reach the Docker engine');
    await settle();
    await session.press(':');
    await session.waitFor('Command palette');
    await session.type('context e2e');
    await session.waitFor('context e2e-test');
    await session.press('Enter');
    const screen = await session.waitFor(`${prefix}-db`);
    expect(screen).toContain('● live');
    expect(screen).toContain(dockerHost.replace('unix://', '').slice(0, 20));
    await session.press('q');
    await session.waitFor('AFTER-0');
  });

  it('shows where it tried and why it failed when the engine is unreachable, without a stack trace', async () => {
    const session = new TmuxSession(`${hawser} --host unix:///nonexistent/docker.sock; echo "AFTER-$?"; sleep 60`);
    sessions.push(session);
    const screen = await session.waitFor('Cannot reach the Docker engine');
    expect(screen).toContain('unix:///nonexistent/docker.sock');
    expect(screen).toMatch(/Retrying/);
    expect(screen).not.toMatch(/\bat .*\.js:\d+/);
    await settle();
    await session.press('q');
    await session.waitFor('AFTER-0');
  });
});
