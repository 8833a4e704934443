// The shape of a key binding: what the key table (key-table.ts) and the views' keys (view-bindings.ts)
// are made of. Types only, so neither table imports the other for them.
import type {FocusCommand, PanelId} from '../model/panel-ids.js';

/** Where a binding applies; a dialog's keys win over a wizard's, which win over a panel's, then global. */
export type KeyLayer =
  | 'global' | 'list' | 'details' | 'filter' | 'help' | 'topology' | PanelId
  | 'logs' | 'logsMatches' | 'logsPrompt' | 'inspect' | 'palette' | 'wizard' | 'dialog' | 'outcome';

/** Every command of the key table, by where it is used: a closed list, so a misspelt command is a compile error. */
export const commandIds = [
  // Everywhere
  'quit', 'help', 'focusNext', 'focusPrevious',
  'filter', 'topology', 'revealSecrets', 'retry', 'palette',
  // Lists, details, help and the other scrolling views
  'down', 'up', 'top', 'bottom', 'pageDown', 'pageUp', 'details', 'back',
  'mark', 'clearMarks', 'inspect', 'copyId', 'copyAddress', 'sortNext', 'sortReverse', 'logs', 'shell',
  // The filter line
  'filterAccept', 'filterCancel',
  // Logs
  'search', 'follow', 'nextMatch', 'previousMatch', 'clearSearch', 'searchAccept', 'searchCancel',
  'timestamps', 'since', 'tail', 'wrap', 'saveLogs',
  // Command palette
  'paletteRun', 'paletteComplete', 'paletteNext', 'palettePrevious', 'paletteClose',
  // Wizards
  'cancel', 'previousQuestion', 'answer', 'choiceDown', 'choiceUp', 'choiceNumber', 'clearAnswer', 'deleteWord',
  'switchAnswer', 'answerYes', 'answerNo', 'confirm', 'runFollowUp',
] as const;

/** A built-in command. */
export type BuiltInCommand = typeof commandIds[number];

/** A panel's action (resources/actions.ts): `action:` and the action's own name, looked up in the action tables. */
export type ActionCommand = `action:${string}`;

/** A named command a key triggers. */
export type CommandId = BuiltInCommand | FocusCommand | ActionCommand;

/** One entry of the key table. */
export type KeyBinding = {
  readonly command: CommandId;
  /** Key names as `normalizeKey` produces them: 'j', 'G', 'down', 'ctrl+c', 'shift+tab', 'pagedown', 'return', 'escape'. */
  readonly keys: readonly string[];
  readonly description: string;
  readonly layer: KeyLayer;
  /** Shown in the key bar at the bottom. */
  readonly isInBar?: boolean;
  /** Changes or removes something on the engine: hidden and refused with --read-only. */
  readonly isDangerous?: boolean;
  /**
   * Handled by an input component itself (a wizard's choice list or text field), not by hawser: listed in
   * the help, never returned by `commandFor`, and not rebindable (the config's keys do not know its name).
   */
  readonly isFixed?: boolean;
  /** A wizard's key that works in one kind of question only; keys of different kinds never clash. */
  readonly question?: 'text' | 'choice' | 'toggle';
};
