// Names that are not UTF-8 are kept byte for byte: pathText and pathBytes are exact inverses.
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {hasRawBytes, pathBytes, pathText, printablePath} from '../../source/jobs/volume-archive/format/path-bytes.js';

describe('names as bytes', () => {
  it('reads valid UTF-8 as itself and a Latin-1 name with escaped bytes', () => {
    expect(pathText(Buffer.from('café/😀', 'utf8'))).toBe('café/😀');
    const latin = pathText(Buffer.from('caf\xe9', 'latin1'));
    expect(hasRawBytes(latin)).toBe(true);
    expect(hasRawBytes('café/😀\u{10080}')).toBe(false);
    expect(printablePath(latin)).toBe('caf\\xe9');
    expect(pathBytes(latin)).toEqual(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
  });

  it('gives back every byte string exactly', () => {
    fc.assert(fc.property(fc.uint8Array({maxLength: 40}), bytes => {
      expect(pathBytes(pathText(bytes))).toEqual(Buffer.from(bytes));
    }), {numRuns: 2000});
  });

  it('agrees with Node on valid UTF-8', () => {
    fc.assert(fc.property(fc.string({unit: 'grapheme', maxLength: 20}), text => {
      const bytes = Buffer.from(text, 'utf8');
      expect(pathText(bytes)).toBe(bytes.toString('utf8'));
      expect(hasRawBytes(pathText(bytes))).toBe(false);
    }), {numRuns: 1000});
  });
});
