// Each panel's rows as the user sees them: after its filter (the draft while typing it) and its sort,
// with its selection (the first row until the user moves).
import {useMemo} from 'react';
import type {Panel, PanelItem, PanelView} from '../../resources/panel.js';
import {panels} from '../../resources/panels.js';
import type {MirrorSnapshot} from '../../state/engine-mirror.js';
import type {PanelId, UiState} from '../../state/ui-state.js';

/** A panel on screen. */
export type ShownPanel = {
  readonly panel: Panel;
  readonly id: PanelId;
  readonly view: PanelView;
  readonly filter: string;
  readonly selectedKey?: string;
  readonly selected?: PanelItem;
};

/** The panels in Tab order, and the focused one. */
export function usePanelViews(snapshot: MirrorSnapshot, ui: UiState, filterDraft: string): {shown: readonly ShownPanel[]; focused: ShownPanel} {
  const shown = useMemo(() => panels.map((panel): ShownPanel => {
    const state = ui.panels[panel.id];
    const filter = ui.cover.kind === 'filter' && ui.focus === panel.id ? filterDraft : state.filter;
    const view = panel.view(snapshot, snapshot.index, filter, state.sort);
    const wanted = state.selectedKey;
    const selectedKey = wanted !== undefined && view.keys.includes(wanted) ? wanted : view.keys[0];
    return {panel, id: panel.id, view, filter, selectedKey, selected: view.item(selectedKey)};
  }), [snapshot, ui.panels, ui.cover.kind, ui.focus, filterDraft]);
  return {shown, focused: shown.find(entry => entry.id === ui.focus)!};
}
