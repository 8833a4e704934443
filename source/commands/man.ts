// `hawser man`: the manual page (roff), written from the same command definitions as --help and the shell
// completion. `npm run man` keeps docs/hawser.1 in step; test/unit/man-page.test.ts fails when it is not.
import type {Argument, Command, Option} from 'commander';
import {exitCodes} from './errors.js';

/** What each exit code means; a new code in errors.ts does not compile until it is said here. */
const exitMeanings: Readonly<Record<keyof typeof exitCodes, string>> = {
  ok: 'Done (for hawser doctor: A reaches B; for hawser forwarding: forwarding is on).',
  failure: 'Failed (for hawser doctor: A cannot reach B; for hawser verify: the archive is not intact).',
  usage: 'Bad input or usage: nothing was changed.',
  forwardingOff: 'IPv4 forwarding is off (hawser forwarding).',
  unreachable: 'The engine cannot be reached.',
  differences: 'A restore finished, but its compare found differences (the done event\'s data.differences with --json).',
  cancelled: 'Cancelled (Ctrl-C): a running action undid what it started. 143 and 129: stopped by SIGTERM or SIGHUP, after the same undoing.',
};

const environment: readonly (readonly [string, string])[] = [
  ['DOCKER_HOST', 'The engine to use when neither --host nor --context is given.'],
  ['DOCKER_CONTEXT', 'The docker context to use, as the docker CLI reads it.'],
  ['DOCKER_CONFIG', 'The docker CLI\'s folder (default ~/.docker): its contexts and currentContext.'],
  ['DOCKER_TLS_VERIFY, DOCKER_CERT_PATH', 'TLS for tcp:// engines, as the docker CLI takes them.'],
  ['DOCKER_API_VERSION', 'Pins the engine API version instead of negotiating it.'],
  ['HAWSER_BACKUP_DIR', 'Where backups go and restores look (default ~/.local/share/hawser/backups).'],
  ['HAWSER_STATE_DIR', 'hawser\'s state folder, with the journals hawser recover reads (default $XDG_STATE_HOME/hawser, else ~/.local/state/hawser).'],
  ['HAWSER_CONFIG', 'The config file (default $XDG_CONFIG_HOME/hawser/config.json, else ~/.config/hawser/config.json).'],
  ['HAWSER_ARCHIVE_VIA', 'api: backups and restores always go through the engine\'s archive API.'],
  ['HAWSER_REQUEST_TIMEOUT', 'Seconds after which a request that is not a stream gives up (default 60).'],
  ['HAWSER_SSH_COMMAND', 'The ssh program for ssh:// engines (default ssh).'],
  ['NO_COLOR', 'Any value: no colours.'],
];

const files: readonly (readonly [string, string])[] = [
  ['~/.config/hawser/config.json', 'The config file: key overrides, theme, backups folder, mouse (see HAWSER_CONFIG).'],
  ['~/.local/share/hawser/backups/', 'The default folder of backups (see HAWSER_BACKUP_DIR).'],
  ['~/.local/state/hawser/journal/', 'Journals of unfinished recreates and volume replaces, for hawser recover (see HAWSER_STATE_DIR).'],
];

