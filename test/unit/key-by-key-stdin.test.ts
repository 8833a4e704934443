import {PassThrough} from 'node:stream';
import {describe, expect, it} from 'vitest';
import {normalizeKey} from '../../source/keys/normalize.js';
import {KeyByKeyStdin, pasteEnd, pasteStart, splitKeys} from '../../source/ui/key-by-key-stdin.js';

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
  it('splits a burst into its keys; escape sequences stay whole, pastes too', () => {
    const keys = (text: string) => splitKeys(text).keys;
    expect(keys('/web\r')).toEqual(['/', 'w', 'e', 'b', '\r']);
    expect(keys('j')).toEqual(['j']);
    expect(keys('é✓x')).toEqual(['é', '✓', 'x']);
    expect(keys('\u001B[A')).toEqual(['\u001B[A']);
    // Typing ahead with arrows in the burst: the text around them still counts key by key.
    expect(keys('/web\u001B[Bx\u001BOAq')).toEqual(['/', 'w', 'e', 'b', '\u001B[B', 'x', '\u001BOA', 'q']);
    expect(keys('\u001B[<0;12;5M\u001B[<64;12;5M')).toEqual(['\u001B[<0;12;5M', '\u001B[<64;12;5M']);
    expect(splitKeys('\u001B[5~\u001B\u007F\u001B\u001B')).toEqual({keys: ['\u001B[5~', '\u001B\u007F', '\u001B'], rest: '\u001B'});
    // Esc typed ahead of a key is two keys: at a preview, Esc then y cancels (it is not Alt+y, which would confirm).
    expect(splitKeys('\u001By')).toEqual({keys: ['\u001B', 'y'], rest: ''});
    expect(splitKeys('ab\u001Bj')).toEqual({keys: ['a', 'b', '\u001B', 'j'], rest: ''});
    const paste = 'a'.repeat(40);
    expect(keys(paste)).toEqual([paste]);
  });

  it('keeps an escape sequence cut off at the end for the next chunk', () => {
    expect(splitKeys('ab\u001B[<0;1')).toEqual({keys: ['a', 'b'], rest: '\u001B[<0;1'});
    expect(splitKeys('\u001B')).toEqual({keys: [], rest: '\u001B'});
    expect(splitKeys('x\u001BO')).toEqual({keys: ['x'], rest: '\u001BO'});
    expect(splitKeys('\u001B[<0;1' + ';5M3')).toEqual({keys: ['\u001B[<0;1;5M', '3'], rest: ''});
  });

  it('hands a burst to a reader that takes everything buffered one key per read, in order', async () => {
    const terminal = fakeTerminal();
    const stdin = new KeyByKeyStdin(terminal);
    const reads = readLikeInk(stdin);
    stdin.setRawMode(true);
    terminal.write('/epapp\r');
    terminal.write('\u001B[A');
    // A mouse report split across two reads (a slow link): one key, not ";3M" typed as keys.
    terminal.write('\u001B[<0;1');
    await new Promise(resolve => setTimeout(resolve, 10));
    terminal.write('2;3M');
    await until(() => reads.length >= 9);
    expect(reads).toEqual(['/', 'e', 'p', 'a', 'p', 'p', '\r', '\u001B[A', '\u001B[<0;12;3M']);
    expect(terminal.rawModes).toEqual([true]);
  });

  it('hands a lone Esc over once no sequence follows it', async () => {
    const terminal = fakeTerminal();
    const stdin = new KeyByKeyStdin(terminal);
    const reads = readLikeInk(stdin);
    stdin.setRawMode(true);
    terminal.write('\u001B');
    await until(() => reads.length >= 1);
    expect(reads).toEqual(['\u001B']);
  });

  it('takes nothing from the terminal while raw mode is off (a shell has it), and gives back keys not yet handed over', async () => {
    const terminal = fakeTerminal();
    const stdin = new KeyByKeyStdin(terminal);
    const reads = readLikeInk(stdin);
    stdin.setRawMode(true);
    terminal.write('abc');
    stdin.setRawMode(false);
    terminal.write('for-the-shell');
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(reads).toEqual(['a']);
    // What was read but not handed over goes back to the terminal, before what came after.
    expect(String(terminal.read())).toBe('bcfor-the-shell');
    stdin.setRawMode(true);
    terminal.write('q');
    await until(() => reads.length >= 2);
    expect(reads).toEqual(['a', 'q']);
  });
});

