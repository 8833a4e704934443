// The shape every resource kind declares: data only. One generic panel renders any of them.
import type {ContainerSummary, NetworkSummary, VolumeSummary, VolumeUsage} from '../engine/types.js';
import type {PanelId} from '../model/panel-ids.js';

/** A container's mode as its inspected document says it, and the attached networks it was read with (stale when the list's differ). */
export type InspectedMode = {readonly mode: string; readonly networks: string};

/** What a list row may need to know about other resources (counts, names), computed once per snapshot. */
export type ResourceIndex = {
  readonly containerById: ReadonlyMap<string, ContainerSummary>;
  /** Containers per network name. */
  readonly containersByNetwork: ReadonlyMap<string, readonly ContainerSummary[]>;
  /** Containers per volume name. */
  readonly containersByVolume: ReadonlyMap<string, readonly ContainerSummary[]>;
  /** Sizes from /system/df; undefined until fetched. */
  readonly volumeUsage?: ReadonlyMap<string, VolumeUsage>;
  /** Modes read by inspect, by container id, for the rows whose list entry cannot tell (see `needsInspectedMode`). */
  readonly inspectedModes?: ReadonlyMap<string, InspectedMode>;
};

/** A column of a list. */
export type Column<T> = {
  readonly title: string;
  /** Fixed width in cells, or 'flex' to share what is left. */
  readonly width: number | 'flex';
  /** Minimum width of a flex column. */
  readonly minWidth?: number;
  readonly cell: (item: T, index: ResourceIndex) => string;
  /**
   * What the column sorts by when its text does not sort right (sizes with units): numbers compare as
   * numbers, strings with natural order; a number sorts before a string. Absent: the cell's text.
   */
  readonly sortValue?: (item: T, index: ResourceIndex) => number | string;
};

/** One line of a details pane. */
export type DetailRow = {
  readonly label: string;
  readonly value: string;
  /** Masked on screen until the user reveals secrets. */
  readonly isSecret?: boolean;
  /** Shown instead of `value` until the user reveals secrets: the value with the secret part masked (a URL's password). */
  readonly maskedValue?: string;
  readonly tone?: 'normal' | 'dim' | 'warning' | 'good';
};

/** A titled group of detail rows. */
export type DetailSection = {readonly title: string; readonly rows: readonly DetailRow[]};

/** A panel's sort: by a column's sort value (its text in natural order unless it gives one), or the kind's own order when undefined. */
export type SortOrder = {readonly column: number; readonly isDescending: boolean};

/** A resource kind: how its items are named, listed, searched, sorted and detailed. */
export type ResourceKind<T, D = T> = {
  readonly id: PanelId;
  readonly title: string;
  readonly key: (item: T) => string;
  readonly columns: readonly Column<T>[];
  /** The text a filter matches against. */
  readonly searchText: (item: T, index: ResourceIndex) => string;
  readonly compare: (a: T, b: T) => number;
  readonly emptyMessage: string;
  /** Details from the list item, refined by the inspected document once it is fetched. */
  readonly details: (item: T, index: ResourceIndex, inspected?: D) => readonly DetailSection[];
};

/** Items of the three panels. */
export type AnyItem = ContainerSummary | NetworkSummary | VolumeSummary;
