// A panel's rows: the items its filter keeps, in the order its sort asks for. Pure.
import type {ResourceIndex, ResourceKind, SortOrder} from './kind.js';

/** Items whose search text contains every word of the filter, case-insensitively. */
export function filterItems<T>(kind: ResourceKind<T, never>, items: readonly T[], filter: string, index: ResourceIndex): readonly T[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) {
    return items;
  }

  return items.filter(item => {
    const text = kind.searchText(item, index).toLowerCase();
    return words.every(word => text.includes(word));
  });
}

const collator = new Intl.Collator(undefined, {numeric: true, sensitivity: 'base'});

/** Orders two sort values: numbers as numbers, strings in natural order, a number before a string. */
export function compareSortValues(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') {
    // Not a subtraction: Infinity - Infinity is NaN.
    return a < b ? -1 : a > b ? 1 : 0;
  }

  if (typeof a === 'number' || typeof b === 'number') {
    return typeof a === 'number' ? -1 : 1;
  }

  return collator.compare(a, b);
}

/**
 * Items sorted by a column's sort value (its cell text unless the column gives one), each computed once
 * per sort; a stable sort, so equal values keep the kind's order.
 */
export function sortItems<T>(kind: ResourceKind<T, never>, items: readonly T[], sort: SortOrder | undefined, index: ResourceIndex): readonly T[] {
  const column = sort ? kind.columns[sort.column] : undefined;
  if (!sort || !column) {
    return items;
  }

  const valueOf = column.sortValue ?? column.cell;
  const keyed = items.map(item => ({item, value: valueOf(item, index)}));
  const direction = sort.isDescending ? -1 : 1;
  keyed.sort((a, b) => compareSortValues(a.value, b.value) * direction);
  return keyed.map(entry => entry.item);
}

/** The items a panel shows: filtered, then sorted. */
export function panelRows<T>(kind: ResourceKind<T, never>, items: readonly T[], filter: string, sort: SortOrder | undefined, index: ResourceIndex): readonly T[] {
  return sortItems(kind, filterItems(kind, items, filter, index), sort, index);
}
