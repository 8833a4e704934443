// `hawser help [COMMAND...]` (the same help as --help), and what a mistyped command gets: commander's own
// unknown-command event, answered with the closest command there is.
import type {Command} from 'commander';
import {exitCodes} from './errors.js';
import {argumentOf} from './value-kinds.js';

/** The optimal string alignment distance between `a` and `b`: insertions, deletions, substitutions and swaps of neighbours. */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({length: a.length + 1}, (_, i) => Array.from({length: b.length + 1}, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = rows[i]!;
      row[j] = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j]!, rows[i - 2]![j - 2]! + 1);
      }
    }
  }

  return rows[a.length]![b.length]!;
}

/** The name among `names` closest to `typed`, when one is close enough to be what was meant (at most 3 edits, and under half the word). */
export function closestName(typed: string, names: readonly string[]): string | undefined {
  let best: {name: string; distance: number} | undefined;
  for (const name of names) {
    const distance = editDistance(typed.toLowerCase(), name);
    if (distance <= 3 && distance < Math.max(typed.length, name.length) / 2 && (!best || distance < best.distance)) {
      best = {name, distance};
    }
  }

  return best?.name;
}

/** The names a person can type after `command`: its visible subcommands (and their aliases), `help` included. */
export function commandNames(command: Command): string[] {
  return command.createHelp().visibleCommands(command).flatMap(sub => [sub.name(), ...sub.aliases()]);
}

/** `hawser network create`, for a message. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current?.parent; current = current.parent) {
    names.unshift(current.name());
  }

  return names.join(' ');
}

/**
 * Fails with a usage error (exit 2) naming the unknown command and, when one is close, the command meant; the same
 * error commander gives any other usage mistake, followed by its "(run hawser --help for usage)".
 */
export function failUnknownCommand(parent: Command, typed: string): never {
  const prefix = commandPath(parent);
  const full = (name: string) => `"${prefix ? `${prefix} ` : ''}${name}"`;
  const meant = closestName(typed, commandNames(parent));
  parent.error(`hawser: Unknown command ${full(typed)}.${meant ? ` Did you mean ${full(meant)}?` : ''}`, {exitCode: exitCodes.usage, code: 'commander.unknownCommand'});
}

/** Answers commander's unknown-command event on `program` and every command with subcommands. */
export function reportUnknownCommands(command: Command): void {
  if (command.commands.length > 0) {
    command.on('command:*', (operands: string[]) => failUnknownCommand(command, operands[0] ?? ''));
  }

  for (const sub of command.commands) {
    reportUnknownCommands(sub);
  }
}

/** Registers `help`: the help of the program, or of the command (and subcommand) named, as --help prints it. */
export function registerHelp(program: Command): void {
  program
    .command('help')
    .description('show the help of hawser or of a command (as --help does)')
    .addArgument(argumentOf('command', '[command...]', 'the command, and its subcommand, to show the help of'))
    .addHelpText('after', '\nExamples:\n  hawser help\n  hawser help network create\n  hawser man            # the whole manual')
    .action((names: string[]) => {
      let command = program;
      for (const name of names) {
        // Hidden commands (the completion's callback) have no help to show.
        const next = command.createHelp().visibleCommands(command).find(sub => sub.name() === name || sub.aliases().includes(name));
        if (!next) {
          failUnknownCommand(command, name);
        }

        command = next;
      }

      command.help();
    });
}
