// Keys typed fast, or arriving together over a slow SSH link, reach a program as one chunk ("/web⏎"),
// and Ink hands a chunk of several characters to its handlers as one "input": no handler knows that
// as a key, so typing ahead was lost. This stdin stands between the terminal and Ink and hands such a
// chunk over one key at a time, each a moment after the one before, when the screen (and whatever the
// key opened, such as a filter or a form) is ready for the next one: typing ahead works as slow typing does.
// Escape sequences (arrows, mouse reports) stay whole, also when a slow link splits one across reads.
import {Readable} from 'node:stream';
import {StringDecoder} from 'node:string_decoder';

/** What Ink uses of stdin beyond a Readable. */
type TerminalInput = Readable & {
  readonly isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
  ref?: () => unknown;
  unref?: () => unknown;
};

/** Longer runs of plain text are pastes: passed as they are (a text field takes them whole). */
const longestBurst = 32;

const escape = '\u001B';

/**
 * Splits terminal input into keys: each escape sequence (CSI such as arrows and mouse reports, SS3,
 * Alt with a control character) whole, every other character alone (Esc before a printable one too). A sequence cut off at the end of the text (SSH can
 * split one across reads) comes back as `rest`, to be put before the next chunk. Plain text longer
 * than a burst is a paste, kept whole.
 */
export function splitKeys(text: string): {keys: string[]; rest: string} {
  if (!text.includes(escape)) {
    const characters = [...text];
    return {keys: characters.length > longestBurst ? [text] : characters, rest: ''};
  }

  const keys: string[] = [];
  let index = 0;
  while (index < text.length) {
    if (text[index] !== escape) {
      const character = String.fromCodePoint(text.codePointAt(index)!);
      keys.push(character);
      index += character.length;
      continue;
    }

    const end = sequenceEnd(text, index);
    if (end === undefined) {
      return {keys, rest: text.slice(index)};
    }

    keys.push(text.slice(index, end));
    index = end;
  }

  return {keys, rest: ''};
}

/** Where the escape sequence starting at `start` ends (exclusive); undefined when the text stops inside it. */
function sequenceEnd(text: string, start: number): number | undefined {
  const next = text[start + 1];
  if (next === undefined) {
    return undefined;
  }

  if (next === '[') {
    // CSI: parameter bytes 0x30–0x3F, intermediate bytes 0x20–0x2F, one final byte 0x40–0x7E.
    let index = start + 2;
    while (index < text.length && text.charCodeAt(index) >= 0x30 && text.charCodeAt(index) <= 0x3F) {
      index++;
    }

    while (index < text.length && text.charCodeAt(index) >= 0x20 && text.charCodeAt(index) <= 0x2F) {
      index++;
    }

    return index < text.length ? index + 1 : undefined;
  }

  if (next === 'O') {
    return start + 2 < text.length ? start + 3 : undefined;
  }

  // Esc followed by a printable character is Esc, then that key: hawser binds no Alt+key, and keys typed
  // ahead (Esc, then y, arriving together) must all count. A second ESC starts its own key too. Esc
  // before a control character stays one key (Alt+Backspace deletes, it does not cancel and then delete).
  const code = text.charCodeAt(start + 1);
  return next === escape || (code >= 0x20 && code <= 0x7E) ? start + 1 : start + 2;
}

/** How long a cut-off escape sequence waits for the rest before it is handed over as it is (a lone Esc). */
const sequenceWaitMs = 50;

/**
 * A stdin for Ink that splits bursts of keys (see above). It reads `source` only while Ink has it in
 * raw mode: when Ink lets go (a shell in a container gets the terminal), not a key is taken from it,
 * and keys read but not yet handed to Ink are put back for the next reader.
 */
export class KeyByKeyStdin extends Readable {
  readonly isTTY: boolean;
  private readonly queue: string[] = [];
  private readonly decoder = new StringDecoder('utf8');
  private timer: NodeJS.Timeout | undefined;
  private rest = '';
  private restTimer: NodeJS.Timeout | undefined;
  private isListening = false;

  constructor(private readonly source: TerminalInput, private readonly gapMs = 2) {
    super({encoding: 'utf8'});
    this.isTTY = source.isTTY === true;
  }

  setRawMode(mode: boolean): this {
    this.source.setRawMode?.(mode);
    if (mode) {
      this.listen();
    } else {
      this.stopListening();
    }

    return this;
  }

  ref(): this {
    this.source.ref?.();
    return this;
  }

  unref(): this {
    this.source.unref?.();
    return this;
  }

  override _read(): void {
    // Keys are pushed as they come (pump); nothing to fetch on demand.
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.stopListening();
    callback(error);
  }

  private listen(): void {
    if (!this.isListening) {
      this.isListening = true;
      this.source.on('data', this.onData);
      this.source.resume();
    }
  }

  private stopListening(): void {
    if (this.isListening) {
      this.isListening = false;
      this.source.removeListener('data', this.onData);
      this.source.pause();
    }

    clearTimeout(this.timer);
    clearTimeout(this.restTimer);
    this.timer = undefined;
    this.restTimer = undefined;
    // Keys not handed over yet stay the terminal's: whoever reads it next (a shell) gets them, as from process.stdin.
    const unread = this.queue.join('') + this.rest + this.decoder.end();
    this.queue.length = 0;
    this.rest = '';
    if (unread.length > 0) {
      this.source.unshift(Buffer.from(unread, 'utf8'));
    }
  }

  private readonly onData = (chunk: string | Buffer) => {
    clearTimeout(this.restTimer);
    this.restTimer = undefined;
    const text = this.rest + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    const {keys, rest} = splitKeys(text);
    this.rest = rest;
    this.queue.push(...keys);
    if (rest.length > 0) {
      this.restTimer = setTimeout(() => {
        this.restTimer = undefined;
        this.queue.push(this.rest);
        this.rest = '';
        this.pump();
      }, sequenceWaitMs);
    }

    this.pump();
  };

  // One key per read: Ink reads everything buffered at once, so after each key the next waits until
  // the last one is fully handled. Ink handles a key on the tick after it is pushed and renders it at
  // once, but React runs the effects that hand the newest state to input handlers (ink-text-input's
  // cursor and value, say) from a setImmediate queued while rendering: the next key waits for a short
  // timer and then two check phases, the second of which comes after React's.
  private pump(): void {
    if (this.timer !== undefined) {
      return;
    }

    const key = this.queue.shift();
    if (key === undefined) {
      return;
    }

    this.push(key);
    this.timer = setTimeout(() => {
      setImmediate(() => {
        setImmediate(() => {
          this.timer = undefined;
          this.pump();
        });
      });
    }, this.gapMs);
  }
}
