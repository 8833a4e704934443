#!/usr/bin/env -S node --max-semi-space-size=4 --expose-gc
// Entry point: argument parsing, and the one place that builds the real engine client.
// The first line is the one place for node's flags (npm start runs this file through it too). It caps V8's young
// generation at 4 MB a half: V8 otherwise grows it to 16 MB on the first burst of allocation (the first screen,
// volume sizes) and never gives it back, some 15-20 MB of resident memory.
import {readFileSync} from 'node:fs';
import {CommanderError} from 'commander';
import type {CommandContext} from './commands/context.js';
import {formatError, exitCodeOf} from './commands/errors.js';
import {createProgram, type GlobalOptions} from './commands/program.js';
import {loadConfig} from './config/config.js';
import {listContexts, parseHost, readContext, resolveEndpoint, type Endpoint} from './engine/connection.js';
import {createDockerEngine} from './engine/dockerode-adapter.js';
import type {EnginePort} from './engine/port.js';

// A reader that stops early (hawser ls | head) closes the pipe: not an error. What is running goes on to its
// end (a backup still cleans up after itself); what it prints goes nowhere.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') {
      throw error;
    }
  });
}

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string};

// The global options are in source/commands/program.ts, where the man page and the completion read them too.
const program = createProgram(packageJson.version);

let endpoint: Endpoint | undefined;
let engine: EnginePort | undefined;
/** The sandbox engine's address; set before any action runs when --sandbox is given. */
let sandboxAddress: string | undefined;

function globals(): GlobalOptions {
  return program.opts<GlobalOptions>();
}

function chosenEndpoint(): Endpoint {
  if (!endpoint) {
    const options = globals();
    endpoint = options.sandbox ? parseHost(sandboxAddress!, 'the sandbox') : resolveEndpoint({host: options.host, context: options.context});
  }

  return endpoint;
}

const context: CommandContext = {
  connect() {
    engine ??= createDockerEngine(chosenEndpoint());
    return engine;
  },
  connectTo: host => createDockerEngine(parseHost(host, 'the sandbox')),
  connectWith: ({host, context}) => createDockerEngine(resolveEndpoint({host, context})),
  isReadOnly: () => Boolean(globals().readOnly),
};

/** Brings the sandbox up first when --sandbox is used, so `npm start` works on a fresh machine. */
program.hook('preAction', async (_this, action) => {
  // Commands that only print (help, the man page, completion) need no engine.
  if (!globals().sandbox || ['help', 'man', 'completion', '__complete'].includes(action.name())) {
    return;
  }

  // Loaded only with --sandbox: no other run needs what starts and seeds an engine.
  const {sandboxHost, sandboxLayout, sandboxUp} = await import('./sandbox/sandbox.js');
  const layout = sandboxLayout();
  sandboxAddress = sandboxHost(layout);
  if (action.name() !== 'sandbox') {
    await sandboxUp(layout, context.connectTo, line => process.stderr.write(`sandbox: ${line}\n`));
  }
});

const {config, problems: configProblems} = loadConfig();
if (config.backupsDir && !process.env['HAWSER_BACKUP_DIR']) {
  process.env['HAWSER_BACKUP_DIR'] = config.backupsDir;
}

if (config.theme === 'mono') {
  process.env['NO_COLOR'] ??= '1';
}

/** True when the arguments name a subcommand or ask for help: only then are the subcommands loaded. */
function needsSubcommands(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (['-H', '--host', '-c', '--context'].includes(arg)) {
      i++;
    } else if (['-h', '--help', '-v', '--version'].includes(arg) || !arg.startsWith('-')) {
      return true;
    }
  }

  return false;
}

// The TUI needs none of the subcommands' modules: not loading them keeps the first screen quick.
const hasSubcommands = needsSubcommands(process.argv.slice(2));
if (hasSubcommands) {
  const {registerCommands} = await import('./commands/index.js');
  registerCommands(program, context);
}

program.hook('preAction', () => {
  // The TUI shows config problems itself; a command says them before it runs.
  if (program.args.length > 0) {
    for (const problem of configProblems) {
      process.stderr.write(`hawser: ${problem}\n`);
    }
  }
});

/**
 * Runs `load` with no global fetch. Ink's layout engine (yoga-layout) loads its inlined WebAssembly through fetch
 * whenever fetch exists, and Node's first fetch loads undici: some 35 ms of the TUI's start. Without fetch it
 * decodes the same bytes itself.
 */
async function withoutFetch<T>(load: () => Promise<T>): Promise<T> {
  const global = globalThis as {fetch?: unknown};
  const {fetch} = global;
  global.fetch = undefined;
  try {
    return await load();
  } finally {
    global.fetch = fetch;
  }
}

// With the subcommands loaded the program has no action of its own: a word that is no command is then commander's
// unknown command (with the closest one suggested, source/commands/help.ts), and `hawser help` is a command.
const openTui = async () => {
  if (process.env['NO_COLOR']) {
    // Before Ink and chalk are loaded: they read the colour level once.
    process.env['FORCE_COLOR'] = '0';
  }

  // Ink draws nothing but a last frame when CI is set; the TUI only runs on a terminal, so draw.
  delete process.env['CI'];
  // Start listing the engine now, so its answers arrive while Ink loads.
  const engine = context.connect();
  const [{EngineMirror, firstAnswer}, {startLiveSync}] = await Promise.all([import('./state/engine-mirror.js'), import('./state/live-sync.js')]);
  const mirror = new EngineMirror();
  const sync = startLiveSync(engine, mirror);
  const {startTui} = await withoutFetch(async () => import('./ui/start-tui.js'));
  // The engine mostly answers while Ink loads: the first frame then shows the lists at once, instead of
  // an empty frame followed by the full one (the first frames are Ink's slowest). A slow engine gets
  // its "connecting" screen at most 150 ms later.
  await firstAnswer(mirror, 150);
  await startTui({
    engine, mirror, sync, endpoint: chosenEndpoint(), isReadOnly: context.isReadOnly(), keyOverrides: config.keys, configProblems, isMouseOn: config.mouse,
    contexts: listContexts(),
    openContext(name) {
      const endpoint = readContext(name, process.env);
      const next = createDockerEngine(endpoint);
      const nextMirror = new EngineMirror();
      return {engine: next, mirror: nextMirror, sync: startLiveSync(next, nextMirror), endpoint};
    },
  });
};

if (!hasSubcommands) {
  program.action(openTui);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    process.stderr.write(`${formatError(error)}\n`);
    // A job a signal stopped (SIGTERM, SIGHUP) undid its work; its status says which signal.
    const {signalExitCode} = await import('./commands/job-output.js');
    process.exitCode = signalExitCode() ?? exitCodeOf(error);
  }
}

// Kept-alive engine connections (an ssh tunnel, a TLS socket) would hold the process open after the
// command is done: flush what was printed, then leave.
await Promise.all([process.stdout, process.stderr].map(async stream => new Promise(resolve => stream.write('', resolve))));
process.exit(process.exitCode ?? 0);
