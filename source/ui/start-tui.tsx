// Opens the full-screen TUI and guarantees the terminal is restored: on quit, Ctrl-C, a signal or a crash.
import {render} from 'ink';
import React, {useState} from 'react';
import type {Endpoint} from '../engine/connection.js';
import type {EnginePort} from '../engine/port.js';
import type {EngineMirror} from '../state/engine-mirror.js';
import type {LiveSync} from '../state/live-sync.js';
import {removeLiveHelpers} from '../jobs/helpers/helper-container.js';
import {cancelRunningJobs} from '../jobs/job.js';
import {App} from './App.js';
import {collectWhenIdle} from './collect-when-idle.js';
import {KeyByKeyStdin} from './key-by-key-stdin.js';
import {mouseOff} from './mouse.js';
import {bracketedPasteOff, bracketedPasteOn, enterAlternateScreen, leaveAlternateScreen} from './screen.js';

/** One engine the TUI shows: its client, and the mirror already being filled from it. */
export type TuiSession = {readonly engine: EnginePort; readonly mirror: EngineMirror; readonly sync: LiveSync; readonly endpoint: Endpoint};

/** What the entry point hands the TUI. */
export type TuiOptions = TuiSession & {
  readonly isReadOnly: boolean;
  readonly keyOverrides?: Readonly<Record<string, readonly string[]>>;
  readonly configProblems?: readonly string[];
  readonly isMouseOn?: boolean;
  /** The docker contexts the user can switch to from inside the app. */
  readonly contexts?: readonly string[];
  /** Opens a session on a docker context; throws with a message the user can act on. */
  readonly openContext?: (name: string) => TuiSession;
};

/** Holds the current session, so switching context replaces the whole app with one on the new engine. */
function Root({options}: {readonly options: TuiOptions}) {
  const [session, setSession] = useState<TuiSession>(options);
  const [generation, setGeneration] = useState(0);
  const [problem, setProblem] = useState<string[]>(options.configProblems ? [...options.configProblems] : []);
  return (
    <App
      key={generation}
      engine={session.engine}
      mirror={session.mirror}
      sync={session.sync}
      origin={session.endpoint.origin}
      context={session.endpoint.context}
      isReadOnly={options.isReadOnly}
      keyOverrides={options.keyOverrides}
      configProblems={problem}
      isMouseOn={options.isMouseOn}
      contexts={options.openContext ? options.contexts : undefined}
      onSwitchContext={name => {
        try {
          const next = options.openContext!(name);
          session.sync.stop();
          setSession(next);
          setProblem([]);
          setGeneration(value => value + 1);
        } catch (error) {
          setProblem([`Cannot switch to context ${name}: ${error instanceof Error ? error.message : String(error)}`]);
          setGeneration(value => value + 1);
        }
      }}
    />
  );
}

/** Runs the TUI until the user quits. */
export async function startTui(options: TuiOptions): Promise<void> {
  const {stdout} = process;
  if (!stdout.isTTY || !process.stdin.isTTY) {
    throw new Error('The TUI needs a terminal. For scripts, use `hawser ls containers|networks|volumes [--json]` and the other subcommands (hawser --help).');
  }

  let isRestored = false;
  const restore = () => {
    if (!isRestored) {
      isRestored = true;
      stdout.write(`${mouseOff}${bracketedPasteOff}${leaveAlternateScreen}`);
    }
  };

  const onFatal = (error: unknown) => {
    restore();
    process.stderr.write(`hawser stopped on an unexpected error: ${error instanceof Error ? error.message : String(error)}\nPlease report it; the engine was not changed by the crash.\n`);
    process.exit(1);
  };

  process.on('exit', restore);
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      restore();
      // A running job (a switch half-way) is cancelled as Esc does, and undoes its work before hawser leaves.
      void cancelRunningJobs().then(async () => removeLiveHelpers()).finally(() => process.exit(128 + (signal === 'SIGTERM' ? 15 : 1)));
    });
  }

  // Bracketed paste on: a paste reaches hawser as one piece of text, never as keys (key-by-key-stdin).
  stdout.write(`${enterAlternateScreen}${bracketedPasteOn}`);
  const collector = collectWhenIdle();
  try {
    const instance = render(<Root options={options} />, {stdin: new KeyByKeyStdin(process.stdin) as unknown as NodeJS.ReadStream, exitOnCtrlC: false, patchConsole: true, maxFps: 30, onRender: collector.frame});
    await instance.waitUntilExit();
  } finally {
    collector.stop();
    restore();
  }

  // A helper still running (the start-up forwarding check) is removed before leaving.
  await removeLiveHelpers();
  // The live event stream and keep-alive sockets would hold the process open.
  process.exit(0);
}
