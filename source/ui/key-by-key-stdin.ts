// Keys typed fast, or arriving together over a slow SSH link, reach a program as one chunk ("/web⏎"),
// and Ink hands a chunk of several characters to its handlers as one "input": no handler knows that
// as a key, so typing ahead was lost. This stdin stands between the terminal and Ink and hands such a
// chunk over one key at a time, each a moment after the one before, when the screen (and whatever the
// key opened, such as a filter or a form) is ready for the next one: typing ahead works as slow typing does.
// Escape sequences (arrows, mouse reports) stay whole, also when a slow link splits one across reads.
// A paste is not typing: it fills a text field and never acts as keys (pasting "e touch /tmp/x⏎exit⏎"
// into the list opened a shell and ran the rest in it). With bracketed paste on (screen.ts) the terminal
// wraps a paste in ESC[200~ … ESC[201~, and it is handed over as one chunk of plain text without line
// breaks or control characters, which Ink gives its handlers as one input: a text field (ink-text-input,
// the filter, the palette) inserts it whole, and normalizeKey maps it to no key, even one it spells.
import {Readable} from 'node:stream';
import {StringDecoder} from 'node:string_decoder';

/** What Ink uses of stdin beyond a Readable. */
type TerminalInput = Readable & {
  readonly isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
  ref?: () => unknown;
  unref?: () => unknown;
};

/**
 * Longer runs of plain text are pastes (from a terminal without bracketed paste): kept whole, as pastes are.
 * A shorter unbracketed paste cannot be told from keys typed ahead.
 */
const longestBurst = 32;

const escape = '\u001B';

/** What the terminal puts before a paste, once bracketed paste is on. */
export const pasteStart = '\u001B[200~';

/** What it puts after one. */
export const pasteEnd = '\u001B[201~';

/**
 * A paste as it is handed to Ink: one piece of text that can never be a key. The line breaks at its end
 * (a copied line carries its own) are dropped, and every other control character (Enter, Esc, Tab, C1)
 * becomes a space, so an embedded ⏎ cannot submit a field and an Esc cannot cancel one. A paste of one
 * character is dropped: handed over, it would be the very same input as that key typed (a pasted `e`
 * opens a shell), and here nothing knows whether a text field has the focus; one character is as easily
 * typed. Empty when nothing is left.
 */
export function pastePieces(pasted: string): string[] {
  const text = pasted.replace(/[\r\n]+$/, '').replaceAll('\r\n', '\n').replace(/[\u0000-\u001F\u007F-\u009F]/g, ' ');
  return [...text].length > 1 ? [text] : [];
}

/**
 * Splits terminal input into keys: each escape sequence (CSI such as arrows and mouse reports, SS3,
 * Alt with a control character) whole, every other character alone (Esc before a printable one too). A sequence cut off at the end of the text (SSH can
 * split one across reads) comes back as `rest`, to be put before the next chunk; so does a bracketed
 * paste whose end has not come yet. A bracketed paste, and plain text longer than a burst, is a paste:
 * one piece (see `pastePieces`), whatever its length.
 */
export function splitKeys(text: string): {keys: string[]; rest: string} {
  if (!text.includes(escape)) {
    const characters = [...text];
    return {keys: characters.length > longestBurst ? pastePieces(text) : characters, rest: ''};
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

    if (text.startsWith(pasteStart, index)) {
      const pasteEndIndex = text.indexOf(pasteEnd, index + pasteStart.length);
      if (pasteEndIndex === -1) {
        return {keys, rest: text.slice(index)};
      }

      keys.push(...pastePieces(text.slice(index + pasteStart.length, pasteEndIndex)));
      index = pasteEndIndex + pasteEnd.length;
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
 * How long a bracketed paste whose end has not come waits for more (the wait starts again with every
 * read: a long paste over a slow link keeps coming). Then the terminal is taken to have lost the end, and
 * what came is handed over as the paste, so the keys typed after it count again.
 */
const pasteWaitMs = 1000;

/** Whether a cut-off `rest` is a paste, or the start of its marker past `ESC[` (a lone Esc, or `ESC[`, may be a key). */
function isPasteRest(rest: string): boolean {
  return rest.startsWith(pasteStart) || (rest.length > 2 && pasteStart.startsWith(rest));
}

/** What a cut-off `rest` becomes when nothing completes it in time: a paste's text, or the sequence as it is. */
function unfinished(rest: string): string[] {
  return rest.startsWith(pasteStart) ? pastePieces(rest.slice(pasteStart.length)) : [rest];
}

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
    // A paste goes back as hawser would have taken it, its line breaks spaces: it was meant for hawser, and
    // a shell must not run it.
    const unread = this.queue.join('') + unfinished(this.rest + this.decoder.end()).join('');
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
        this.queue.push(...unfinished(this.rest));
        this.rest = '';
        this.pump();
      }, isPasteRest(rest) ? pasteWaitMs : sequenceWaitMs);
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
