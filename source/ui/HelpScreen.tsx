// The help screen, generated from the key table.
import {Box, Text} from 'ink';
import React from 'react';
import {displayKey, keyOf, layerTitles, type KeyBinding, type KeyLayer} from '../keys/key-table.js';
import {fit} from '../resources/layout.js';
import type {Theme} from './theme.js';

/** A binding's keys as the help writes them: '1-9' for a run of digits, else each key. */
function keysText(keys: readonly string[]): string {
  const isDigitRun = keys.length > 2 && keys.every((key, i) => /^\d$/.test(key) && (i === 0 || Number(key) === Number(keys[i - 1]) + 1));
  return isDigitRun ? `${keys[0]}-${keys.at(-1)}` : keys.map(displayKey).join(' ');
}

/** `text` cut into lines of at most `width` characters, between words. */
function wrapped(text: string, width: number): string[] {
  return text.match(new RegExp(`.{1,${width}}(?:\\s+|$)|\\S+`, 'g'))?.map(part => part.trimEnd()) ?? [text];
}

/** The help's lines: one group per layer (in the order of `layerTitles`), each command with all its keys. */
export function helpLines(bindings: readonly KeyBinding[], problems: readonly string[] = []): {text: string; isTitle: boolean}[] {
  const lines: {text: string; isTitle: boolean}[] = [
    ...(problems.length > 0 ? [{text: 'Problems in the config file', isTitle: true}, ...problems.flatMap(problem => wrapped(problem, 96).map((part, i) => ({text: `${i === 0 ? '  ' : '    '}${part}`, isTitle: false})))] : []),
    {text: '* changes the engine: asks first, and is hidden with --read-only', isTitle: false},
    {text: '[name] the command\'s name, to rebind it in the config file: "keys": {"name": ["key", …]}', isTitle: false},
    {text: '(fixed) a key the question\'s input reads itself: it cannot be rebound', isTitle: false},
  ];
  for (const layer of Object.keys(layerTitles) as KeyLayer[]) {
    const inLayer = bindings.filter(binding => binding.layer === layer);
    if (inLayer.length === 0) {
      continue;
    }

    lines.push({text: layerTitles[layer], isTitle: true});
    for (const binding of inLayer) {
      lines.push({text: `  ${fit(keysText(binding.keys), 16)} ${binding.isDangerous ? '*' : ' '} ${binding.description}  ${binding.isFixed ? '(fixed)' : `[${binding.command}]`}`, isTitle: false});
    }
  }

  return lines;
}

/** Props of the help screen. */
export type HelpScreenProps = {readonly bindings: readonly KeyBinding[]; readonly problems?: readonly string[]; readonly width: number; readonly height: number; readonly scroll: number; readonly theme: Theme};

/** Full-screen help. */
export function HelpScreen({bindings, problems, width, height, scroll, theme}: HelpScreenProps) {
  const lines = helpLines(bindings, problems);
  const visible = lines.slice(scroll, scroll + height - 1);
  const keys = (command: string) => keyOf(bindings, 'help', command);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse={!theme.titleBackground} backgroundColor={theme.titleBackground} color={theme.titleForeground}>{fit(` Help: keys (${keys('down')}/${keys('up')} scroll, ${keys('pageDown')} pages, ${keys('back')} closes)`, width)}</Text>
      {visible.map((line, i) => (
        <Text key={`${scroll + i}`} bold={line.isTitle} color={line.isTitle ? theme.accent : undefined} wrap="truncate">{line.text || ' '}</Text>
      ))}
    </Box>
  );
}
