// A shell in a container: hawser hands the terminal over (leaves the alternate screen, lets go of stdin)
// and takes it back when the shell exits.
import {useEffect, type Dispatch} from 'react';
import type {EnginePort} from '../../engine/port.js';
import type {Cover, UiAction} from '../../state/ui-state.js';
import {bracketedPasteOff, bracketedPasteOn, enterAlternateScreen, leaveAlternateScreen} from '../screen.js';

/** Runs the shell while the cover is one; the cover closes when it exits, with a word on how. */
export function useShell(engine: EnginePort, cover: Cover, size: {readonly columns: number; readonly rows: number}, dispatch: Dispatch<UiAction>): void {
  useEffect(() => {
    if (cover.kind !== 'shell') {
      return;
    }

    const {stdout, stdin} = process;
    // Let Ink draw its last (empty) frame on the alternate screen before the terminal is handed over.
    const start = new Promise(resolve => setTimeout(resolve, 80)).then(async () => {
      stdout.write(`${bracketedPasteOff}${leaveAlternateScreen}hawser: a shell in ${cover.name}; exit it to come back.\n`);
      // bash when the image has it, else sh; no user input reaches this string.
      return engine.execInteractive(cover.id, ['sh', '-c', 'command -v bash >/dev/null 2>&1 && exec bash || exec sh'], {stdin, stdout, columns: size.columns, rows: size.rows});
    });
    start.then(
      code => dispatch({type: 'flash', text: `The shell in ${cover.name} exited${code ? ` with code ${code}` : ''}.`, tone: code ? 'error' : 'info'}),
      (error: unknown) => dispatch({type: 'flash', text: `No shell in ${cover.name}: ${error instanceof Error ? error.message : String(error)}`, tone: 'error'}),
    ).finally(() => {
      stdout.write(`${enterAlternateScreen}${bracketedPasteOn}`);
      dispatch({type: 'cover', cover: {kind: 'none'}});
    });
  }, [cover]);
}
