// The shape of a key binding: what the key table (key-table.ts) and the views' keys (view-bindings.ts)
// are made of. Types only, so neither table imports the other for them.

/** Where a binding applies; a dialog's keys win over a wizard's, which win over a panel's, then global. */
export type KeyLayer =
  | 'global' | 'list' | 'details' | 'filter' | 'help' | 'topology' | 'containers' | 'networks' | 'volumes'
  | 'logs' | 'logsMatches' | 'logsPrompt' | 'inspect' | 'palette' | 'wizard' | 'dialog' | 'outcome';

/** A named command a key triggers. */
export type CommandId =
  | 'quit' | 'help' | 'focusNext' | 'focusPrevious' | 'focusContainers' | 'focusNetworks' | 'focusVolumes'
  | 'filter' | 'revealSecrets' | 'retry'
  | 'down' | 'up' | 'top' | 'bottom' | 'pageDown' | 'pageUp' | 'details' | 'back'
  | 'filterAccept' | 'filterCancel'
  | 'confirm' | 'cancel'
  | string;

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
