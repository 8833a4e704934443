// The command palette's entries, from the key table: every command by a short name, matched by
// prefix first, then by words of its description. Pure.
import {focusCommand, isPanelId, panelIds} from '../model/panel-ids.js';
import {displayKey, type KeyBinding, type KeyLayer} from './key-table.js';

/** One entry of the palette: a command of the key table, or something else it offers (`onRun`: a docker context). */
export type PaletteEntry = {
  readonly name: string;
  readonly description: string;
  readonly layer: KeyLayer;
  readonly binding?: KeyBinding;
  readonly onRun?: () => void;
};

/** Short names people type, for the commands whose id is not already one. */
const names: Record<string, string> = {
  ...Object.fromEntries(panelIds.map(panel => [focusCommand(panel), panel])), revealSecrets: 'secrets',
  'action:netmode': 'netmode', 'action:backup': 'backup', 'action:backupVolume': 'backup-volume', 'action:restoreInto': 'restore',
  'action:restoreNew': 'restore-new', 'action:createNetwork': 'network-create', 'action:removeNetwork': 'network-rm',
  'action:createVolume': 'volume-create', 'action:removeVolume': 'volume-rm', 'action:pruneVolumes': 'volume-prune',
  'action:pruneNetworks': 'network-prune', 'action:attach': 'network-connect', 'action:detach': 'network-disconnect',
  'action:fixForwarding': 'forwarding', 'action:pullHelper': 'pull-helper', 'action:forceRemove': 'force-remove',
};

const hidden = new Set(['down', 'up', 'top', 'bottom', 'pageDown', 'pageUp', 'back', 'filterAccept', 'filterCancel', 'confirm', 'cancel', 'palette', 'details']);

/** The layers whose commands the palette runs; the others' keys belong to a view that is open (help, logs, a wizard...). */
const paletteLayers = new Set<string>(['global', 'list', ...panelIds]);

/** The palette's entries: one per command, from the layers that bind it. */
export function paletteEntries(bindings: readonly KeyBinding[]): PaletteEntry[] {
  const seen = new Set<string>();
  const entries: PaletteEntry[] = [];
  for (const binding of bindings) {
    if (hidden.has(binding.command) || !paletteLayers.has(binding.layer)) {
      continue;
    }

    const name = names[binding.command] ?? binding.command.replace(/^action:/, '').replace(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);
    const id = `${binding.layer}:${name}`;
    if (!seen.has(id)) {
      seen.add(id);
      entries.push({name, description: binding.description, layer: binding.layer, binding});
    }
  }

  return entries;
}

/** Entries matching what was typed: names starting with it first, then names or descriptions containing it. */
export function matchPalette(entries: readonly PaletteEntry[], typed: string): PaletteEntry[] {
  const text = typed.trim().toLowerCase();
  if (!text) {
    return [...entries];
  }

  const starts = entries.filter(entry => entry.name.startsWith(text));
  const contains = entries.filter(entry => !starts.includes(entry) && (entry.name.includes(text) || entry.description.toLowerCase().includes(text)));
  return [...starts, ...contains];
}

/** How an entry reads in the palette. */
export function describeEntry(entry: PaletteEntry): string {
  const where = isPanelId(entry.layer) ? ` (${entry.layer})` : '';
  const key = entry.binding?.keys[0];
  return `${entry.name}${where} — ${entry.description}${key ? `  [${displayKey(key)}]` : ''}`;
}
