// `:` — type a command or a panel name; Tab completes, ↑/↓ choose, Enter runs, Esc closes (the key
// table's palette layer).
import {Box, Text} from 'ink';
import React, {useMemo, useState} from 'react';
import {keyOf, type CommandId, type KeyBinding} from '../keys/key-table.js';
import {typedText} from '../keys/normalize.js';
import {describeEntry, matchPalette, paletteEntries, type PaletteEntry} from '../keys/palette.js';
import {useCommands} from './use-commands.js';
import {fit} from '../model/text.js';
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
    ...extraEntries.map((extra): PaletteEntry => ({name: extra.name, description: extra.description, layer: 'global', onRun: extra.onRun})),
  ], [bindings, extraEntries]);
  const [typed, setTyped] = useState('');
  const [choice, setChoice] = useState(0);
  const matches = useMemo(() => matchPalette(entries, typed), [entries, typed]);
  const chosen = matches[Math.min(choice, Math.max(0, matches.length - 1))];
  const choose = (delta: number) => setChoice(value => Math.max(0, Math.min(matches.length - 1, value + delta)));
  useCommands(bindings, ['palette'], {
    paletteClose: onClose,
    paletteRun: () => {
      if (chosen?.binding) {
        onRun(chosen.binding);
      } else {
        chosen?.onRun?.();
      }
    },
    paletteComplete: () => {
      if (chosen) setTyped(chosen.name);
    },
    paletteNext: () => choose(1),
    palettePrevious: () => choose(-1),
  }, {
    otherKey: (key, input, inkKey) => {
      const text = key === 'backspace' ? undefined : typedText(input, inkKey);
      if (key === 'backspace' || text) {
        setTyped(value => (text === undefined ? value.slice(0, -1) : value + text));
        setChoice(0);
      }
    },
  });
  const rows = Math.max(1, height - 3);
  const start = Math.max(0, Math.min(choice - rows + 1, matches.length - rows));
  const keys = (command: CommandId) => keyOf(bindings, 'palette', command);
  const hint = `${keys('paletteComplete')} completes, ${keys('palettePrevious')}/${keys('paletteNext')} choose, ${keys('paletteRun')} runs, ${keys('paletteClose')} closes`;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse={!theme.titleBackground} backgroundColor={theme.titleBackground} color={theme.titleForeground}>{fit(` Command palette (${hint})`, width)}</Text>
      <Text><Text color={theme.accent} bold>:</Text>{typed}█</Text>
      {matches.length === 0 ? <Text color={theme.warning}>No command matches "{typed}".</Text> : null}
      {matches.slice(Math.max(0, start), Math.max(0, start) + rows).map(entry => (
        <Text key={`${entry.layer}:${entry.name}`} inverse={entry === chosen} wrap="truncate">{fit(` ${describeEntry(entry)}`, width)}</Text>
      ))}
    </Box>
  );
}
