// `hawser completion bash|zsh|fish`: a small script for each shell that asks hawser itself what to offer
// (`hawser __complete`), so subcommands, flags and names of the right kind come from the command definitions and
// cannot fall behind them. Live names (containers, networks, volumes) come from the engine, quickly or not at all.
import {Argument, type Command} from 'commander';
import type {EnginePort} from '../engine/port.js';
import {completeWords, formatCompletion, shells, splitLine, typedGlobals, type LiveKind, type NameSource, type Shell, type TypedGlobals} from './complete.js';
import type {CommandContext} from './context.js';

/** How long TAB waits for the engine's names before offering none. */
export const completionTimeoutMs = 1500;

const scripts: Record<Shell, string> = {
  bash: `# hawser completion for bash: eval "$(hawser completion bash)" in ~/.bashrc,
# or: hawser completion bash > ~/.local/share/bash-completion/completions/hawser
# What to offer comes from hawser itself (hawser __complete), from its command definitions and the engine.
_hawser() {
  local cur=\${COMP_WORDS[COMP_CWORD]} directive candidate extension
  local -a reply found
  mapfile -t reply < <(hawser __complete bash --line -- "\${COMP_LINE:0:COMP_POINT}" 2>/dev/null)
  directive=\${reply[0]}
  COMPREPLY=()
  # ":" and "=" break words for bash: what is completed is what follows them.
  [[ $cur == [:=] ]] && cur=
  case $directive in
    :directories)
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -d -- "$cur")
      ;;
    :files*)
      compopt -o filenames 2>/dev/null
      mapfile -t found < <(compgen -f -- "$cur")
      for candidate in "\${found[@]}"; do
        if [[ $directive == :files || -d $candidate ]]; then
          COMPREPLY+=("$candidate")
          continue
        fi
        for extension in \${directive#:files }; do
          if [[ $candidate == *."$extension" ]]; then
            COMPREPLY+=("$candidate")
            break
          fi
        done
      done
      ;;
    :values)
      COMPREPLY=("\${reply[@]:1}")
      ;;
  esac
}
complete -F _hawser hawser
`,
  zsh: `#compdef hawser
# hawser completion for zsh: eval "$(hawser completion zsh)" in ~/.zshrc,
# or: hawser completion zsh > "\${fpath[1]}/_hawser"
# What to offer comes from hawser itself (hawser __complete), from its command definitions and the engine.
(( $+functions[compdef] )) || { autoload -Uz compinit && compinit; }
compdef _hawser hawser

_hawser() {
  local -a reply values shown
  local directive line
  reply=("\${(@f)$(hawser __complete zsh -- "\${(@Q)words[2,CURRENT-1]}" "\${(Q)PREFIX}" 2>/dev/null)}")
  directive=\${reply[1]}
  case $directive in
    (:directories) _files -/ ;;
    (:files) _files ;;
    (:files\\ *) _files -g "*.(\${(j:|:)\${(s: :)directive#:files }})" ;;
    (:values)
      for line in "\${(@)reply[2,-1]}"; do
        [[ -n $line ]] || continue
        values+=("\${line%%$'\\t'*}")
        if [[ $line == *$'\\t'* ]]; then
          shown+=("\${line%%$'\\t'*}  -- \${line#*$'\\t'}")
        else
          shown+=("$line")
        fi
      done
      (( \${#values} )) && compadd -l -d shown -a values
      ;;
  esac
}

# Run when zsh autoloads this file as _hawser; eval only defines it.
if [[ \${funcstack[1]} == _hawser ]]; then
  _hawser "$@"
fi
`,
  fish: `# hawser completion for fish: hawser completion fish | source (in ~/.config/fish/config.fish),
# or: hawser completion fish > ~/.config/fish/completions/hawser.fish
# What to offer comes from hawser itself (hawser __complete), from its command definitions and the engine.
function __hawser_complete
    set -l words (commandline -opc)
    set -e words[1]
    set -l current (commandline -ct)
    set -l reply (hawser __complete fish -- $words "$current" 2>/dev/null)
    switch "$reply[1]"
        case :directories
            __fish_complete_directories "$current"
        case :files
            __fish_complete_path "$current"
        case ':files *'
            set -l extensions (string split ' ' -- $reply[1])
            set -l pattern (string join '|' (string escape --style=regex -- $extensions[2..-1]))
            for line in (__fish_complete_path "$current")
                set -l path (string split -f1 \\t -- $line)
                if string match -q -- '*/' $path; or string match -qr -- "\\.($pattern)\\$" $path
                    echo $path
                end
            end
        case :values
            string join \\n -- $reply[2..-1]
    end
end
complete -c hawser -f -a '(__hawser_complete)'
`,
};