/** `text` as roff text: backslashes and minus signs escaped, other than ASCII as \[uXXXX], and no line taken for a request. */
function roff(text: string): string {
  return text.replaceAll('\\', '\\e').replaceAll('-', '\\-').replaceAll(/[^\u0000-\u007f]/gu, char => `\\[u${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`).split('\n').map(line => (/^[.']/.test(line) ? `\\&${line}` : line)).join('\n');
}

/** `text` as roff text that keeps its line breaks. */
function lines(text: string): string {
  return text.split('\n').map(roff).join('\n.br\n');
}

/** `-o, --output <file|dir>` in bold, its value in italics. */
function flagsText(flags: string): string {
  return flags.split(/(\s*,\s*|\s+)/).map(part => (/^[<[]/.test(part) ? `\\fI${roff(part)}\\fR` : /^-/.test(part) ? `\\fB${roff(part)}\\fR` : roff(part))).join('');
}

function defaultText(option: Option): string {
  const value: unknown = option.defaultValueDescription ?? option.defaultValue;
  return typeof value === 'string' && value !== '' ? ` (default: ${value})` : '';
}

function optionEntry(option: Option): string {
  return `.TP\n${flagsText(option.flags)}\n${roff(`${option.description}${defaultText(option)}`)}\n`;
}

function argumentEntry(argument: Argument): string {
  const name = `${argument.name()}${argument.variadic ? '...' : ''}`;
  return `.TP\n\\fI${roff(name)}\\fR${argument.required ? '' : ' (optional)'}\n${roff(argument.description || '')}\n`;
}

/** What a command prints after its help (its examples, notes: its addHelpText texts), caught from its --help output. */
function helpAfter(command: Command): string {
  const saved = command.configureOutput();
  let text = '';
  command.configureOutput({
    writeOut(chunk) {
      text += chunk;
    },
    getOutHelpWidth: () => 80,
    getOutHasColors: () => false,
  });
  try {
    command.outputHelp();
    text = text.slice(command.helpInformation().length);
  } finally {
    command.configureOutput(saved);
  }

  return text.replace(/^\n+|\s+$/g, '');
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current; current = current.parent) {
    names.unshift(current.name());
  }

  return names.join(' ');
}

function commandSection(command: Command): string {
  const help = command.createHelp();
  let page = `.SS "${roff(`${commandPath(command)} ${command.usage()}`.trim())}"\n${lines(command.description())}\n`;
  const argumentsOf = help.visibleArguments(command);
  if (argumentsOf.length > 0) {
    page += `.PP\nArguments:\n.RS\n${argumentsOf.map(argumentEntry).join('')}.RE\n`;
  }

  // Every command has -h, --help: said once, under OPTIONS.
  const options = help.visibleOptions(command).filter(option => option.long !== '--help');
  if (options.length > 0) {
    page += `.PP\nOptions:\n.RS\n${options.map(optionEntry).join('')}.RE\n`;
  }

  const after = helpAfter(command);
  if (after) {
    page += `.PP\n.nf\n${roff(after)}\n.fi\n`;
  }

  return page + help.visibleCommands(command).filter(sub => sub.name() !== 'help').map(commandSection).join('');
}

/** The manual page of `program`, as roff (man(7)). It holds no date, so it changes only when the commands do. */
export function manPage(program: Command): string {
  const help = program.createHelp();
  const [summary = '', ...more] = program.description().split('\n');
  return [
    `.TH HAWSER 1 "" "hawser ${roff(program.version() ?? '')}" "User Commands"\n`,
    '.\\" Generated by hawser man from the command definitions (source/commands/); do not edit: run npm run man.\n',
    `.SH NAME\nhawser \\- ${roff(summary.replace(/^A /, 'a ').replace(/\.$/, ''))}\n`,
    '.SH SYNOPSIS\n.B hawser\n[\\fIoptions\\fR]\n.br\n.B hawser\n[\\fIoptions\\fR] \\fIcommand\\fR [\\fIarguments\\fR]\n',
    `.SH DESCRIPTION\n${lines([summary, ...more].join('\n'))}\n.PP\n`,
    roff('Every command is also explained by hawser help COMMAND (or hawser COMMAND --help). Actions that change something print a preview and ask; --yes answers for scripts, and without a terminal and without --yes they refuse rather than hang. With --json a command prints JSON records, each with a schemaVersion: docs/json.md in hawser\'s repository describes every record.'),
    '\n.SH OPTIONS\n',
    help.visibleOptions(program).map(optionEntry).join(''),
    '.SH COMMANDS\n',
    help.visibleCommands(program).map(commandSection).join(''),
    '.SH "EXIT STATUS"\n',
    Object.entries(exitCodes).map(([name, code]) => `.TP\n.B ${code}\n${roff(exitMeanings[name as keyof typeof exitCodes])}\n`).join(''),
    '.SH ENVIRONMENT\n',
    environment.map(([name, meaning]) => `.TP\n.B "${roff(name)}"\n${roff(meaning)}\n`).join(''),
    '.SH FILES\n',
    files.map(([name, meaning]) => `.TP\n.I ${roff(name)}\n${roff(meaning)}\n`).join(''),
    '.SH "SEE ALSO"\n',
    '.BR docker (1),\n.BR tar (1)\n',
  ].join('');
}

/** Registers `man`. */
export function registerMan(program: Command): void {
  program
    .command('man')
    .description('print the manual page (roff), made from the same definitions as --help')
    .addHelpText('after', '\nExamples:\n  hawser man | man -l -\n  man ./docs/hawser.1     # in a checkout of hawser')
    .action(() => {
      process.stdout.write(manPage(program));
    });
}
