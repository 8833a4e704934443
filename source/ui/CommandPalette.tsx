// `:` — type a command or a panel name; Tab completes, ↑/↓ choose, Enter runs, Esc closes (the key
// table's palette layer).
import {Box, Text} from 'ink';
import {useLatestInput} from './use-latest-input.js';
import React, {useMemo, useState} from 'react';
import {commandFor, keyOf, type KeyBinding} from '../keys/key-table.js';
import {normalizeKey, typedText} from '../keys/normalize.js';
import {describeEntry, matchPalette, paletteEntries} from '../keys/palette.js';
import {fit} from '../resources/layout.js';
import type {Theme} from './theme.js';

/** Props of the palette. */
export type CommandPaletteProps = {
  readonly bindings: readonly KeyBinding[];
  /** Entries that are not keys: switching to a docker context, for one. */
  readonly extraEntries?: readonly {readonly name: string; readonly description: string; readonly onRun: () => void}[];
  readonly width: number;
  readonly height: number;
  readonly theme: Theme;
  readonly onRun: (binding: KeyBinding) => void;
  readonly onClose: () => void;
};

/** The palette. */
export function CommandPalette({bindings, extraEntries = [], width, height, theme, onRun, onClose}: CommandPaletteProps) {
  const entries = useMemo(() => [
    ...paletteEntries(bindings),
    ...extraEntries.map(extra => ({name: extra.name, binding: {command: `extra:${extra.name}`, keys: [], description: extra.description, layer: 'global' as const}})),
  ], [bindings, extraEntries]);
  const [typed, setTyped] = useState('');
  const [choice, setChoice] = useState(0);
  const matches = useMemo(() => matchPalette(entries, typed), [entries, typed]);
  const chosen = matches[Math.min(choice, Math.max(0, matches.length - 1))];
  useLatestInput((input, inkKey) => {
    const key = normalizeKey(input, inkKey);
    const command = commandFor(bindings, ['palette'], key)?.command;
    if (command === 'paletteClose') {
      onClose();
    } else if (command === 'paletteRun') {
      const extra = chosen && extraEntries.find(entry => `extra:${entry.name}` === chosen.binding.command);
      if (extra) {
        extra.onRun();
      } else if (chosen) {
        onRun(chosen.binding);
      }
    } else if (command === 'paletteComplete') {
      if (chosen) setTyped(chosen.name);
    } else if (command === 'paletteNext' || command === 'palettePrevious') {
      setChoice(value => Math.max(0, Math.min(matches.length - 1, value + (command === 'paletteNext' ? 1 : -1))));
    } else if (key === 'backspace') {
      setTyped(value => value.slice(0, -1));
      setChoice(0);
    } else if (typedText(input, inkKey)) {
      setTyped(value => value + typedText(input, inkKey));
      setChoice(0);
    }
  });
  const rows = Math.max(1, height - 3);
  const start = Math.max(0, Math.min(choice - rows + 1, matches.length - rows));
  const keys = (command: string) => keyOf(bindings, 'palette', command);
  const hint = `${keys('paletteComplete')} completes, ${keys('palettePrevious')}/${keys('paletteNext')} choose, ${keys('paletteRun')} runs, ${keys('paletteClose')} closes`;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse={!theme.titleBackground} backgroundColor={theme.titleBackground} color={theme.titleForeground}>{fit(` Command palette (${hint})`, width)}</Text>
      <Text><Text color={theme.accent} bold>:</Text>{typed}█</Text>
      {matches.length === 0 ? <Text color={theme.warning}>No command matches "{typed}".</Text> : null}
      {matches.slice(Math.max(0, start), Math.max(0, start) + rows).map(entry => (
        <Text key={`${entry.binding.layer}:${entry.name}`} inverse={entry === chosen} wrap="truncate">{fit(` ${describeEntry(entry)}`, width)}</Text>
      ))}
    </Box>
  );
}
