// Text in terminal cells: a cell's length, cutting or padding to a width, wrapping between words or
// between hint groups. Pure; used by resources/ (column layout) and ui/.
import wrapAnsi from 'wrap-ansi';

/** A cell's length in the units `fit` counts (code points). */
export function cellLength(text: string): number {
  let length = 0;
  for (const _ of text) {
    length++;
  }

  return length;
}

/** Cuts or pads text to exactly `width` cells, marking a cut with an ellipsis. */
export function fit(text: string, width: number): string {
  if (width <= 0) {
    return '';
  }

  const chars = [...text];
  if (chars.length > width) {
    return `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
  }

  return text + ' '.repeat(width - chars.length);
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
