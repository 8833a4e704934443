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
