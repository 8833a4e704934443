// Fits columns into a width: fixed columns first, flex columns share the rest. The general text
// helpers (cell lengths, fitting, wrapping) are in model/text.ts.
import {cellLength, fit} from '../model/text.js';
import type {Column, ResourceIndex} from './kind.js';

/**
 * Widths for each column in `width` cells, with one space between columns. Flex columns get what
 * their content needs (`contentWidths`, when given) and share any shortage fairly: the narrow ones
 * get all they need first, the widest are cut to a common width (their cells end in an ellipsis).
 * The columns never take more than `width` together, unless even their minimums do not fit: a column
 * never goes below its minimum.
 */
export function columnWidths<T>(columns: readonly Column<T>[], width: number, contentWidths?: readonly number[]): number[] {
  const gaps = columns.length - 1;
  const fixed = columns.reduce((sum, c) => sum + (c.width === 'flex' ? 0 : c.width), 0);
  const available = Math.max(0, width - gaps - fixed);
  const flexIndexes = columns.flatMap((c, i) => (c.width === 'flex' ? [i] : []));
  const minimum = flexIndexes.map(i => columns[i]!.minWidth ?? 6);
  const wanted = flexIndexes.map((i, j) => Math.max(minimum[j]!, contentWidths?.[i] ?? Number.POSITIVE_INFINITY));
  const flexWidths = fillLevel(minimum, wanted, available);
  const widths = columns.map(c => (c.width === 'flex' ? 0 : c.width));
  flexIndexes.forEach((i, j) => {
    widths[i] = flexWidths[j]!;
  });
  // Room to spare goes to the last flex column, so rows span the width.
  const spare = available - flexWidths.reduce((sum, w) => sum + w, 0);
  const last = flexIndexes.at(-1);
  if (spare > 0 && last !== undefined) {
    widths[last] = widths[last]! + spare;
  }

  return widths;
}

/**
 * Water-filling: sizes between `lower` and `upper` (each at least its lower bound) that add up to at
 * most `total`. Every size is its upper bound capped at one common level, as high as `total` allows;
 * the cells left below the next level go to the first sizes still short of their upper bound. When the
 * lower bounds alone exceed `total`, the lower bounds.
 */
function fillLevel(lower: readonly number[], upper: readonly number[], total: number): number[] {
  const at = (level: number) => lower.map((low, i) => Math.min(upper[i]!, Math.max(low, level)));
  const sum = (sizes: readonly number[]) => sizes.reduce((a, b) => a + b, 0);
  if (sum(lower) >= total) {
    return [...lower];
  }

  // The highest level whose sizes fit: sum(at(level)) grows with level, and at(0) is the lower bounds.
  let low = 0;
  let high = total;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (sum(at(middle)) <= total) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }

  const sizes = at(low);
  let extra = total - sum(sizes);
  for (let i = 0; i < sizes.length && extra > 0; i++) {
    if (sizes[i]! === low && sizes[i]! < upper[i]!) {
      sizes[i]!++;
      extra--;
    }
  }

  return sizes;
}

/** Each item's flex cell lengths, kept while the item lives: an engine event replaces only the items it changed. */
const measuredItems = new WeakMap<object, {readonly columns: readonly unknown[]; readonly lengths: readonly number[]}>();

/**
 * The widest cell of each flex column (title included) over all `items`, so the widths stay put while
 * the list is scrolled, sorted or filtered; fixed columns, which keep their width, are not measured
 * (their entry is the title's). Each item is measured once while it lives (a new snapshot after an event
 * re-measures only the items the event replaced), with the index of that time: a cell that changes with
 * the index alone (NET MODE after an inspect) keeps its old length here until its item is replaced, so
 * callers take the visible rows' own cells into account too.
 */
export function itemContentWidths<T>(columns: readonly Column<T>[], items: readonly T[], index: ResourceIndex): number[] {
  const widths = columns.map(column => cellLength(column.title));
  const flex = columns.flatMap((column, i) => (column.width === 'flex' ? [i] : []));
  for (const item of items) {
    let measured = measuredItems.get(item as object);
    if (measured?.columns !== columns) {
      measured = {columns, lengths: flex.map(i => cellLength(columns[i]!.cell(item, index)))};
      measuredItems.set(item as object, measured);
    }

    for (let j = 0; j < flex.length; j++) {
      const i = flex[j]!;
      if (measured.lengths[j]! > widths[i]!) {
        widths[i] = measured.lengths[j]!;
      }
    }
  }

  return widths;
}

/** The widest cell of each column (title included) over some rows. */
export function contentWidths(rows: readonly (readonly string[])[], titles: readonly string[]): number[] {
  return titles.map((title, i) => rows.reduce((max, row) => Math.max(max, cellLength(row[i] ?? '')), cellLength(title)));
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
