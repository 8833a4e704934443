// Text in terminal cells: a cell's length, cutting or padding to a width, wrapping between words or
// between hint groups. Widths are terminal cells (string-width, as Ink measures), not code points.
// Pure; used by resources/ (column layout), commands/ (hawser ls) and ui/.
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

/** Printable ASCII only: one cell a character, measured without the width tables. */
const plainAscii = /^[\u0020-\u007E]*$/;

const graphemes = new Intl.Segmenter(undefined, {granularity: 'grapheme'});

/** How many terminal cells `text` takes: CJK and most emoji take two, combining marks none (string-width). */
export function cellLength(text: string): number {
  return plainAscii.test(text) ? text.length : stringWidth(text);
}

/** Cuts or pads text to exactly `width` cells, marking a cut with an ellipsis; a wide character is never split. */
export function fit(text: string, width: number): string {
  if (width <= 0) {
    return '';
  }

  const length = cellLength(text);
  if (length <= width) {
    return text + ' '.repeat(width - length);
  }

  if (plainAscii.test(text)) {
    return `${text.slice(0, width - 1)}…`;
  }

  // Whole characters (grapheme clusters) while they fit beside the ellipsis; a gap a wide one leaves is padded.
  let kept = '';
  let used = 0;
  for (const {segment} of graphemes.segment(text)) {
    const cells = stringWidth(segment);
    if (used + cells > width - 1) {
      break;
    }

    kept += segment;
    used += cells;
  }

  return `${kept}…${' '.repeat(width - 1 - used)}`;
}

/**
 * `text` cut into lines of at most `width` cells, between words (a word longer than a line is cut
 * where the line ends). Unlike Ink's own wrapping (wrap-ansi without trim), no line starts with the
 * space it was cut at.
 */
export function wrapWords(text: string, width: number): string[] {
  return width <= 0 ? [text] : wrapAnsi(text, width, {hard: true, trim: true}).split('\n');
}

/**
 * A hint made of groups set apart by two or more spaces ('y or Enter: go ahead   n or Esc: cancel') cut
 * into lines of at most `width` cells between its groups, so no group is split from its key; a group
 * longer than a line is cut between words, on lines of its own.
 */
export function wrapGroups(text: string, width: number): string[] {
  if (width <= 0 || cellLength(text) <= width) {
    return [text];
  }

  const lines: string[] = [];
  let line = '';
  let gap = '';
  // Trimmed first: a group is found by what follows it (a wide gap or the end), and a lone trailing space is neither.
  for (const [, group = '', separator = ''] of text.trim().matchAll(/(\S(?:.*?\S)??)(\s{2,}|$)/g)) {
    if (line && cellLength(line) + cellLength(gap) + cellLength(group) <= width) {
      line += gap + group;
    } else {
      if (line) {
        lines.push(line);
      }

      // A group cut over lines ends its last one: the next group starts a line of its own.
      const parts = wrapWords(group, width);
      if (parts.length > 1) {
        lines.push(...parts);
        line = '';
      } else {
        line = group;
      }
    }

    gap = separator;
  }

  if (line) {
    lines.push(line);
  }

  return lines;
}
