// The help screen, generated from the key table.
import {Box, Text} from 'ink';
import React from 'react';
import {displayKey, layerTitles, type KeyBinding, type KeyLayer} from '../keys/key-table.js';
import {fit} from '../resources/layout.js';
import type {Theme} from './theme.js';

/** The help's lines: one group per layer, each command with all its keys. */
export function helpLines(bindings: readonly KeyBinding[]): {text: string; isTitle: boolean}[] {
  const lines: {text: string; isTitle: boolean}[] = [{text: '* changes the engine: asks first, and is hidden with --read-only', isTitle: false}];
  const layers: KeyLayer[] = ['global', 'list', 'containers', 'networks', 'volumes', 'details', 'filter', 'topology', 'dialog', 'help'];
  for (const layer of layers) {
    const inLayer = bindings.filter(binding => binding.layer === layer);
    if (inLayer.length === 0) {
      continue;
    }

    lines.push({text: layerTitles[layer], isTitle: true});
    for (const binding of inLayer) {
      lines.push({text: `  ${fit(binding.keys.map(displayKey).join(' '), 16)} ${binding.isDangerous ? '*' : ' '} ${binding.description}`, isTitle: false});
    }
  }

  return lines;
}

/** Props of the help screen. */
export type HelpScreenProps = {readonly bindings: readonly KeyBinding[]; readonly width: number; readonly height: number; readonly scroll: number; readonly theme: Theme};

/** Full-screen help. */
export function HelpScreen({bindings, width, height, scroll, theme}: HelpScreenProps) {
  const lines = helpLines(bindings);
  const visible = lines.slice(scroll, scroll + height - 1);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse={!theme.titleBackground} backgroundColor={theme.titleBackground} color={theme.titleForeground}>{fit(' Help: keys (j/k scroll, Esc closes)', width)}</Text>
      {visible.map((line, i) => (
        <Text key={`${scroll + i}`} bold={line.isTitle} color={line.isTitle ? theme.accent : undefined} wrap="truncate">{line.text || ' '}</Text>
      ))}
    </Box>
  );
}
