// The lists' controllers: what each command does in each context of the main screen, as handlers keyed
// by command (the key table says which keys reach them). A context is a set of key layers and its
// handlers: the lists (global, list and the focused panel's layers), the details, help and topology
// screens (they scroll), the filter line, and the screen shown before anything loaded. The full-screen
// views (logs, inspect, the palette, wizards) have their own handlers (useCommands in each).
import type {Dispatch} from 'react';
import {keyOf, type KeyBinding, type KeyLayer} from '../../keys/key-table.js';
import {globalActions} from '../../resources/actions.js';
import type {ActionOutcome, PanelItem} from '../../resources/panel.js';
import type {MirrorSnapshot} from '../../state/engine-mirror.js';
import type {LiveSync} from '../../state/live-sync.js';
import {focusCommand, panelIds} from '../../model/panel-ids.js';
import type {UiAction, UiState} from '../../state/ui-state.js';
import {copyToClipboard} from '../clipboard.js';
import type {CommandHandlers} from '../use-commands.js';
import type {ShownPanel} from './use-panel-views.js';

/** What the controllers read and act through. */
export type ControllerContext = {
  readonly ui: UiState;
  readonly dispatch: Dispatch<UiAction>;
  readonly snapshot: MirrorSnapshot;
  readonly bindings: readonly KeyBinding[];
  readonly shown: readonly ShownPanel[];
  readonly focused: ShownPanel;
  readonly sync?: LiveSync;
  readonly isReadOnly: boolean;
  readonly exit: () => void;
  /** Rows a page moves in the focused list. */
  readonly pageRows: number;
  /** Lines a page scrolls in a full-screen text (details, help, topology). */
  readonly pageLines: number;
  /** The last line a scrolling screen can start at (details, help, topology). */
  readonly scrollMax: number;
  /** Starts typing a filter, from the panel's current one. */
  readonly startFilter: () => void;
};

/** A context of the main screen: the layers its keys are looked up in, and its handlers. */
export type Controller = {readonly layers: readonly KeyLayer[]; readonly handlers: CommandHandlers};

const readOnlyRefusal = 'Read-only mode: hawser changes nothing on this engine.';

/** The commands of every context but the filter line's. */
function globalCommands(context: ControllerContext): CommandHandlers {
  const {ui, dispatch, bindings} = context;
  const handlers: Record<string, CommandHandlers[keyof CommandHandlers]> = {};
  for (const panel of panelIds) {
    handlers[focusCommand(panel)] = () => dispatch({type: 'focus', panel});
  }

  for (const action of globalActions) {
    handlers[`action:${action.command}`] = () => {
      if (context.isReadOnly) {
        dispatch({type: 'flash', text: readOnlyRefusal, tone: 'error'});
      } else {
        dispatch({type: 'cover', cover: {kind: 'flow', form: action.form(undefined, context.snapshot.index)}});
      }
    };
  }

  return {
    ...handlers,
    quit: context.exit,
    help: () => dispatch({type: 'cover', cover: {kind: 'help'}}),
    topology: () => dispatch({type: 'cover', cover: {kind: 'topology'}}),
    focusNext: () => dispatch({type: 'focusStep', delta: 1}),
    focusPrevious: () => dispatch({type: 'focusStep', delta: -1}),
    filter: context.startFilter,
    revealSecrets: () => {
      dispatch({type: 'toggleSecrets'});
      dispatch({type: 'flash', text: ui.isSecretsRevealed ? 'Secret values masked.' : `Secret values revealed: ${keyOf(bindings, 'global', 'revealSecrets')} masks them again.`, tone: 'info'});
    },
    retry: () => context.sync?.retryNow(),
    palette: () => dispatch({type: 'cover', cover: {kind: 'palette'}}),
  };
}

/** What an action key leads to, shown: its wizard opens, or its refusal flashes. */
function openOutcome(dispatch: Dispatch<UiAction>, outcome: ActionOutcome | undefined): void {
  if (outcome && 'form' in outcome) {
    dispatch({type: 'cover', cover: {kind: 'flow', form: outcome.form}});
  } else if (outcome) {
    dispatch({type: 'flash', text: outcome.refusal, tone: 'error'});
  }
}

