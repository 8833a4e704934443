// A process with no HOME and no password entry for its user (`env -i` under a bare uid, a minimal
// container) gets hawser's clear words, not a crash at start: the home folder falls back (model/home.ts).
import {spawnSync} from 'node:child_process';
import {chmodSync, cpSync, existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {expect, it} from 'vitest';
import {homeFolder} from '../../source/model/home.js';

it('uses HOME, and has a folder to fall back to without one', () => {
  expect(homeFolder({HOME: '/home/me'})).toBe('/home/me');
  expect(homeFolder({})).toMatch(/^\//);
});

it('runs the built CLI as a uid with no password entry and no environment, and says what is wrong', () => {
  expect(existsSync('dist/cli.js'), 'build first (npm run build)').toBe(true);
  // The bundle alone (it needs nothing else), where any user can read it: the checkout's folders may not let a bare uid in.
  const dir = mkdtempSync(path.join(tmpdir(), 'hawser-no-home-'));
  cpSync('dist/cli.js', path.join(dir, 'dist', 'cli.js'));
  cpSync('dist/chunks', path.join(dir, 'dist', 'chunks'), {recursive: true});
  cpSync('package.json', path.join(dir, 'package.json'));
  chmodSync(dir, 0o755);
  const cli = path.join(dir, 'dist', 'cli.js');
  // As root the tests can drop to a uid no /etc/passwd line names; node runs from its own path.
  const result = spawnSync('setpriv', ['--reuid=54321', '--regid=54321', '--clear-groups', 'env', '-i', `PATH=${path.dirname(process.execPath)}:/usr/bin:/bin`, process.execPath, cli, 'ls', 'containers', '--host', 'unix:///nonexistent/docker.sock'], {encoding: 'utf8'});
  expect(result.stderr).toMatch(/^hawser: No Docker socket at unix:\/\/\/nonexistent\/docker\.sock\./);
  expect(result.stderr).not.toMatch(/at .*\(.*\.js:\d+/);
  rmSync(dir, {recursive: true, force: true});
  expect(result.status).toBe(4);
});
