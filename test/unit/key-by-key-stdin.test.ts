import {PassThrough} from 'node:stream';
import {describe, expect, it} from 'vitest';
import {KeyByKeyStdin, keysOf} from '../../source/ui/key-by-key-stdin.js';

/** A terminal's stdin: a stream with raw mode, as Ink wants it. */
function fakeTerminal() {
  const source = Object.assign(new PassThrough(), {isTTY: true, rawModes: [] as boolean[], setRawMode(mode: boolean) {
    source.rawModes.push(mode);
    return source;
  }});
  return source;
}

/** Reads as Ink does: everything buffered, on each 'readable'. */
function readLikeInk(stdin: KeyByKeyStdin): string[] {
  const reads: string[] = [];
  stdin.setEncoding('utf8');
  stdin.on('readable', () => {
    let chunk: string | null;
    while ((chunk = stdin.read() as string | null) !== null) {
      reads.push(chunk);
    }
  });
  return reads;
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) {
    await new Promise(resolve => setTimeout(resolve, 5));
  }
};

describe('keys typed ahead', () => {
  it('splits a burst into its keys; escape sequences and pastes stay whole', () => {
    expect(keysOf('/web\r')).toEqual(['/', 'w', 'e', 'b', '\r']);
    expect(keysOf('j')).toEqual(['j']);
    expect(keysOf('é✓x')).toEqual(['é', '✓', 'x']);
    expect(keysOf('\u001B[A')).toEqual(['\u001B[A']);
    expect(keysOf('x\u001B[B')).toEqual(['x\u001B[B']);
    const paste = 'a'.repeat(40);
    expect(keysOf(paste)).toEqual([paste]);
  });

  it('hands a burst to a reader that takes everything buffered one key per read, in order', async () => {
    const terminal = fakeTerminal();
    const stdin = new KeyByKeyStdin(terminal);
    const reads = readLikeInk(stdin);
    stdin.setRawMode(true);
    terminal.write('/epapp\r');
    terminal.write('\u001B[A');
    await until(() => reads.length >= 8);
    expect(reads).toEqual(['/', 'e', 'p', 'a', 'p', 'p', '\r', '\u001B[A']);
    expect(terminal.rawModes).toEqual([true]);
  });

  it('takes nothing from the terminal while raw mode is off (a shell has it), and drops keys not yet handed over', async () => {
    const terminal = fakeTerminal();
    const stdin = new KeyByKeyStdin(terminal);
    const reads = readLikeInk(stdin);
    stdin.setRawMode(true);
    terminal.write('abc');
    stdin.setRawMode(false);
    terminal.write('for-the-shell');
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(reads).toEqual(['a']);
    expect(String(terminal.read())).toBe('for-the-shell');
    stdin.setRawMode(true);
    terminal.write('q');
    await until(() => reads.length >= 2);
    expect(reads).toEqual(['a', 'q']);
  });
});