/** The commands on a panel's rows; a binding of another panel's layer (from the palette) focuses that panel first. */
function rowCommands(context: ControllerContext): CommandHandlers {
  const {ui, dispatch, bindings, snapshot} = context;
  const targetOf = (binding: KeyBinding): ShownPanel => {
    const entry = context.shown.find(candidate => candidate.id === binding.layer) ?? context.focused;
    if (entry.id !== ui.focus) {
      dispatch({type: 'focus', panel: entry.id});
    }

    return entry;
  };

  const withItem = (run: (item: PanelItem, entry: ShownPanel) => void) => (_key: string, binding: KeyBinding) => {
    const entry = targetOf(binding);
    if (entry.selected) {
      run(entry.selected, entry);
    }
  };

  const move = (delta: (entry: ShownPanel) => number) => (_key: string, binding: KeyBinding) => {
    const entry = targetOf(binding);
    dispatch({type: 'move', panel: entry.id, delta: delta(entry), keys: entry.view.keys});
  };

  const copy = (isAddress: boolean) => withItem(item => {
    const text = item.copyText(isAddress);
    if (text) {
      const {tone, message} = copyToClipboard(text);
      dispatch({type: 'flash', text: message, tone});
    } else {
      dispatch({type: 'flash', text: 'It has no address to copy.', tone: 'error'});
    }
  });

  const handlers: Record<string, CommandHandlers[keyof CommandHandlers]> = {};
  for (const entry of context.shown) {
    for (const action of entry.panel.actions) {
      handlers[`action:${action.command}`] = (_key, binding) => {
        const target = targetOf(binding);
        if (context.isReadOnly) {
          dispatch({type: 'flash', text: readOnlyRefusal, tone: 'error'});
          return;
        }

        const {marked} = ui.panels[target.id];
        const outcome = target.view.action(action.command, target.selectedKey, marked, snapshot.index);
        if (outcome && 'form' in outcome && marked && marked.size > 0) {
          dispatch({type: 'clearMarks', panel: target.id});
        }

        openOutcome(dispatch, outcome);
      };
    }
  }

  return {
    ...handlers,
    down: move(() => 1),
    up: move(() => -1),
    top: move(entry => -entry.view.keys.length),
    bottom: move(entry => entry.view.keys.length),
    pageDown: move(() => context.pageRows),
    pageUp: move(() => -context.pageRows),
    details: withItem(() => dispatch({type: 'cover', cover: {kind: 'details'}})),
    back: () => {
      // The row the filter led to stays selected when the filter is cleared.
      if (context.focused.selectedKey !== undefined) {
        dispatch({type: 'select', panel: ui.focus, key: context.focused.selectedKey});
      }

      dispatch({type: 'setFilter', panel: ui.focus, filter: ''});
    },
    mark: (_key, binding) => {
      const entry = targetOf(binding);
      if (entry.selectedKey !== undefined) {
        dispatch({type: 'toggleMark', panel: entry.id, key: entry.selectedKey});
        dispatch({type: 'move', panel: entry.id, delta: 1, keys: entry.view.keys});
      }
    },
    clearMarks: (_key, binding) => dispatch({type: 'clearMarks', panel: targetOf(binding).id}),
    sortNext: (_key, binding) => {
      const entry = targetOf(binding);
      dispatch({type: 'sortNext', panel: entry.id, columns: entry.panel.columnCount, keys: entry.view.keys});
    },
    sortReverse: (_key, binding) => {
      const entry = targetOf(binding);
      dispatch({type: 'sortReverse', panel: entry.id, keys: entry.view.keys});
    },
    inspect: withItem(item => dispatch({type: 'cover', cover: {kind: 'inspect', target: item.inspectTarget, id: item.key, name: item.name}})),
    copyId: copy(false),
    copyAddress: copy(true),
    logs: withItem(item => item.container && dispatch({type: 'cover', cover: {kind: 'logs', id: item.container.id, name: item.container.name}})),
    shell: withItem(item => {
      const {container} = item;
      if (context.isReadOnly) {
        dispatch({type: 'flash', text: readOnlyRefusal, tone: 'error'});
      } else if (container && !container.isRunning) {
        dispatch({type: 'flash', text: `${container.name} is not running: start it first (${keyOf(bindings, 'containers', 'action:start')}).`, tone: 'error'});
      } else if (container) {
        dispatch({type: 'cover', cover: {kind: 'shell', id: container.id, name: container.name}});
      }
    }),
  };
}

/** The scrolling of the details, help and topology screens, and their way back to the lists. */
function scrollCommands(context: ControllerContext): CommandHandlers {
  const {ui, dispatch} = context;
  const scroll = (delta: number) => () => dispatch(ui.cover.kind === 'help'
    ? {type: 'scrollHelp', delta, max: context.scrollMax}
    : {type: 'scrollDetails', delta, max: context.scrollMax});
  return {
    down: scroll(1),
    up: scroll(-1),
    top: scroll(-Number.MAX_SAFE_INTEGER),
    bottom: scroll(Number.MAX_SAFE_INTEGER),
    pageDown: scroll(context.pageLines),
    pageUp: scroll(-context.pageLines),
    back: () => dispatch({type: 'cover', cover: {kind: 'none'}}),
  };
}

/** The filter line's commands; what it types is `filterKey`'s (see the app). */
function filterCommands(context: ControllerContext, draft: string): CommandHandlers {
  const {ui, dispatch, focused} = context;
  // The row the filter led to stays selected when the filter is kept or cleared (the first row is only a default).
  const close = (filter: string) => () => {
    if (focused.selectedKey !== undefined) {
      dispatch({type: 'select', panel: ui.focus, key: focused.selectedKey});
    }

    dispatch({type: 'setFilter', panel: ui.focus, filter});
    dispatch({type: 'cover', cover: {kind: 'none'}});
  };

  return {filterAccept: close(draft), filterCancel: close('')};
}

/** The controller of what the main screen shows now. */
export function controllerFor(context: ControllerContext, filterDraft: string): Controller {
  const {ui, snapshot} = context;
  if (!snapshot.hasLoaded) {
    return {layers: ['global'], handlers: globalCommands(context)};
  }

  switch (ui.cover.kind) {
    case 'filter': return {layers: ['filter'], handlers: filterCommands(context, filterDraft)};
    case 'help': return {layers: ['help'], handlers: scrollCommands(context)};
    case 'topology': return {layers: ['topology'], handlers: scrollCommands(context)};
    case 'details': return {layers: ['details', 'global'], handlers: {...globalCommands(context), ...scrollCommands(context)}};
    default: return {layers: ['list', ui.focus, 'global'], handlers: {...globalCommands(context), ...rowCommands(context)}};
  }
}

/** The commands the palette can run: every list command, whatever covers the lists now. */
export function paletteCommands(context: ControllerContext): CommandHandlers {
  return {...globalCommands(context), ...rowCommands(context)};
}
