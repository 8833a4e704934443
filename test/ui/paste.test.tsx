// A paste is not typing: pasted into the list it acts on nothing, pasted into a text field it fills it.
// The App on a fake engine with the TUI's own stdin (as start-tui makes it), keys written to a fake terminal.
import {EventEmitter} from 'node:events';
import {PassThrough} from 'node:stream';
import {stripVTControlCharacters} from 'node:util';
import {render} from 'ink';
import React from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';
import type {EnginePort} from '../../source/engine/port.js';
import {App} from '../../source/ui/App.js';
import {KeyByKeyStdin} from '../../source/ui/key-by-key-stdin.js';
import {bracketedPasteOff, bracketedPasteOn} from '../../source/ui/screen.js';
import {FakeEngine, eventually, fakeContainer} from '../helpers/fake-engine.js';

const pasteStart = '\u001B[200~';
const pasteEnd = '\u001B[201~';
const dangerous = 'e touch /tmp/x\rexit\r';

/** A terminal's output: the frames Ink writes (debug mode writes each one whole). */
class Screen extends EventEmitter {
  readonly columns = 100;
  readonly rows = 30;
  readonly isTTY = true;
  frames: string[] = [];
  write(frame: string): boolean {
    this.frames.push(frame);
    return true;
  }
}

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
  vi.restoreAllMocks();
});

/** The App with a shell that records what it was given: the container, and what the terminal still held for it. */
function start() {
  const engine = new FakeEngine();
  engine.containers = [fakeContainer('mysql'), fakeContainer('nginx')];
  const terminal = Object.assign(new PassThrough(), {isTTY: true, setRawMode: () => terminal});
  const shells: {id: string; input: string}[] = [];
  const execInteractive: EnginePort['execInteractive'] = async id => {
    // A real shell reads the terminal: here, what hawser gave back to it when it let go.
    shells.push({id, input: String(terminal.read() ?? '')});
    return 0;
  };

  Object.assign(engine, {execInteractive});
  // The shell hand-over writes to the process's terminal: kept out of the test's output, and read.
  const written: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  const stdin = new KeyByKeyStdin(terminal);
  const screen = new Screen();
  const app = render(<App engine={engine} origin="test" syncOptions={{coalesceMs: 5, backoffMs: [50]}} />, {stdin: stdin as unknown as NodeJS.ReadStream, stdout: screen as unknown as NodeJS.WriteStream, debug: true, exitOnCtrlC: false, patchConsole: false});
  cleanup = () => {
    app.unmount();
    stdin.destroy();
  };

  const frame = () => stripVTControlCharacters(screen.frames.at(-1) ?? '');
  return {terminal, shells, written, frame};
}

/** Lets every key of a write be handled (each waits for the one before). */
const settle = async () => new Promise(resolve => setTimeout(resolve, 300));

describe('a paste', () => {
  it('pasted into the container list opens no shell and does nothing, while the same text typed opens a shell that gets the rest', async () => {
    const {terminal, shells, written, frame} = start();
    await eventually(() => expect(frame()).toContain('nginx'));
    await settle();
    const before = frame();
    terminal.write(`${pasteStart}${dangerous}${pasteEnd}`);
    // One character pasted, and a paste that spells a key's name: no key either.
    terminal.write(`${pasteStart}e${pasteEnd}`);
    terminal.write(`${pasteStart}return${pasteEnd}`);
    await settle();
    expect(shells).toEqual([]);
    expect(frame()).toBe(before);

    // Typed (a burst typed ahead): e opens the shell, which gets the rest of the keys.
    terminal.write(dangerous);
    await eventually(() => expect(shells).toHaveLength(1));
    expect(shells[0]!.id).toBe(fakeContainer('mysql').id);
    expect(shells[0]!.input).toBe(' touch /tmp/x\rexit\r');
    await eventually(() => expect(frame()).toContain('The shell in mysql exited.'));
    // Bracketed paste is off while the shell has the terminal, and on again after.
    const handOver = written.join('');
    expect(handOver.indexOf(bracketedPasteOff)).toBeGreaterThanOrEqual(0);
    expect(handOver.indexOf(bracketedPasteOff)).toBeLessThan(handOver.indexOf('hawser: a shell in mysql'));
    expect(handOver.lastIndexOf(bracketedPasteOn)).toBeGreaterThan(handOver.indexOf('hawser: a shell in mysql'));
  });

  it('pasted into the filter fills it, and its line break does not accept it', async () => {
    const {terminal, shells, frame} = start();
    await eventually(() => expect(frame()).toContain('nginx'));
    await settle();
    terminal.write('/');
    await eventually(() => expect(frame()).toContain('/█'));
    terminal.write(`${pasteStart}mysq\rl\r${pasteEnd}`);
    // Still being typed: the key bar is the filter's line, Enter has not kept it.
    await eventually(() => expect(frame()).toContain('/mysq l█'));
    expect(frame()).toContain('Containers (1/2)');
    await settle();
    expect(frame()).toContain('Enter keep');
    terminal.write('\r');
    await eventually(() => expect(frame()).not.toContain('Enter keep'));
    expect(frame()).toContain('Containers (1/2)  filter: mysq l');
    expect(shells).toEqual([]);
  });
});
