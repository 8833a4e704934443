// The program itself: its name, description and global options. The entry point (source/cli.tsx) and the tests
// build it here, so the help, the man page and the shell completion all read one definition. Loaded on every start,
// the TUI's too: it imports nothing but commander.
import {Command} from 'commander';
import {optionOf} from './value-kinds.js';

/** The global options, as commander parses them. */
export type GlobalOptions = {host?: string; context?: string; sandbox?: boolean; readOnly?: boolean};

/** A new `hawser` program with its global options and no subcommands yet. */
export function createProgram(version: string): Command {
  return new Command()
    .name('hawser')
    .description('A keyboard-driven terminal UI for Docker networks, links and volumes.\nRun without a command to open the TUI.')
    .version(version, '-v, --version')
    .option('-H, --host <url>', 'engine to use: unix:///path, tcp://HOST:PORT, ssh://USER@HOST (default: DOCKER_HOST, then the docker context)')
    .addOption(optionOf('context', '-c, --context <name>', 'docker context to use'))
    .option('--sandbox', 'use the sandbox engine (starts it when it is not running)')
    .option('--read-only', 'look around without changing anything: every action that changes the engine is hidden and refused')
    .showHelpAfterError('(run hawser --help for usage)')
    .exitOverride();
}
