// Keys typed ahead reach the wizard's text input as a person typing slowly would: it keeps its value and
// cursor in React state, so a key handled with the state of the frame before would be inserted at a stale
// place. Ink with the TUI's stdin, as start-tui makes it, and the input below a KeyRoot, as the App holds it.
import {EventEmitter} from 'node:events';
import {PassThrough} from 'node:stream';
import {Box, render, Text} from 'ink';
import React, {useState} from 'react';
import {describe, expect, it} from 'vitest';
import {TextPrompt} from '../../source/ui/action-flow/TextPrompt.js';
import {KeyByKeyStdin} from '../../source/ui/key-by-key-stdin.js';
import {KeyRoot} from '../../source/ui/key-root.js';

/** A terminal's output: the frames Ink writes (debug mode writes each one whole). */
class Screen extends EventEmitter {
  readonly columns = 80;
  readonly rows = 10;
  readonly isTTY = true;
  frames: string[] = [];
  write(frame: string): boolean {
    this.frames.push(frame);
    return true;
  }
}

function Field({onSubmit}: {readonly onSubmit: (value: string) => void}) {
  const [value, setValue] = useState('');
  return (
    <KeyRoot>
      <Box>
        <TextPrompt value={value} onChange={setValue} onSubmit={onSubmit} />
        <Text>[{value}]</Text>
      </Box>
    </KeyRoot>
  );
}

describe('keys typed ahead into a text field', () => {
  it('arrive in order, each where the cursor is, and Enter in the same burst submits all of them', async () => {
    const terminal = Object.assign(new PassThrough(), {isTTY: true, setRawMode: () => terminal});
    const stdin = new KeyByKeyStdin(terminal);
    const screen = new Screen();
    const submitted: string[] = [];
    const app = render(<Field onSubmit={value => submitted.push(value)} />, {stdin: stdin as unknown as NodeJS.ReadStream, stdout: screen as unknown as NodeJS.WriteStream, debug: true, exitOnCtrlC: false, patchConsole: false});
    try {
      // One write, as a fast typist or a slow SSH link delivers it; then a left arrow and a fix in another.
      terminal.write('tui-restor\u001B[De');
      for (let i = 0; i < 200 && !screen.frames.at(-1)?.includes('[tui-restoer]'); i++) {
        await new Promise(resolve => setTimeout(resolve, 5));
      }

      expect(screen.frames.at(-1)).toContain('[tui-restoer]');
      terminal.write('\u001B[C\u001B[D\u001B[Cx\r');
      for (let i = 0; i < 200 && submitted.length === 0; i++) {
        await new Promise(resolve => setTimeout(resolve, 5));
      }

      expect(submitted).toEqual(['tui-restoerx']);
    } finally {
      app.unmount();
      stdin.destroy();
    }
  });
});
