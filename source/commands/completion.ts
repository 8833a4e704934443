// `hawser completion bash|zsh`: a completion script generated from the commands themselves, so it
// cannot fall behind them.
import {InvalidArgumentError, type Command} from 'commander';
import type {CommandContext} from './context.js';

function words(command: Command): string[] {
  return [...command.commands.map(sub => sub.name()), ...command.options.map(option => option.long ?? option.short ?? '').filter(Boolean)];
}

/** The bash script: subcommands, their subcommands, and their options. */
export function bashCompletion(program: Command): string {
  const cases = program.commands.map(command => {
    const nested = command.commands.map(sub => `      ${command.name()}:${sub.name()}) opts="${words(sub).join(' ')}" ;;`).join('\n');
    return `${nested ? `${nested}\n` : ''}      ${command.name()}:*) opts="${words(command).join(' ')}" ;;`;
  }).join('\n');
  return `# hawser completion for bash: eval "$(hawser completion bash)" (e.g. in ~/.bashrc)
_hawser() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" opts
  if [ "$COMP_CWORD" -eq 1 ]; then
    opts="${words(program).join(' ')}"
  else
    case "\${COMP_WORDS[1]}:\${COMP_WORDS[2]}" in
${cases}
      *) opts="" ;;
    esac
    # Containers, networks and volumes by name, from the engine, for the commands that take them.
    case "\${COMP_WORDS[1]}" in
      netmode|link|unlink|doctor) opts="$opts $(hawser ls containers --json 2>/dev/null | tr ',' '\\n' | sed -n 's/.*"name":"\\([^"]*\\)".*/\\1/p')" ;;
      backup) opts="$opts $(hawser ls volumes --json 2>/dev/null | tr ',' '\\n' | sed -n 's/.*"name":"\\([^"]*\\)".*/\\1/p')" ;;
    esac
  fi
  COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
}
complete -o default -F _hawser hawser
`;
}

/** Registers `completion`. */
export function registerCompletion(program: Command, _context: CommandContext): void {
  program
    .command('completion')
    .description('print a shell completion script (bash or zsh)')
    .argument('<shell>', 'bash or zsh', (value: string) => {
      if (value !== 'bash' && value !== 'zsh') {
        throw new InvalidArgumentError('expected bash or zsh');
      }

      return value;
    })
    .addHelpText('after', '\nExamples:\n  eval "$(hawser completion bash)"   # in ~/.bashrc\n  eval "$(hawser completion zsh)"    # in ~/.zshrc')
    .action((shell: 'bash' | 'zsh') => {
      const script = bashCompletion(program);
      // zsh runs the bash script through its bash-completion emulation.
      process.stdout.write(shell === 'zsh' ? `autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n${script}` : script);
    });
}
