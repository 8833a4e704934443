// Every key hawser answers to, as data: the handlers, the key bar and the help screen all read this
// table, so they cannot disagree. The full-screen views' keys are in view-bindings.ts.
import type {CommandId, KeyBinding, KeyLayer} from './binding.js';
import {focusCommand, isPanelId, panelIds, panelTitles} from '../model/panel-ids.js';
import {scrolling, viewBindings} from './view-bindings.js';

export type {CommandId, KeyBinding, KeyLayer} from './binding.js';

/** The built-in bindings. Resource actions add theirs (see resources/actions). */
export const baseBindings: readonly KeyBinding[] = [
  {command: 'quit', keys: ['q', 'ctrl+c'], description: 'quit', layer: 'global', isInBar: true},
  {command: 'help', keys: ['?'], description: 'help: every key', layer: 'global', isInBar: true},
  {command: 'focusNext', keys: ['tab', 'right', ']'], description: 'next panel', layer: 'global'},
  {command: 'focusPrevious', keys: ['shift+tab', 'left', '['], description: 'previous panel', layer: 'global'},
  ...panelIds.map((panel, i): KeyBinding => ({command: focusCommand(panel), keys: [String(i + 1)], description: `${panel} panel`, layer: 'global'})),
  {command: 'filter', keys: ['/'], description: 'filter the panel', layer: 'global', isInBar: true},
  {command: 'topology', keys: ['T'], description: 'topology: every network, its members, shared namespaces and links', layer: 'global', isInBar: true},
  {command: 'revealSecrets', keys: ['x'], description: 'reveal or mask secret env values', layer: 'global'},
  {command: 'retry', keys: ['r'], description: 'reconnect now, while the engine cannot be reached', layer: 'global'},
  {command: 'down', keys: ['j', 'down'], description: 'move down', layer: 'list'},
  {command: 'up', keys: ['k', 'up'], description: 'move up', layer: 'list'},
  {command: 'top', keys: ['g', 'home'], description: 'first row', layer: 'list'},
  {command: 'bottom', keys: ['G', 'end'], description: 'last row', layer: 'list'},
  {command: 'pageDown', keys: ['pagedown', 'ctrl+d'], description: 'page down', layer: 'list'},
  {command: 'pageUp', keys: ['pageup', 'ctrl+u'], description: 'page up', layer: 'list'},
  {command: 'details', keys: ['return'], description: 'details of the selected item', layer: 'list', isInBar: true},
  {command: 'back', keys: ['escape'], description: 'clear the filter', layer: 'list'},
  {command: 'mark', keys: ['space'], description: 'mark the row (then an action applies to every marked row)', layer: 'list'},
  {command: 'clearMarks', keys: ['M'], description: 'clear the marks', layer: 'list'},
  {command: 'inspect', keys: ['i'], description: 'inspect: the engine\'s JSON for the selected item', layer: 'list'},
  {command: 'copyId', keys: ['y'], description: 'copy the ID (the name, for volumes) to the clipboard (OSC 52, works over SSH)', layer: 'list'},
  {command: 'copyAddress', keys: ['Y'], description: 'copy the IP address (or the subnet) to the clipboard', layer: 'list'},
  {command: 'sortNext', keys: ['o'], description: 'sort by the next column (then back to the default order)', layer: 'list'},
  {command: 'sortReverse', keys: ['O'], description: 'reverse the sort', layer: 'list'},
  {command: 'palette', keys: [':'], description: 'command palette: type a command or panel (Tab completes)', layer: 'global', isInBar: true},
  {command: 'logs', keys: ['l'], description: 'logs, followed live and searchable', layer: 'containers', isInBar: true},
  {command: 'shell', keys: ['e'], description: 'exec a shell in the container (hands the terminal over; exit to come back)', layer: 'containers', isDangerous: true},
  {command: 'down', keys: ['j', 'down'], description: 'scroll down', layer: 'details'},
  {command: 'up', keys: ['k', 'up'], description: 'scroll up', layer: 'details'},
  {command: 'pageDown', keys: ['pagedown', 'ctrl+d', 'space'], description: 'page down', layer: 'details'},
  {command: 'pageUp', keys: ['pageup', 'ctrl+u'], description: 'page up', layer: 'details'},
  {command: 'back', keys: ['escape', 'return', 'q'], description: 'back to the list', layer: 'details', isInBar: true},
  {command: 'filterAccept', keys: ['return'], description: 'keep the filter', layer: 'filter', isInBar: true},
  {command: 'filterCancel', keys: ['escape'], description: 'clear the filter', layer: 'filter', isInBar: true},
  {command: 'back', keys: ['escape', '?', 'q'], description: 'close help', layer: 'help', isInBar: true},
  ...scrolling('help'),
  {command: 'back', keys: ['escape', 'T', 'q'], description: 'close the topology', layer: 'topology', isInBar: true},
  ...scrolling('topology'),
  ...viewBindings,
];

