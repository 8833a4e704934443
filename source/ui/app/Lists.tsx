// The main screen's body: the panels stacked (each the generic ResourcePanel), and on a wide terminal
// the details pane beside them.
import {Box} from 'ink';
import React from 'react';
import type {KeyBinding} from '../../keys/key-table.js';
import {keyOf} from '../../keys/key-table.js';
import type {DetailSection, ResourceIndex} from '../../resources/kind.js';
import type {PanelId, UiState} from '../../state/ui-state.js';
import {DetailsPane} from '../DetailsPane.js';
import {ResourcePanel} from '../ResourcePanel.js';
import type {Theme} from '../theme.js';
import type {ShownPanel} from './use-panel-views.js';

/** Props of the lists. */
export type ListsProps = {
  readonly shown: readonly ShownPanel[];
  readonly ui: UiState;
  readonly index: ResourceIndex;
  readonly isLoading: boolean;
  readonly heights: Readonly<Record<PanelId, number>>;
  readonly listWidth: number;
  /** The details pane's width beside the lists; undefined on a narrow terminal (details cover the lists there). */
  readonly detailsWidth?: number;
  readonly bodyHeight: number;
  readonly sections: readonly DetailSection[];
  readonly bindings: readonly KeyBinding[];
  readonly theme: Theme;
  /** Told which row is at the top of each panel, for the mouse. */
  readonly onOffset: (panel: PanelId, offset: number) => void;
};

/** The lists, and the details beside them when there is room. */
export function Lists({shown, ui, index, isLoading, heights, listWidth, detailsWidth, bodyHeight, sections, bindings, theme, onOffset}: ListsProps) {
  const lists = (
    <Box flexDirection="column" width={listWidth}>
      {shown.map((entry, i) => entry.view.draw(table => (
        <ResourcePanel
          key={entry.id}
          number={i + 1}
          kind={table.kind}
          items={table.items}
          allItems={table.allItems}
          total={entry.view.total}
          index={index}
          selectedKey={entry.selectedKey}
          filter={entry.filter}
          sort={ui.panels[entry.id].sort}
          clearFilterKey={keyOf(bindings, 'list', 'back')}
          isFocused={ui.focus === entry.id && ui.cover.kind !== 'details'}
          width={listWidth}
          height={heights[entry.id]}
          theme={theme}
          isLoading={isLoading}
          marked={ui.panels[entry.id].marked}
          onOffset={offset => onOffset(entry.id, offset)}
        />
      )))}
    </Box>
  );
  if (detailsWidth === undefined) {
    return lists;
  }

  return (
    <Box>
      {lists}
      <Box width={1} />
      <DetailsPane sections={sections} width={detailsWidth} height={bodyHeight} scroll={ui.detailsScroll} isSecretsRevealed={ui.isSecretsRevealed} isFocused={ui.cover.kind === 'details'} theme={theme} revealKey={keyOf(bindings, 'global', 'revealSecrets')} />
    </Box>
  );
}
