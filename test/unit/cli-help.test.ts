// `hawser help` is the help, and a mistyped command is named with the closest one there is: the built CLI
// (npm run build) as a user runs it, with no engine, changing nothing (exit 2 for bad usage).
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {closestName, editDistance} from '../../source/commands/help.js';
import {hawserIn} from '../helpers/cli.js';

const home = mkdtempSync(path.join(tmpdir(), 'hawser-help-'));
afterAll(() => rmSync(home, {recursive: true, force: true}));
const hawser = hawserIn({PATH: process.env['PATH'], HOME: home, DOCKER_HOST: `unix://${path.join(home, 'no-engine.sock')}`, HAWSER_STATE_DIR: path.join(home, 'state')});

describe('hawser help', () => {
  it('prints the help, as --help does', async () => {
    const [help, flag] = await Promise.all([hawser(['help']), hawser(['--help'])]);
    expect(help).toMatchObject({code: 0, stderr: ''});
    expect(help.stdout).toBe(flag.stdout);
    expect(help.stdout).toContain('Usage: hawser [options] [command]');
    expect(help.stdout).toMatch(/^ {2}help \[command\.\.\.\] +show the help of hawser or of a command/m);
    expect(help.stdout).not.toContain('__complete');
  });

  it('prints a command\'s help, and a subcommand\'s, as COMMAND --help does', async () => {
    const [help, flag] = await Promise.all([hawser(['help', 'netmode']), hawser(['netmode', '--help'])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(flag.stdout);
    expect(help.stdout).toContain('Usage: hawser netmode [options] <container> <mode>');
    const nested = await hawser(['help', 'network', 'create']);
    expect(nested.code).toBe(0);
    expect(nested.stdout).toContain('Usage: hawser network create [options] <name>');
  });

  it('names an unknown command in help and suggests the one meant', async () => {
    const result = await hawser(['help', 'netmod']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Unknown command "netmod". Did you mean "netmode"?');
  });
});

describe('an unknown command', () => {
  it('is named, with the closest command, exit 2, and not taken for arguments', async () => {
    const result = await hawser(['netmod', 'web', 'host']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('hawser: Unknown command "netmod". Did you mean "netmode"?\n(run hawser --help for usage)\n');
    expect(result.stderr).not.toMatch(/argument/);
  });

  it('below a command too', async () => {
    const result = await hawser(['network', 'lsx']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown command "network lsx". Did you mean "network ls"?');
    const sandbox = await hawser(['sandbox', 'stat']);
    expect(sandbox.stderr).toContain('Unknown command "sandbox stat". Did you mean "sandbox status"?');
  });

  it('with nothing close, says how to see the commands', async () => {
    const result = await hawser(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('hawser: Unknown command "frobnicate".\n(run hawser --help for usage)\n');
  });

  it('a mistyped flag gets the flag meant', async () => {
    const result = await hawser(['ls', 'containers', '--jsn']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown option \'--jsn\'\n(Did you mean --json?)');
  });
});

describe('the closest command', () => {
  it('by edit distance, swaps of neighbours counting once', () => {
    expect(editDistance('netmod', 'netmode')).toBe(1);
    expect(editDistance('ntemode', 'netmode')).toBe(1);
    expect(editDistance('backpu', 'backup')).toBe(1);
    expect(editDistance('', 'ls')).toBe(2);
  });

  it('only when close enough to be what was meant', () => {
    const names = ['backup', 'doctor', 'link', 'unlink', 'ls', 'netmode', 'network', 'restore', 'verify'];
    expect(closestName('netmod', names)).toBe('netmode');
    expect(closestName('networks', names)).toBe('network');
    expect(closestName('lnk', names)).toBe('link');
    expect(closestName('RESTORE', names)).toBe('restore');
    expect(closestName('x', names)).toBeUndefined();
    expect(closestName('frobnicate', names)).toBeUndefined();
  });
});
