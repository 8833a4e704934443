// What the user is looking at: focused panel, selection, filter, and what covers the lists. A pure reducer.
import type {ActionForm} from '../jobs/action-form.js';

import {panelIds, perPanel, type PanelId} from '../model/panel-ids.js';

export type {PanelId} from '../model/panel-ids.js';

/** Selection and filter of one panel. The selection is a key, so it stays on its item as rows move. */
export type PanelState = {
  readonly selectedKey?: string;
  readonly filter: string;
  /** Sort by this column (natural order); undefined keeps the kind's own order. */
  readonly sort?: {readonly column: number; readonly isDescending: boolean};
  /** Rows marked with Space for an action on several at once. */
  readonly marked?: ReadonlySet<string>;
};

/**
 * What covers the lists, if anything: one state for every screen that takes the keys from them. `details`
 * and `filter` leave the lists on screen (the details pane of a narrow terminal, the filter line).
 */
export type Cover =
  | {readonly kind: 'none'}
  | {readonly kind: 'details'}
  | {readonly kind: 'filter'}
  | {readonly kind: 'help'}
  | {readonly kind: 'topology'}
  | {readonly kind: 'palette'}
  /** A wizard; `serial` is its React key, so a follow-up form mounts a fresh wizard instead of reusing the last one's state. */
  | {readonly kind: 'flow'; readonly form: ActionForm; readonly serial: number}
  | {readonly kind: 'logs'; readonly id: string; readonly name: string}
  | {readonly kind: 'inspect'; readonly target: 'container' | 'network' | 'volume'; readonly id: string; readonly name: string}
  /** A shell in a container has the terminal. */
  | {readonly kind: 'shell'; readonly id: string; readonly name: string};

/** A cover's kind. */
export type CoverKind = Cover['kind'];

/** A cover to open: a wizard gets its serial from the reducer. */
export type CoverRequest = Exclude<Cover, {kind: 'flow'}> | {readonly kind: 'flow'; readonly form: ActionForm};

/** The whole UI state. */
export type UiState = {
  readonly focus: PanelId;
  readonly panels: Readonly<Record<PanelId, PanelState>>;
  readonly cover: Cover;
  /** Wizards opened so far: the next one's serial. */
  readonly flowCount: number;
  readonly isSecretsRevealed: boolean;
  readonly detailsScroll: number;
  readonly helpScroll: number;
  /** A one-line message in the key bar (result of the last action). */
  readonly flash?: {readonly text: string; readonly tone: 'info' | 'error' | 'good'};
};

/** Everything that changes the UI state. */
export type UiAction =
  | {type: 'focus'; panel: PanelId}
  | {type: 'focusStep'; delta: 1 | -1}
  | {type: 'select'; panel: PanelId; key: string | undefined}
  | {type: 'move'; panel: PanelId; delta: number; keys: readonly string[]}
  | {type: 'setFilter'; panel: PanelId; filter: string}
  /** `keys`: the panel's rows as shown before the sort, to pin the selection they show (see `pinSelection`). */
  | {type: 'sortNext'; panel: PanelId; columns: number; keys: readonly string[]}
  | {type: 'sortReverse'; panel: PanelId; keys: readonly string[]}
  | {type: 'toggleMark'; panel: PanelId; key: string}
  | {type: 'clearMarks'; panel: PanelId}
  | {type: 'cover'; cover: CoverRequest}
  /** Opens `cover` only when nothing covers the lists yet (a start-up offer never replaces what the user opened). */
  | {type: 'coverIfFree'; cover: CoverRequest}
  | {type: 'toggleSecrets'}
  | {type: 'scrollDetails'; delta: number; max: number}
  | {type: 'scrollHelp'; delta: number; max: number}
  | {type: 'flash'; text: string; tone: 'info' | 'error' | 'good'}
  | {type: 'clearFlash'};

/** The state on start. */
export const initialUiState: UiState = {
  focus: panelIds[0]!,
  panels: perPanel(() => ({filter: ''})),
  cover: {kind: 'none'},
  flowCount: 0,
  isSecretsRevealed: false,
  detailsScroll: 0,
  helpScroll: 0,
};

const clamp = (value: number, max: number) => Math.max(0, Math.min(value, Math.max(0, max)));

