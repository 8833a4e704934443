import {execFileSync} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Command} from 'commander';
import {describe, expect, it} from 'vitest';
import {bashCompletion} from '../../source/commands/completion.js';
import {commandModules} from '../../source/commands/index.js';

describe('shell completion', () => {
  const program = new Command('hawser').option('-H, --host <url>');
  const context = {connect: () => { throw new Error('no engine in this test'); }, connectTo: () => { throw new Error('no'); }, isReadOnly: () => false};
  for (const register of commandModules) register(program, context as never);
  const script = bashCompletion(program);
  const file = path.join(tmpdir(), `hawser-completion-${process.pid}.sh`);
  writeFileSync(file, script);
  const complete = (...words: string[]) => execFileSync('bash', ['-c', `source ${file}; COMP_WORDS=(${words.map(w => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _hawser; echo "\${COMPREPLY[@]}"`], {encoding: 'utf8', env: {...process.env, PATH: '/usr/bin:/bin'}}).trim();

  it('completes every subcommand', () => {
    for (const command of program.commands) {
      expect(complete('hawser', command.name().slice(0, 4)).split(' ')).toContain(command.name());
    }
  });

  it('completes nested subcommands and their options', () => {
    expect(complete('hawser', 'network', 'cr')).toBe('create');
    expect(complete('hawser', 'network', 'create', '--sub')).toBe('--subnet');
    expect(complete('hawser', 'backup', '--gz')).toBe('--gzip');
  });
});