describe('pastes', () => {
  const start = pasteStart;
  const end = pasteEnd;

  it('a bracketed paste is one piece whatever its length, its line breaks and control characters spaces, the keys around it keys', () => {
    const keys = (text: string) => splitKeys(text).keys;
    expect(keys(`j${start}e touch /tmp/x\rexit\r${end}k`)).toEqual(['j', 'e touch /tmp/x exit', 'k']);
    // Short: a paste, not two keys typed ahead.
    expect(keys(`${start}up${end}`)).toEqual(['up']);
    // Esc, an arrow and Tab inside a paste are text, not keys; CRLF is one space, the trailing line break goes.
    expect(keys(`${start}a\u001B[Bb\u001Bq\tc\u009B${end}`)).toEqual(['a [Bb q c ']);
    expect(keys(`${start}one\r\ntwo\r\n${end}`)).toEqual(['one two']);
    // A long unbracketed run is a paste too, its Enter a space.
    expect(keys(`${'a'.repeat(40)}\rexit\r`)).toEqual([`${'a'.repeat(40)} exit`]);
  });

  it('a bracketed paste of one character is dropped: handed over, it would be that key', () => {
    expect(splitKeys(`${start}e${end}`)).toEqual({keys: [], rest: ''});
    expect(splitKeys(`${start}\r${end}`)).toEqual({keys: [], rest: ''});
    expect(splitKeys(`${start}d\n${end}y`)).toEqual({keys: ['y'], rest: ''});
    expect(splitKeys(`${start}${end}`)).toEqual({keys: [], rest: ''});
  });

  it('keeps a bracketed paste cut off before its end for the next chunk', () => {
    expect(splitKeys(`x${start}e touch /tmp/x\rex`)).toEqual({keys: ['x'], rest: `${start}e touch /tmp/x\rex`});
    expect(splitKeys(`${start}e touch /tmp/x\rexit\r\u001B[20`)).toEqual({keys: [], rest: `${start}e touch /tmp/x\rexit\r\u001B[20`});
    expect(splitKeys(`${start}e touch /tmp/x\rexit\r${end}q`)).toEqual({keys: ['e touch /tmp/x exit', 'q'], rest: ''});
  });

  it('pasted text is no key, even when it spells one', () => {
    expect(normalizeKey('return', {})).toBe('');
    expect(normalizeKey('ctrl+c', {})).toBe('');
    expect(normalizeKey('e touch /tmp/x exit', {})).toBe('');
    expect(normalizeKey('e', {})).toBe('e');
    expect(normalizeKey('\r', {return: true})).toBe('return');
  });

  it('hands a bracketed paste split across reads over in one read, the keys around it one by one', async () => {
    const terminal = fakeTerminal();
    const stdin = new KeyByKeyStdin(terminal);
    const reads = readLikeInk(stdin);
    stdin.setRawMode(true);
    terminal.write(`j${start}e touch /tmp/x\r`);
    await new Promise(resolve => setTimeout(resolve, 10));
    terminal.write(`exit\r${end}k`);
    // Cut inside its start marker, for longer than an escape sequence waits for its end (a slow link).
    terminal.write('\u001B[20');
    await new Promise(resolve => setTimeout(resolve, 120));
    terminal.write(`0~ab\r${end}`);
    await until(() => reads.length >= 4);
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(reads).toEqual(['j', 'e touch /tmp/x exit', 'k', 'ab']);
  });

  it('hands over a paste whose end never comes as a paste, after a pause, and keys count again after it', async () => {
    const terminal = fakeTerminal();
    const stdin = new KeyByKeyStdin(terminal);
    const reads = readLikeInk(stdin);
    stdin.setRawMode(true);
    terminal.write(`${start}e touch /tmp/x\rexit\r`);
    await new Promise(resolve => setTimeout(resolve, 200));
    expect(reads).toEqual([]);
    await until(() => reads.length >= 1);
    terminal.write('q');
    await until(() => reads.length >= 2);
    expect(reads).toEqual(['e touch /tmp/x exit', 'q']);
    stdin.destroy();
  });

  it('gives a paste read but not handed over back to the next reader (a shell) without its line breaks', async () => {
    const terminal = fakeTerminal();
    const stdin = new KeyByKeyStdin(terminal);
    const reads = readLikeInk(stdin);
    stdin.setRawMode(true);
    terminal.write(`e${start}touch /tmp/x\rexit\r${end}${start}echo ran\r`);
    stdin.setRawMode(false);
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(reads).toEqual(['e']);
    expect(String(terminal.read())).toBe('touch /tmp/x exitecho ran');
  });
});
