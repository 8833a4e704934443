// Names on disk and in tar headers are bytes, not text: a Latin-1 `café` is the bytes 63 61 66 e9,
// which are not UTF-8. hawser keeps such names byte for byte by reading them as Python's
// "surrogateescape" does: valid UTF-8 becomes text, every other byte 0x80–0xff becomes the lone
// surrogate U+DC80–U+DCFF, which no valid UTF-8 can produce, so the bytes come back exactly. Pure.

/** The text hawser uses for a name's bytes (see above); a name that is valid UTF-8 reads as itself. */
export function pathText(bytes: Uint8Array): string {
  if (isUtf8(bytes)) {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  }

  let text = '';
  let index = 0;
  while (index < bytes.length) {
    const length = sequenceLength(bytes, index);
    if (length === 0) {
      text += String.fromCharCode(0xdc00 + bytes[index]!);
      index++;
    } else {
      text += Buffer.from(bytes.subarray(index, index + length)).toString('utf8');
      index += length;
    }
  }

  return text;
}

/** The bytes of a name read by pathText: escaped bytes come back as themselves, the rest as UTF-8. */
export function pathBytes(text: string): Buffer {
  if (!/[\udc80-\udcff]/u.test(text)) {
    return Buffer.from(text, 'utf8');
  }

  const parts: Buffer[] = [];
  let run = '';
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const isEscaped = code >= 0xdc80 && code <= 0xdcff && !(index > 0 && isHighSurrogate(text.charCodeAt(index - 1)));
    if (isEscaped) {
      parts.push(Buffer.from(run, 'utf8'), Buffer.of(code - 0xdc00));
      run = '';
    } else {
      run += text[index];
    }
  }

  parts.push(Buffer.from(run, 'utf8'));
  return Buffer.concat(parts);
}

/** True when the text holds bytes that are not UTF-8 (escaped by pathText). */
export function hasRawBytes(text: string): boolean {
  return /[\udc80-\udcff]/u.test(text);
}

/** The name as a terminal may show it: escaped bytes as \xNN. */
export function printablePath(text: string): string {
  return text.replaceAll(/[\udc80-\udcff]/gu, char => `\\x${(char.charCodeAt(0) - 0xdc00).toString(16)}`);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isUtf8(bytes: Uint8Array): boolean {
  let index = 0;
  while (index < bytes.length) {
    if (bytes[index]! < 0x80) {
      index++;
      continue;
    }

    const length = sequenceLength(bytes, index);
    if (length === 0) {
      return false;
    }

    index += length;
  }

  return true;
}

/** The length of the valid UTF-8 sequence at `index` (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF), or 0. */
function sequenceLength(bytes: Uint8Array, index: number): number {
  const lead = bytes[index]!;
  if (lead < 0x80) {
    return 1;
  }

  const continuation = (at: number, low = 0x80, high = 0xbf) => at < bytes.length && bytes[at]! >= low && bytes[at]! <= high;
  if (lead >= 0xc2 && lead <= 0xdf) {
    return continuation(index + 1) ? 2 : 0;
  }

  if (lead >= 0xe0 && lead <= 0xef) {
    const low = lead === 0xe0 ? 0xa0 : 0x80;
    const high = lead === 0xed ? 0x9f : 0xbf;
    return continuation(index + 1, low, high) && continuation(index + 2) ? 3 : 0;
  }

  if (lead >= 0xf0 && lead <= 0xf4) {
    const low = lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xf4 ? 0x8f : 0xbf;
    return continuation(index + 1, low, high) && continuation(index + 2) && continuation(index + 3) ? 4 : 0;
  }

  return 0;
}