/** The reducer. */
export function uiReducer(state: UiState, action: UiAction): UiState {
  switch (action.type) {
    case 'focus': {
      return {...state, focus: action.panel, detailsScroll: 0};
    }

    case 'focusStep': {
      const index = panelIds.indexOf(state.focus);
      const next = panelIds[(index + action.delta + panelIds.length) % panelIds.length]!;
      return {...state, focus: next, detailsScroll: 0};
    }

    case 'select': {
      if (state.panels[action.panel].selectedKey === action.key) {
        return state;
      }

      return {...state, panels: {...state.panels, [action.panel]: {...state.panels[action.panel], selectedKey: action.key}}, detailsScroll: 0};
    }

    case 'move': {
      // From the latest state, so keys typed faster than the screen redraws all count.
      const from = state.panels[action.panel].selectedKey;
      const start = from !== undefined && action.keys.includes(from) ? from : action.keys[0];
      return uiReducer(state, {type: 'select', panel: action.panel, key: moveSelection(action.keys, start, start === undefined ? 0 : action.delta)});
    }

    case 'setFilter': {
      return {...state, panels: {...state.panels, [action.panel]: {...state.panels[action.panel], filter: action.filter}}};
    }

    case 'sortNext': {
      // Cycles through the columns, then back to the kind's own order.
      const current = state.panels[action.panel].sort;
      const column = current === undefined ? 0 : current.column + 1;
      const sort = column >= action.columns ? undefined : {column, isDescending: false};
      return {...state, panels: {...state.panels, [action.panel]: {...pinSelection(state.panels[action.panel], action.keys), sort}}};
    }

    case 'sortReverse': {
      const current = state.panels[action.panel].sort ?? {column: 0, isDescending: false};
      return {...state, panels: {...state.panels, [action.panel]: {...pinSelection(state.panels[action.panel], action.keys), sort: {...current, isDescending: !current.isDescending}}}};
    }

    case 'toggleMark': {
      const marked = new Set(state.panels[action.panel].marked);
      if (!marked.delete(action.key)) {
        marked.add(action.key);
      }

      return {...state, panels: {...state.panels, [action.panel]: {...state.panels[action.panel], marked}}};
    }

    case 'clearMarks': {
      return {...state, panels: {...state.panels, [action.panel]: {...state.panels[action.panel], marked: undefined}}};
    }

    case 'cover': {
      const cover: Cover = action.cover.kind === 'flow' ? {kind: 'flow', form: action.cover.form, serial: state.flowCount} : action.cover;
      return {...state, cover, flowCount: state.flowCount + (cover.kind === 'flow' ? 1 : 0), detailsScroll: 0, helpScroll: 0};
    }

    case 'coverIfFree': {
      return state.cover.kind === 'none' ? uiReducer(state, {type: 'cover', cover: action.cover}) : state;
    }

    case 'toggleSecrets': {
      return {...state, isSecretsRevealed: !state.isSecretsRevealed};
    }

    case 'scrollDetails': {
      return {...state, detailsScroll: clamp(state.detailsScroll + action.delta, action.max)};
    }

    case 'scrollHelp': {
      return {...state, helpScroll: clamp(state.helpScroll + action.delta, action.max)};
    }

    case 'flash': {
      return {...state, flash: {text: action.text, tone: action.tone}};
    }

    case 'clearFlash': {
      return state.flash ? {...state, flash: undefined} : state;
    }
  }
}

/**
 * A panel whose selection is the item it shows selected among `keys`: the selected key while it is
 * shown, else the first row. Without a key the selection is only "the first row", and a sort would
 * move it to another item; pinned, it follows its item to its new row.
 */
function pinSelection(panel: PanelState, keys: readonly string[]): PanelState {
  const shown = panel.selectedKey !== undefined && keys.includes(panel.selectedKey) ? panel.selectedKey : keys[0];
  return shown === panel.selectedKey ? panel : {...panel, selectedKey: shown};
}

/** Moves a selection by `delta` rows within `keys`, from the selected key (or the top). */
export function moveSelection(keys: readonly string[], selectedKey: string | undefined, delta: number): string | undefined {
  if (keys.length === 0) {
    return undefined;
  }

  const current = selectedKey === undefined ? -1 : keys.indexOf(selectedKey);
  const from = current < 0 ? 0 : current;
  const target = current < 0 && delta > 0 ? 0 : from + delta;
  return keys[clamp(target, keys.length - 1)];
}
