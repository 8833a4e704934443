// The one generic list panel: any resource kind, only the visible rows rendered.
import {Box, Text} from 'ink';
import React, {useMemo, useRef} from 'react';
import type {ResourceIndex, ResourceKind} from '../resources/kind.js';
import {columnWidths, contentWidths, formatHeader, formatRow, itemContentWidths} from '../resources/layout.js';
import {fit} from '../model/text.js';
import type {SortOrder} from '../resources/kind.js';
import type {Theme} from './theme.js';

/** Props of a panel. */
export type ResourcePanelProps<T> = {
  readonly number: number;
  readonly kind: ResourceKind<T, never>;
  readonly items: readonly T[];
  /**
   * The whole list, before the filter and sort: the columns' widths are fitted to its cells, once per
   * list, so they do not move as rows scroll, sort or filter into view. Default: `items`.
   */
  readonly allItems?: readonly T[];
  readonly total: number;
  readonly index: ResourceIndex;
  readonly selectedKey?: string;
  readonly filter: string;
  /** The column the items are sorted by (its header gets ▲ or ▼); undefined for the kind's own order. */
  readonly sort?: SortOrder;
  /** The key that clears the filter, as the key table has it. */
  readonly clearFilterKey?: string;
  readonly isFocused: boolean;
  readonly width: number;
  /** Rows available for items (title and header lines not counted). */
  readonly height: number;
  readonly theme: Theme;
  readonly isLoading: boolean;
  /** Keys of the rows marked for a bulk action. */
  readonly marked?: ReadonlySet<string>;
  /** Told which row is at the top, so a mouse click can be mapped to a row. */
  readonly onOffset?: (offset: number) => void;
};

/** Which slice of rows to show so the selected row stays visible, scrolling as little as possible. */
export function visibleWindow(selected: number, previousOffset: number, height: number, count: number): number {
  if (height <= 0 || count <= height) {
    return 0;
  }

  let offset = Math.min(previousOffset, count - height);
  if (selected < offset) {
    offset = selected;
  } else if (selected >= offset + height) {
    offset = selected - height + 1;
  }

  return Math.max(0, offset);
}

/** Renders a kind's items as a table with a title bar. Memoized: a key press redraws only the panels it changed. */
export const ResourcePanel = React.memo(ResourcePanelView) as typeof ResourcePanelView;

function ResourcePanelView<T>(props: ResourcePanelProps<T>) {
  const {kind, items, index, width, height, theme, isFocused} = props;
  const offsetRef = useRef(0);
  const selected = props.selectedKey === undefined ? -1 : items.findIndex(item => kind.key(item) === props.selectedKey);
  const offset = visibleWindow(Math.max(0, selected), offsetRef.current, height, items.length);
  offsetRef.current = offset;
  props.onOffset?.(offset);
  const visible = items.slice(offset, offset + height);
  const cells = visible.map(item => kind.columns.map(column => column.cell(item, index)));
  const titles = kind.columns.map(column => column.title);
  const allItems = props.allItems ?? items;
  // Every row's cells are measured when the list changes (each item once while it lives), not on each key press;
  // the visible rows' own cells count too, for cells that changed with the index alone.
  const measured = useMemo(() => itemContentWidths(kind.columns, allItems, index), [kind, allItems, index]);
  const shown = contentWidths(cells, titles);
  const widths = columnWidths(kind.columns, width - 1, measured.map((length, i) => Math.max(length, shown[i] ?? 0)));
  const count = props.filter ? `${items.length}/${props.total}` : String(props.total);
  const position = items.length > height ? ` ${offset + 1}-${offset + visible.length}` : '';
  const marks = props.marked && props.marked.size > 0 ? `  ${props.marked.size} marked` : '';
  const title = ` ${props.number} ${kind.title} (${count})${position}${marks}${props.filter ? `  filter: ${props.filter}` : ''} `;
  const lines: React.ReactNode[] = [];
  for (let i = 0; i < height; i++) {
    const item = visible[i];
    if (item === undefined) {
      if (i === 0) {
        const message = props.isLoading ? 'loading…' : props.filter ? `Nothing matches "${props.filter}" (${props.clearFilterKey ?? 'Esc'} clears the filter).` : kind.emptyMessage;
        lines.push(<Text key="empty" color={theme.dim} dimColor={!theme.dim}>{fit(` ${message}`, width)}</Text>);
      } else {
        lines.push(<Text key={`blank-${i}`}> </Text>);
      }

      continue;
    }

    const isSelected = offset + i === selected;
    const text = `${props.marked?.has(kind.key(item)) ? '•' : ' '}${formatRow(cells[i]!, widths)}`;
    lines.push(
      <Text key={kind.key(item)} inverse={isSelected && isFocused} bold={isSelected && !isFocused}>
        {fit(text, width)}
      </Text>,
    );
  }

  return (
    <Box flexDirection="column" width={width}>
      <Text
        inverse={isFocused && !theme.titleBackground}
        bold
        backgroundColor={isFocused ? theme.titleBackground : undefined}
        color={isFocused ? theme.titleForeground : theme.accent}
        wrap="truncate"
      >
        {fit(title, width)}
      </Text>
      <Text color={theme.dim} dimColor={!theme.dim} wrap="truncate">{fit(` ${formatHeader(titles, widths, props.sort)}`, width)}</Text>
      {lines}
    </Box>
  );
}
