// Runs hawser's completion scripts in the real shells, as TAB would: the built CLI (dist/cli.js) on the PATH as
// `hawser`, the script loaded the way the readme says, and the candidates the shell ends up with.
import {execFileSync, spawnSync} from 'node:child_process';
import {chmodSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {cliPath} from './cli.js';

/** The shells hawser writes completion for. */
export type ShellName = 'bash' | 'zsh' | 'fish';

/** True when `shell` is installed here. */
export function hasShell(shell: ShellName): boolean {
  return !spawnSync(shell, ['-c', 'exit 0']).error;
}

/** A folder with a `hawser` that runs the built CLI, and each shell's script written out; `remove` cleans up. */
export function completionSandbox(): {readonly bin: string; readonly script: (shell: ShellName) => string; readonly remove: () => void} {
  const bin = mkdtempSync(path.join(tmpdir(), 'hawser-completion-'));
  writeFileSync(path.join(bin, 'hawser'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(cliPath)} "$@"\n`);
  chmodSync(path.join(bin, 'hawser'), 0o755);
  const script = (shell: ShellName) => {
    const file = path.join(bin, `completion.${shell}`);
    writeFileSync(file, execFileSync(process.execPath, [cliPath, 'completion', shell], {encoding: 'utf8'}));
    return file;
  };

  return {bin, script, remove: () => rmSync(bin, {recursive: true, force: true})};
}

/** Shell code that prints, one a line, what TAB offers after `line` (which ends where the cursor is). */
function driver(shell: ShellName, script: string, line: string): string {
  const quoted = `'${line.replaceAll('\'', '\'\\\'\'')}'`;
  switch (shell) {
    case 'bash': {
      // As bash fills them: the words split at its COMP_WORDBREAKS too (":" and "=" are words of their own).
      return `source ${script}
COMP_LINE=${quoted}; COMP_POINT=\${#COMP_LINE}
read -ra COMP_WORDS <<< "$(sed -E 's/([:=])/ \\1 /g' <<< "$COMP_LINE")"
case $COMP_LINE in *' '|*:|*=) COMP_WORDS+=("") ;; esac
COMP_CWORD=$((\${#COMP_WORDS[@]} - 1))
_hawser
printf '%s\\n' "\${COMPREPLY[@]}"`;
    }

    case 'zsh': {
      // Outside zle, compadd and _files cannot run: stand-ins print what they were given.
      return `compdef() { :; }
source ${script}
compadd() { print -rl -- "\${values[@]}"; }
_files() { print -r -- "_files\${*:+ $*}"; }
words=(\${(z)\${:-${quoted}}})
[[ ${quoted} == *' ' ]] && words+=('')
CURRENT=\${#words}
PREFIX=\${words[CURRENT]}
_hawser || true`;
    }

    case 'fish': {
      return `source ${script}
complete -C ${quoted}`;
    }
  }
}

/** What TAB offers after `line` in `shell`, sorted (fish sorts them itself), without descriptions. */
export function tab(shell: ShellName, line: string, options: {readonly bin: string; readonly script: string; readonly cwd?: string; readonly env?: NodeJS.ProcessEnv}): string[] {
  const output = execFileSync(shell, shell === 'zsh' ? ['-f', '-c', driver(shell, options.script, line)] : ['-c', driver(shell, options.script, line)], {
    encoding: 'utf8',
    cwd: options.cwd,
    env: {...process.env, ...options.env, PATH: `${options.bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`},
  });
  return output.split('\n').filter(Boolean).map(candidate => candidate.split('\t')[0]!).sort();
}
