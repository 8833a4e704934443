// Derived views of the mirror for the panels: filtered rows, the selected item.
import type {ContainerSummary, NetworkSummary, VolumeSummary} from '../engine/types.js';
import {containersKind} from '../resources/containers.js';
import type {ResourceIndex, ResourceKind} from '../resources/kind.js';
import {networksKind} from '../resources/networks.js';
import {volumesKind} from '../resources/volumes.js';
import type {MirrorSnapshot} from './engine-mirror.js';
import type {PanelId} from './ui-state.js';

/** The items of a panel with its kind; the union keeps each kind paired with its own items. */
export type PanelData =
  | {readonly id: 'containers'; readonly kind: ResourceKind<ContainerSummary, unknown>; readonly items: readonly ContainerSummary[]}
  | {readonly id: 'networks'; readonly kind: ResourceKind<NetworkSummary, unknown>; readonly items: readonly NetworkSummary[]}
  | {readonly id: 'volumes'; readonly kind: ResourceKind<VolumeSummary, unknown>; readonly items: readonly VolumeSummary[]};

/** A panel's kind and items from a snapshot. */
export function panelData(snapshot: MirrorSnapshot, panel: PanelId): PanelData {
  switch (panel) {
    case 'containers': return {id: panel, kind: containersKind as ResourceKind<ContainerSummary, unknown>, items: snapshot.containers};
    case 'networks': return {id: panel, kind: networksKind as ResourceKind<NetworkSummary, unknown>, items: snapshot.networks};
    case 'volumes': return {id: panel, kind: volumesKind as ResourceKind<VolumeSummary, unknown>, items: snapshot.volumes};
  }
}

/** Items whose search text contains every word of the filter, case-insensitively. */
export function filterItems<T>(kind: ResourceKind<T, unknown>, items: readonly T[], filter: string, index: ResourceIndex): readonly T[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) {
    return items;
  }

  return items.filter(item => {
    const text = kind.searchText(item, index).toLowerCase();
    return words.every(word => text.includes(word));
  });
}

/** A panel's sort: by a column's sort value (its text in natural order unless it gives one), or the kind's own order when undefined. */
export type SortOrder = {readonly column: number; readonly isDescending: boolean};

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
export function sortItems<T>(kind: ResourceKind<T, unknown>, items: readonly T[], sort: SortOrder | undefined, index: ResourceIndex): readonly T[] {
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
