// The completion scripts of bash, zsh and fish: valid for their shell, and in it they offer what `hawser
// __complete` says (the built CLI, npm run build): subcommands, flags, ls kinds, archives from the file system, and
// nothing (without an error, quickly) where live names are due and no engine answers. zsh and fish are tested
// where installed (apt-get install zsh fish); the engine's names through each shell: test/integration/completion.test.ts.
import {execFileSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {completionSandbox, hasShell, tab, type ShellName} from '../helpers/shell-completion.js';

const sandbox = completionSandbox();
const files = mkdtempSync(path.join(tmpdir(), 'hawser-archives-'));
mkdirSync(path.join(files, 'older'));
for (const name of ['data.tar', 'web.tar.gz', 'db.tgz', 'notes.txt']) {
  writeFileSync(path.join(files, name), '');
}

afterAll(() => {
  sandbox.remove();
  rmSync(files, {recursive: true, force: true});
});

// No engine: where names are due, none come, and nothing waits for one.
const env = {DOCKER_HOST: `unix://${path.join(files, 'no-engine.sock')}`, DOCKER_CONTEXT: ''};

describe.each(['bash', 'zsh', 'fish'] as const)('%s completion', (shell: ShellName) => {
  const isThere = hasShell(shell);
  const script = isThere ? sandbox.script(shell) : '';
  const offered = (line: string) => tab(shell, line, {bin: sandbox.bin, script, cwd: files, env});

  it.skipIf(!isThere)('is a valid script for the shell', () => {
    expect(() => execFileSync(shell, ['-n', script], {stdio: 'pipe'})).not.toThrow();
  });

  it.skipIf(!isThere)('offers the subcommands, the nested ones and the flags, from the command definitions', () => {
    expect(offered('hawser net')).toEqual(['netmode', 'network']);
    expect(offered('hawser network c')).toEqual(['connect', 'create']);
    expect(offered('hawser backup --g')).toEqual(['--gzip']);
    expect(offered('hawser help ver')).toEqual(['verify']);
    expect(offered('hawser __')).toEqual([]);
  });

  it.skipIf(!isThere)('offers the kinds of ls, the shells, and the values after --flag=', () => {
    expect(offered('hawser ls ')).toEqual(['containers', 'networks', 'volumes']);
    expect(offered('hawser completion f')).toEqual(['fish']);
    expect(offered('hawser sandbox up --engine=2')).toEqual(shell === 'bash' ? ['20', '26', '28'] : ['--engine=20', '--engine=26', '--engine=28']);
  });

  it.skipIf(!isThere)('offers archives and folders for an archive, every file for --output', () => {
    if (shell === 'zsh') {
      // zsh's own _files lists them: the script hands it the archives' pattern.
      expect(offered('hawser restore ')).toEqual(['_files -g *.(tar|tar.gz|tgz)']);
      expect(offered('hawser backup data -o ')).toEqual(['_files']);
      return;
    }

    const slash = shell === 'fish' ? '/' : '';
    expect(offered('hawser restore ')).toEqual(['data.tar', 'db.tgz', `older${slash}`, 'web.tar.gz']);
    expect(offered('hawser verify w')).toEqual(['web.tar.gz']);
    expect(offered('hawser backup data -o n')).toEqual(['notes.txt']);
  });

  it.skipIf(!isThere)('offers no names, and says nothing, when the engine cannot be reached', () => {
    const started = Date.now();
    expect(offered('hawser netmode ')).toEqual([]);
    expect(offered('hawser backup ')).toEqual([]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
