// The bottom line: the keys that work here (from the key table), or the filter being typed, or a message.
import {Box, Text} from 'ink';
import React from 'react';
import {displayKey, keyOf, type KeyBinding, type KeyLayer} from '../keys/key-table.js';
import {fit} from '../model/text.js';
import type {Theme} from './theme.js';

/** Props of the key bar. */
export type KeyBarProps = {
  readonly bindings: readonly KeyBinding[];
  readonly layers: readonly KeyLayer[];
  readonly width: number;
  readonly theme: Theme;
  readonly filterInput?: string;
  readonly flash?: {readonly text: string; readonly tone: 'info' | 'error' | 'good'};
};

/** The bar's text for the active layers: each command once, its first key. */
export function keyBarText(bindings: readonly KeyBinding[], layers: readonly KeyLayer[]): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const layer of layers) {
    for (const binding of bindings) {
      if (binding.layer === layer && binding.isInBar && !seen.has(binding.command)) {
        seen.add(binding.command);
        parts.push(`${displayKey(binding.keys[0] ?? '')} ${binding.description}`);
      }
    }
  }

  // Help first: when the bar is cut on a narrow terminal, the way to every key stays visible.
  const help = parts.findIndex(part => part.endsWith('help: every key'));
  if (help > 0) {
    parts.unshift(...parts.splice(help, 1));
  }

  return parts.join('  ');
}

/** Renders the key bar. */
export function KeyBar({bindings, layers, width, theme, filterInput, flash}: KeyBarProps) {
  if (filterInput !== undefined) {
    return (
      <Box width={width}>
        <Text color={theme.accent} bold>/</Text>
        <Text>{fit(`${filterInput}█`, Math.max(1, width - 30))}</Text>
        <Text color={theme.dim} dimColor={!theme.dim}>{fit(`${keyOf(bindings, 'filter', 'filterAccept')} keep  ${keyOf(bindings, 'filter', 'filterCancel')} clear`, 29)}</Text>
      </Box>
    );
  }

  if (flash) {
    const color = flash.tone === 'error' ? theme.error : flash.tone === 'good' ? theme.good : theme.accent;
    return <Text color={color} bold wrap="truncate">{fit(` ${flash.text}`, width)}</Text>;
  }

  return <Text color={theme.dim} dimColor={!theme.dim} wrap="truncate">{fit(` ${keyBarText(bindings, layers)}`, width)}</Text>;
}
