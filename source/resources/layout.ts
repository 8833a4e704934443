// Fits columns into a width: fixed columns first, flex columns share the rest.
import type {Column} from './kind.js';
import wrapAnsi from 'wrap-ansi';

/**
 * Widths for each column in `width` cells, with one space between columns. Flex columns get what
 * their content needs (`contentWidths`, when given) and share any shortage fairly.
 */
export function columnWidths<T>(columns: readonly Column<T>[], width: number, contentWidths?: readonly number[]): number[] {
  const gaps = columns.length - 1;
  const fixed = columns.reduce((sum, c) => sum + (c.width === 'flex' ? 0 : c.width), 0);
  const available = Math.max(0, width - gaps - fixed);
  const flexIndexes = columns.flatMap((c, i) => (c.width === 'flex' ? [i] : []));
  const minimum = (i: number) => columns[i]!.minWidth ?? 6;
  const wanted = (i: number) => Math.max(minimum(i), contentWidths?.[i] ?? Number.POSITIVE_INFINITY);
  const widths = columns.map(c => (c.width === 'flex' ? 0 : c.width));
  let remaining = available;
  let open = [...flexIndexes];
  // Water-filling: columns that need less than a fair share take only what they need.
  while (open.length > 0) {
    const share = Math.floor(remaining / open.length);
    const satisfied = open.filter(i => wanted(i) <= share);
    if (satisfied.length === 0) {
      let extra = remaining - share * open.length;
      for (const i of open) {
        widths[i] = Math.max(minimum(i), share + (extra-- > 0 ? 1 : 0));
      }

      remaining = 0;
      break;
    }

    for (const i of satisfied) {
      widths[i] = wanted(i);
      remaining -= wanted(i);
    }

    open = open.filter(i => !satisfied.includes(i));
  }

  // Room to spare goes to the last flex column, so rows span the width.
  const last = flexIndexes.at(-1);
  if (remaining > 0 && last !== undefined && open.length === 0) {
    widths[last] = widths[last]! + remaining;
  }

  return widths;
}

/** The widest cell of each column (title included) over some rows. */
export function contentWidths(rows: readonly (readonly string[])[], titles: readonly string[]): number[] {
  return titles.map((title, i) => rows.reduce((max, row) => Math.max(max, [...(row[i] ?? '')].length), title.length));
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

/** A whole row of cells, fitted to widths. */
export function formatRow(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((cell, i) => fit(cell, widths[i] ?? 0)).join(' ');
}

/** The mark after the title of the column a list is sorted by. */
export const sortMarks = {ascending: '▲', descending: '▼'} as const;

/**
 * The header row: the column titles fitted to `widths`, the sorted column's title followed by ▲ or ▼.
 * The mark takes room from its own column (the title is cut to make room, never the widths), so
 * sorting moves no column.
 */
export function formatHeader(titles: readonly string[], widths: readonly number[], sort?: {readonly column: number; readonly isDescending: boolean}): string {
  if (!sort || titles[sort.column] === undefined) {
    return formatRow(titles, widths);
  }

  const mark = sort.isDescending ? sortMarks.descending : sortMarks.ascending;
  const cells = [...titles];
  const title = [...titles[sort.column]!];
  const width = widths[sort.column] ?? 0;
  // 'NAME ▲' when there is room, else 'NAME▲', else the title cut to make room: 'INTERNA▲'.
  cells[sort.column] = title.length + 2 <= width ? `${title.join('')} ${mark}` : `${title.slice(0, Math.max(0, width - 1)).join('')}${mark}`;
  return formatRow(cells, widths);
}

/**
 * `text` cut into lines of at most `width` cells, between words (a word longer than a line is cut
 * where the line ends). Unlike Ink's own wrapping (wrap-ansi without trim), no line starts with the
 * space it was cut at.
 */
export function wrapWords(text: string, width: number): string[] {
  return width <= 0 ? [text] : wrapAnsi(text, width, {hard: true, trim: true}).split('\n');
}
