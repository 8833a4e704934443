// hawser's manifest read as its bytes arrive (issue #20, bounded memory): the JSON of 100,000 files is
// some 17 MB, and JSON.parse of it all at once needs the text, the bytes and every entry as an object
// at the same time. Here the top-level object is read member by member and its `entries` array element
// by element: each element is handed over as soon as it is whole, and only the other members (a few
// hundred bytes) are kept. What is accepted is exactly what JSON.parse and parseManifest accept.
import {StringDecoder} from 'node:string_decoder';
import {parseManifest, type Manifest} from './manifest.js';

/** The manifest without its entries (those go to the reader's `onEntry` one by one). */
export type ManifestHeader = Omit<Manifest, 'entries'>;

type State = 'start' | 'first' | 'key' | 'colon' | 'value' | 'after' | 'member' | 'array' | 'element' | 'afterElement' | 'nextElement' | 'done' | 'failed';

const sliceBytes = 64 * 1024;
const isSpace = (code: number) => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;

/**
 * Reads one manifest's bytes (`write` each chunk, then `end`). `onEntries` is called when an `entries`
 * array starts (again for a second one: JSON.parse keeps the last, so should the caller), `onEntry`
 * with each of its elements as JSON.parse makes it.
 */
export class ManifestReader {
  private readonly decoder = new StringDecoder('utf8');
  private state: State = 'start';
  /** The members other than `entries`, as their JSON text. */
  private readonly members: string[] = [];
  private lastEntries: 'array' | 'other' | undefined;
  private keyText = '';
  private isEntriesKey = false;
  // The value being read: its text so far, and where the scan is inside it.
  private parts: string[] = [];
  private depth = 0;
  private isInString = false;
  private isEscaped = false;
  private isPrimitive = false;
  private isStarted = false;

  constructor(private readonly onEntry: (value: unknown) => void = () => undefined, private readonly onEntries: () => void = () => undefined) {}

  write(chunk: Buffer): void {
    // In slices: a string of a whole 4 MiB chunk would be a large object, kept until a full collection.
    for (let at = 0; at < chunk.length && this.state !== 'failed'; at += sliceBytes) {
      this.read(this.decoder.write(chunk.subarray(at, at + sliceBytes)));
    }
  }

  /** The manifest's other members, checked as parseManifest checks them; undefined when it is not one of hawser's manifests. */
  end(): ManifestHeader | undefined {
    if (this.state !== 'failed') {
      this.read(this.decoder.end());
    }

    if (this.state !== 'done' || this.lastEntries !== 'array') {
      return undefined;
    }

    const manifest = parseManifest(`{${[...this.members, '"entries":[]'].join(',')}}`);
    if (!manifest) {
      return undefined;
    }

    const {entries: _, ...header} = manifest;
    return header;
  }

  private fail(): void {
    this.state = 'failed';
    this.parts = [];
  }

  private read(text: string): void {
    let at = 0;
    while (at < text.length && this.state !== 'failed') {
      if (this.state === 'key' || this.state === 'value' || this.state === 'element') {
        at = this.value(text, at);
        continue;
      }

      const code = text.charCodeAt(at);
      if (isSpace(code) || this.punctuation(code)) {
        at++;
      }
    }
  }

  /** What a character between values means; false when it is not taken (a value starts at it). */
  private punctuation(code: number): boolean {
    switch (this.state) {
      case 'start': {
        return this.expect(code === 0x7b, 'first');
      }

      case 'first':
      case 'member': {
        if (code === 0x22) {
          this.startValue('key');
          return false;
        }

        return this.expect(code === 0x7d && this.state === 'first', 'done');
      }

      case 'colon': {
        if (code === 0x3a) {
          this.startValue('value');
        } else {
          this.fail();
        }

        return true;
      }

      case 'after': {
        return this.expect(code === 0x2c || code === 0x7d, code === 0x2c ? 'member' : 'done');
      }

      case 'array': {
        if (code === 0x5d) {
          this.state = 'after';
          return true;
        }

        this.startValue('element');
        return false;
      }

      case 'nextElement': {
        this.startValue('element');
        return false;
      }

      case 'afterElement': {
        return this.expect(code === 0x2c || code === 0x5d, code === 0x2c ? 'nextElement' : 'after');
      }

      default: {
        this.fail();
        return true;
      }
    }
  }

  /** Moves to `next` when `isValid`, else fails; the character is taken either way. */
  private expect(isValid: boolean, next: State): boolean {
    if (isValid) {
      this.state = next;
    } else {
      this.fail();
    }

    return true;
  }

  private startValue(state: 'key' | 'value' | 'element'): void {
    this.state = state;
    this.parts = [];
    this.depth = 0;
    this.isInString = false;
    this.isEscaped = false;
    this.isPrimitive = false;
    this.isStarted = false;
  }

  /**
   * Reads on in the value being read (a key, a member's value or an element) from `at`; returns where
   * it stopped: the end of `text`, or the character after the value (for a number or literal, the
   * character that ended it, not consumed).
   */
  private value(text: string, at: number): number {
    let index = at;
    if (!this.isStarted) {
      // Leading blanks before a value (after ':' or ',').
      while (index < text.length && isSpace(text.charCodeAt(index))) {
        index++;
      }

      if (index === text.length) {
        return index;
      }

      this.isStarted = true;
      const first = text.charCodeAt(index);
      if (this.state === 'value' && this.isEntriesKey && first === 0x5b) {
        this.lastEntries = 'array';
        this.onEntries();
        this.state = 'array';
        return index + 1;
      }

      if (first === 0x22) {
        this.isInString = true;
        index++;
        this.parts.push('"');
      } else if (first === 0x7b || first === 0x5b) {
        this.depth = 1;
        index++;
        this.parts.push(text[index - 1]!);
      } else {
        this.isPrimitive = true;
      }
    }

    const start = index;
    for (; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (this.isPrimitive) {
        if (isSpace(code) || code === 0x2c || code === 0x7d || code === 0x5d) {
          this.parts.push(text.slice(start, index));
          this.finishValue();
          return index;
        }

        continue;
      }

      if (this.isInString) {
        if (this.isEscaped) {
          this.isEscaped = false;
        } else if (code === 0x5c) {
          this.isEscaped = true;
        } else if (code === 0x22) {
          this.isInString = false;
          if (this.depth === 0) {
            this.parts.push(text.slice(start, index + 1));
            this.finishValue();
            return index + 1;
          }
        }

        continue;
      }

      if (code === 0x22) {
        this.isInString = true;
      } else if (code === 0x7b || code === 0x5b) {
        this.depth++;
      } else if (code === 0x7d || code === 0x5d) {
        this.depth--;
        if (this.depth === 0) {
          this.parts.push(text.slice(start, index + 1));
          this.finishValue();
          return index + 1;
        }
      }
    }

    this.parts.push(text.slice(start));
    return index;
  }

  /** A whole value was read: check it (JSON.parse) and use it. */
  private finishValue(): void {
    const text = this.parts.join('');
    this.parts = [];
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.fail();
      return;
    }

    switch (this.state) {
      case 'key': {
        this.keyText = text;
        this.isEntriesKey = value === 'entries';
        this.state = 'colon';
        return;
      }

      case 'value': {
        if (this.isEntriesKey) {
          this.lastEntries = 'other';
        } else {
          this.members.push(`${this.keyText}:${text}`);
        }

        this.state = 'after';
        return;
      }

      default: {
        this.state = 'afterElement';
        this.onEntry(value);
      }
    }
  }
}
