// Text cut between words for lines with a hanging indent (ActionFlow's Hanging).
import {describe, expect, it} from 'vitest';
import {wrapWords} from '../../source/model/text.js';

describe('wrapWords', () => {
  it('cuts between words, no line starting with the space it was cut at', () => {
    expect(wrapWords('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    // A line that fills the width exactly: the next one starts with its word, not a space.
    expect(wrapWords('abcd efgh ijk', 4)).toEqual(['abcd', 'efgh', 'ijk']);
    expect(wrapWords('short', 20)).toEqual(['short']);
  });

  it('cuts a word longer than a line where each line ends, and keeps line breaks', () => {
    // As wrap-ansi's hard wrap does: the long word goes on from where the line has room.
    expect(wrapWords('a abcdefghij b', 4)).toEqual(['a ab', 'cdef', 'ghij', 'b']);
    expect(wrapWords('first\nsecond line', 6)).toEqual(['first', 'second', 'line']);
    expect(wrapWords('', 6)).toEqual(['']);
  });
});

describe('widths in terminal cells (#24)', async () => {
  const {cellLength, fit} = await import('../../source/model/text.js');
  const {formatRow} = await import('../../source/resources/layout.js');

  it('counts CJK and emoji as two cells, combining marks as none', () => {
    expect(cellLength('web')).toBe(3);
    expect(cellLength('网络')).toBe(4);
    expect(cellLength('db-🐳')).toBe(5);
    expect(cellLength('cafe\u0301')).toBe(4);
  });

  it('fits to exactly the width in cells, never splitting a wide character', () => {
    for (const text of ['网络-前端-后端', 'db-🐳-🐳-🐳', 'plain-ascii-name', 'cafe\u0301-e\u0301te\u0301']) {
      for (let width = 1; width <= 16; width++) {
        const fitted = fit(text, width);
        expect(cellLength(fitted), `${text} at ${width}: "${fitted}"`).toBe(width);
        expect(fitted).not.toContain('\uFFFD');
      }
    }

    expect(fit('网络前端', 5)).toBe('网络…');
    expect(fit('网络前端', 6)).toBe('网络… ');
    expect(fit('网络', 6)).toBe('网络  ');
  });

  it('keeps the columns of a row aligned with wide names', () => {
    const widths = [8, 6];
    const rows = [formatRow(['网络', 'bridge'], widths), formatRow(['plain', 'bridge'], widths), formatRow(['🐳🐳🐳🐳🐳', 'bridge'], widths)];
    for (const row of rows) {
      expect(cellLength(row)).toBe(cellLength(rows[1]!));
      expect(row.indexOf('bridge') >= 0).toBe(true);
    }
  });
});
