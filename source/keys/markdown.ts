// The key table as markdown, for the readme: the same table that handles the keys and writes the help
// (lazydocker's cheatsheet does this), so the readme cannot drift from what the keys do. Pure.
import type {KeyBinding, KeyLayer} from './binding.js';
import {displayKey, layerTitles} from './key-table.js';

/** One markdown table: a heading row per layer, then a row per command with its keys. */
export function keyTableMarkdown(bindings: readonly KeyBinding[]): string {
  const rows = ['`*` changes the engine: it asks first, and is hidden with `--read-only`.', '', '| key | what it does |', '|---|---|'];
  for (const layer of Object.keys(layerTitles) as KeyLayer[]) {
    const inLayer = bindings.filter(binding => binding.layer === layer);
    if (inLayer.length === 0) {
      continue;
    }

    rows.push(`| **${layerTitles[layer]}** | |`);
    for (const binding of inLayer) {
      const keys = binding.keys.map(key => `\`${displayKey(key).replaceAll('|', '\\|')}\``).join(' ');
      rows.push(`| ${keys} | ${binding.description.replaceAll('|', '\\|')}${binding.isDangerous ? ' `*`' : ''} |`);
    }
  }

  return rows.join('\n');
}