/** The completion script for `shell`. */
export function completionScript(shell: Shell): string {
  return scripts[shell];
}

/** Resolves to `work`'s answer, or to none when it fails or takes longer than `ms`: TAB never waits long, never says why. */
async function quickly(work: () => Promise<readonly string[]>, ms: number): Promise<readonly string[]> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<readonly string[]>(resolve => {
    timer = setTimeout(() => resolve([]), ms);
  });
  try {
    return await Promise.race([work().catch(() => []), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Names from `engine` (built on first use: no engine is reached for words that need none), each list within `ms`. */
export function engineNames(engine: () => Promise<EnginePort>, ms = completionTimeoutMs): NameSource {
  return async (kind: LiveKind) => quickly(async () => {
    if (kind === 'context') {
      const {listContexts} = await import('../engine/connection.js');
      return listContexts();
    }

    const signal = AbortSignal.timeout(ms);
    const client = await engine();
    const records = kind === 'container' ? await client.listContainers({signal}) : kind === 'network' ? await client.listNetworks({signal}) : await client.listVolumes({signal});
    return records.map(record => record.name).sort((a, b) => a.localeCompare(b));
  }, ms);
}

/** The engine the typed global options name, else the one hawser would use (DOCKER_HOST, the docker context). */
async function engineFor(globals: TypedGlobals, context: CommandContext): Promise<EnginePort> {
  if (globals.sandbox) {
    const {sandboxHost, sandboxLayout} = await import('../sandbox/sandbox.js');
    return context.connectTo(sandboxHost(sandboxLayout()));
  }

  return context.connectWith?.({host: globals.host, context: globals.context}) ?? context.connect();
}

/** Registers `completion`, and the hidden `__complete` its scripts call back. */
export function registerCompletion(program: Command, context: CommandContext): void {
  program
    .command('completion')
    .description('print a shell completion script (bash, zsh or fish): subcommands, flags and live names of containers, networks, volumes and archives')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(shells))
    .addHelpText('after', '\nExamples:\n  eval "$(hawser completion bash)"          # in ~/.bashrc\n  eval "$(hawser completion zsh)"           # in ~/.zshrc\n  hawser completion fish | source           # in ~/.config/fish/config.fish')
    .action((shell: Shell) => {
      process.stdout.write(completionScript(shell));
    });

  program
    .command('__complete', {hidden: true})
    .description('what TAB offers for the words after hawser (called by the completion scripts)')
    .addArgument(new Argument('<shell>').choices(shells))
    .argument('[words...]', 'the words after hawser; the last is the one being completed')
    .option('--line', 'the one word is the command line up to the cursor, as bash gives it')
    .action(async (shell: Shell, given: string[], flags: {line?: boolean}) => {
      const words = flags.line ? splitLine(given.join(' ')).slice(1) : given;
      const current = words.at(-1) ?? '';
      const globals = typedGlobals(program, words.slice(0, -1));
      let engine: Promise<EnginePort> | undefined;
      const names = engineNames(async () => {
        engine ??= engineFor(globals, context);
        return engine;
      });
      process.stdout.write(formatCompletion(await completeWords(program, words.length > 0 ? words : [''], names), shell, current));
    });
}
