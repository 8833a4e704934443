// Splits a byte stream into JSON documents, one a line, across chunk boundaries (a character split
// between two chunks is decoded whole).
import type {Readable} from 'node:stream';
import {StringDecoder} from 'node:string_decoder';

/** Yields each parsed line of a newline-delimited JSON stream; skips blank and broken lines. */
export async function * readNdjson(stream: Readable): AsyncGenerator<Record<string, unknown>> {
  let buffered = '';
  const decoder = new StringDecoder('utf8');
  for await (const chunk of stream) {
    buffered += typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line) {
        try {
          yield JSON.parse(line) as Record<string, unknown>;
        } catch {
          // A line the engine broke off is not worth failing the stream for.
        }
      }

      newline = buffered.indexOf('\n');
    }
  }

  const rest = (buffered + decoder.end()).trim();
  if (rest) {
    try {
      yield JSON.parse(rest) as Record<string, unknown>;
    } catch {}
  }
}
