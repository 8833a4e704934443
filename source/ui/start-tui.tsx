// Opens the full-screen TUI and guarantees the terminal is restored: on quit, Ctrl-C, a signal or a crash.
import {render} from 'ink';
import React from 'react';
import type {Endpoint} from '../engine/connection.js';
import type {EnginePort} from '../engine/port.js';
import type {EngineMirror} from '../state/engine-mirror.js';
import type {LiveSync} from '../state/live-sync.js';
import {App} from './App.js';
import {enterAlternateScreen, leaveAlternateScreen} from './screen.js';


/** What the entry point hands the TUI: the engine, and the mirror it already started filling. */
export type TuiOptions = {readonly engine: EnginePort; readonly mirror: EngineMirror; readonly sync: LiveSync; readonly endpoint: Endpoint; readonly isReadOnly: boolean; readonly keyOverrides?: Readonly<Record<string, readonly string[]>>; readonly configProblems?: readonly string[]};

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
      stdout.write(leaveAlternateScreen);
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
      process.exit(128 + (signal === 'SIGTERM' ? 15 : 1));
    });
  }

  stdout.write(enterAlternateScreen);
  try {
    const instance = render(<App engine={options.engine} mirror={options.mirror} sync={options.sync} origin={options.endpoint.origin} isReadOnly={options.isReadOnly} keyOverrides={options.keyOverrides} configProblems={options.configProblems} />, {exitOnCtrlC: false, patchConsole: true, maxFps: 30});
    await instance.waitUntilExit();
  } finally {
    restore();
  }

  // The live event stream and keep-alive sockets would hold the process open.
  process.exit(0);
}
