// Every panel, in Tab order: one line each. The key table's panel layers, the help and the palette read
// the panels' actions from here.
import type {KeyBinding} from '../keys/key-table.js';
import {globalActions, type ResourceAction} from './actions.js';
import {containersPanel} from './containers-panel.js';
import {networksPanel} from './networks-panel.js';
import {definePanel, type Panel} from './panel.js';
import {volumesPanel} from './volumes-panel.js';

/** The panels, in Tab order (their numbers are their places). */
export const panels: readonly Panel[] = [
  definePanel(containersPanel),
  definePanel(networksPanel),
  definePanel(volumesPanel),
];

/** The key bindings of every action, for the key table (help, key bar, dispatch). */
export function actionBindings(): KeyBinding[] {
  const bind = (layer: KeyBinding['layer'], actions: readonly ResourceAction<never>[]) => actions.map((action): KeyBinding => ({
    command: `action:${action.command}`,
    keys: action.keys,
    description: action.label,
    layer,
    isInBar: action.isInBar,
    isDangerous: action.isDangerous,
  }));
  return [...panels.flatMap(panel => bind(panel.id, panel.actions)), ...bind('global', globalActions)];
}
