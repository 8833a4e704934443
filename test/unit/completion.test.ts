import {execFileSync} from 'node:child_process';
import {chmodSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Command} from 'commander';
import {describe, expect, it} from 'vitest';
import {completionScript} from '../../source/commands/completion.js';
import {commandModules} from '../../source/commands/index.js';
import {cliPath} from '../helpers/cli.js';

describe('shell completion', () => {
  const program = new Command('hawser').option('-H, --host <url>');
  const context = {connect: () => { throw new Error('no engine in this test'); }, connectTo: () => { throw new Error('no'); }, isReadOnly: () => false};
  for (const register of commandModules) register(program, context as never);
  const script = completionScript('bash');
  const file = path.join(tmpdir(), `hawser-completion-${process.pid}.sh`);
  writeFileSync(file, script);
  // The script asks `hawser __complete`: the built CLI (npm run build), on the PATH as hawser, with no engine.
  const bin = mkdtempSync(path.join(tmpdir(), 'hawser-bin-'));
  writeFileSync(path.join(bin, 'hawser'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(cliPath)} "$@"\n`);
  chmodSync(path.join(bin, 'hawser'), 0o755);
  const line = (words: readonly string[]) => words.join(' ');
  const complete = (...words: string[]) => execFileSync('bash', ['-c', `source ${file}; COMP_WORDS=(${words.map(w => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; COMP_LINE='${line(words)}'; COMP_POINT=\${#COMP_LINE}; _hawser; echo "\${COMPREPLY[@]}"`], {encoding: 'utf8', env: {...process.env, PATH: `${bin}:/usr/bin:/bin`, DOCKER_HOST: 'unix:///nonexistent/docker.sock'}}).trim();

  it('completes every subcommand', () => {
    for (const command of program.commands.filter(command => !command.name().startsWith('__'))) {
      expect(complete('hawser', command.name().slice(0, 4)).split(' ')).toContain(command.name());
    }
  });

  it('completes nested subcommands and their options', () => {
    expect(complete('hawser', 'network', 'cr')).toBe('create');
    expect(complete('hawser', 'network', 'create', '--sub')).toBe('--subnet');
    expect(complete('hawser', 'backup', '--gz')).toBe('--gzip');
  });
});