/** Finds the command bound to a key in the first layer (in order) that binds it; fixed keys are their input's, never a command's. */
export function commandFor(bindings: readonly KeyBinding[], layers: readonly KeyLayer[], key: string): KeyBinding | undefined {
  for (const layer of layers) {
    const match = bindings.find(binding => binding.layer === layer && !binding.isFixed && binding.keys.includes(key));
    if (match) {
      return match;
    }
  }

  return undefined;
}

/** Drops the bindings that change the engine, for --read-only. */
export function withoutDangerous(bindings: readonly KeyBinding[]): KeyBinding[] {
  return bindings.filter(binding => !binding.isDangerous);
}

/** How a key is written in the help and the key bar. */
export function displayKey(key: string): string {
  const names: Record<string, string> = {return: 'Enter', escape: 'Esc', tab: 'Tab', 'shift+tab': 'S-Tab', pagedown: 'PgDn', pageup: 'PgUp', down: '↓', up: '↑', left: '←', right: '→', home: 'Home', end: 'End', space: 'Space'};
  if (names[key]) {
    return names[key];
  }

  return key.startsWith('ctrl+') ? `^${key.slice(5).toUpperCase()}` : key;
}

/** How the keys of a command in a layer are written in a view's own hints: 'Esc', or 'y or Enter' for two. */
export function keyOf(bindings: readonly KeyBinding[], layer: KeyLayer, command: CommandId, count = 1): string {
  const keys = bindings.find(binding => binding.layer === layer && binding.command === command)?.keys ?? [];
  return keys.length === 0 ? '(unbound)' : keys.slice(0, count).map(displayKey).join(' or ');
}

/** Layer titles for the help screen, in the order it lists them. */
export const layerTitles: Record<KeyLayer, string> = {
  global: 'Everywhere',
  list: 'Lists',
  ...panelTitles,
  details: 'Details',
  filter: 'Filter',
  topology: 'Topology',
  logs: 'Logs',
  logsMatches: 'Logs, after a search',
  logsPrompt: 'Logs, typing (a search, since, tail or file name)',
  inspect: 'Inspect (JSON)',
  palette: 'Command palette',
  wizard: 'Wizards: questions, and a running job',
  dialog: 'Wizards: the preview',
  outcome: 'Wizards: the outcome',
  help: 'Help',
};

/**
 * Replaces the keys of the commands the user rebound; returns the names it does not know, and apart the
 * names of fixed keys (read by the input components themselves, so not rebindable), left as they are.
 */
export function applyKeyOverrides(bindings: readonly KeyBinding[], overrides: Readonly<Record<string, readonly string[]>>): {bindings: KeyBinding[]; unknown: string[]; fixed: string[]} {
  const known = new Set<string>(bindings.filter(binding => !binding.isFixed).map(binding => binding.command));
  const fixedNames = new Set<string>(bindings.filter(binding => binding.isFixed).map(binding => binding.command));
  const named = Object.keys(overrides).filter(command => !known.has(command));
  return {
    bindings: bindings.map(binding => (overrides[binding.command] && !binding.isFixed ? {...binding, keys: overrides[binding.command]!} : binding)),
    unknown: named.filter(command => !fixedNames.has(command)),
    fixed: named.filter(command => fixedNames.has(command)),
  };
}

const listLayers: readonly KeyLayer[] = ['global', 'list', ...panelIds];

/** The layers whose keys are live together with `layer`'s: a panel's with the lists' and the global ones. */
function liveWith(layer: KeyLayer): readonly KeyLayer[] {
  if (isPanelId(layer)) {
    return ['global', 'list', layer];
  }

  return layer === 'global' || layer === 'list' ? listLayers : [layer];
}

/** Whether two bindings can be live at once: a wizard's keys for different kinds of question never are. */
function isLiveWith(binding: KeyBinding, other: KeyBinding): boolean {
  return liveWith(binding.layer).includes(other.layer) && (!binding.question || !other.question || binding.question === other.question);
}

/** Keys the user's overrides gave to a command that another command live at the same time has too (one of them never runs). */
export function keyClashes(bindings: readonly KeyBinding[], overrides: Readonly<Record<string, readonly string[]>>): string[] {
  const clashes = new Set<string>();
  for (const binding of bindings.filter(candidate => overrides[candidate.command] && !candidate.isFixed)) {
    for (const key of binding.keys) {
      const other = bindings.find(candidate => candidate.command !== binding.command && isLiveWith(binding, candidate) && candidate.keys.includes(key));
      if (other?.isFixed) {
        clashes.add(`The key ${displayKey(key)} is bound to ${binding.command}, but a wizard's question takes it for itself too (${other.description}; that cannot be rebound): give ${binding.command} another key.`);
      } else if (other) {
        clashes.add(`The key ${displayKey(key)} is bound to both ${binding.command} and ${other.command} (${layerTitles[binding.layer]}); only one of them can run: give one another key.`);
      }
    }
  }

  return [...clashes];
}

