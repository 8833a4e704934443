// Keys typed fast, or arriving together over a slow SSH link, reach a program as one chunk ("/web⏎"),
// and Ink hands a chunk of several characters to its handlers as one "input": no handler knows that
// as a key, so typing ahead was lost. This stdin stands between the terminal and Ink and hands such a
// chunk over one key at a time, each a moment after the one before, when the screen (and whatever the
// key opened, such as a filter or a form) is ready for the next one: typing ahead works as slow typing does.
import {Readable} from 'node:stream';
import {StringDecoder} from 'node:string_decoder';

/** What Ink uses of stdin beyond a Readable. */
type TerminalInput = Readable & {
  readonly isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
  ref?: () => unknown;
  unref?: () => unknown;
};

/** Longer chunks are pastes: passed as they are (a text field takes them whole). */
const longestBurst = 32;

/** The keys of a chunk: one per character, unless it holds an escape sequence (Ink parses those) or is a paste. */
export function keysOf(chunk: string): string[] {
  const characters = [...chunk];
  if (characters.length <= 1 || characters.length > longestBurst || chunk.includes('\u001B')) {
    return [chunk];
  }

  return characters;
}

/**
 * A stdin for Ink that splits bursts of keys (see above). It reads `source` only while Ink has it in
 * raw mode: when Ink lets go (a shell in a container gets the terminal), not a key is taken from it.
 */
export class KeyByKeyStdin extends Readable {
  readonly isTTY: boolean;
  private readonly queue: string[] = [];
  private readonly decoder = new StringDecoder('utf8');
  private timer: NodeJS.Timeout | undefined;
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
    this.timer = undefined;
    this.queue.length = 0;
  }

  private readonly onData = (chunk: string | Buffer) => {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    if (text.length > 0) {
      this.queue.push(...keysOf(text));
      this.pump();
    }
  };

  // One key per read: Ink reads everything buffered at once, so after each key the next waits a
  // moment (a timer: by then React has rendered the last key and run its effects).
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
      this.timer = undefined;
      this.pump();
    }, this.gapMs);
  }
}
