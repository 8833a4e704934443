// The help screen, generated from the key table.
import {Box, Text} from 'ink';
import React from 'react';
import {displayKey, keyOf, layerTitles, type CommandId, type KeyBinding, type KeyLayer} from '../keys/key-table.js';
import {fit, wrapWords} from '../model/text.js';
import type {Theme} from './theme.js';

/** A binding's keys as the help writes them: '1-9' for a run of digits, else each key. */
function keysText(keys: readonly string[]): string {
  const isDigitRun = keys.length > 2 && keys.every((key, i) => /^\d$/.test(key) && (i === 0 || Number(key) === Number(keys[i - 1]) + 1));
  return isDigitRun ? `${keys[0]}-${keys.at(-1)}` : keys.map(displayKey).join(' ');
}

/** A help line: its text, and where its wrapped lines start (under the text after its keys or its mark). */
type HelpLine = {text: string; isTitle: boolean; indent?: number};

/**
 * `line` cut into lines of at most `width` cells, between words: the first `indent` cells stay on the
 * first line and the rest wraps under them (or nearly at the left edge when that leaves too little room).
 */
function hanging(line: HelpLine, width: number): HelpLine[] {
  if (!Number.isFinite(width) || [...line.text].length <= width) {
    return [{text: line.text, isTitle: line.isTitle}];
  }

  const indent = line.indent ?? 0;
  const lead = width - indent >= 20 ? indent : Math.min(indent, 2);
  const chars = [...line.text];
  const [first = '', ...rest] = wrapWords(chars.slice(lead).join(''), width - lead);
  return [`${chars.slice(0, lead).join('')}${first}`, ...rest.map(part => `${' '.repeat(lead)}${part}`)].map(text => ({text, isTitle: line.isTitle}));
}

/** Where a key's description starts on its help line: after '  ', its keys in 16 cells, ' * '. */
const descriptionColumn = 2 + 16 + 3;

/**
 * The help's lines: one group per layer (in the order of `layerTitles`), each command with all its keys.
 * Given a `width`, lines longer than it wrap under their text (a description under the description), so
 * no description, '(fixed)' or '[command]' is cut off by a narrow terminal.
 */
export function helpLines(bindings: readonly KeyBinding[], problems: readonly string[] = [], width = Number.POSITIVE_INFINITY): {text: string; isTitle: boolean}[] {
  const lines: HelpLine[] = [
    ...(problems.length > 0 ? [{text: 'Problems in the config file', isTitle: true}, ...problems.flatMap(problem => wrapWords(problem, Math.max(20, Math.min(96, width - 4))).map((part, i) => ({text: `${i === 0 ? '  ' : '    '}${part}`, isTitle: false, indent: 4})))] : []),
    {text: '* changes the engine: asks first, and is hidden with --read-only', isTitle: false, indent: 2},
    {text: '[name] the command\'s name, to rebind it in the config file: "keys": {"name": ["key", …]}', isTitle: false, indent: 7},
    {text: '(fixed) a key the question\'s input reads itself: it cannot be rebound', isTitle: false, indent: 8},
  ];
  for (const layer of Object.keys(layerTitles) as KeyLayer[]) {
    const inLayer = bindings.filter(binding => binding.layer === layer);
    if (inLayer.length === 0) {
      continue;
    }

    lines.push({text: layerTitles[layer], isTitle: true});
    for (const binding of inLayer) {
      lines.push({text: `  ${fit(keysText(binding.keys), 16)} ${binding.isDangerous ? '*' : ' '} ${binding.description}  ${binding.isFixed ? '(fixed)' : `[${binding.command}]`}`, isTitle: false, indent: descriptionColumn});
    }
  }

  return lines.flatMap(line => hanging(line, width));
}

/** Props of the help screen. */
export type HelpScreenProps = {readonly bindings: readonly KeyBinding[]; readonly problems?: readonly string[]; readonly width: number; readonly height: number; readonly scroll: number; readonly theme: Theme};

/** Full-screen help. */
export function HelpScreen({bindings, problems, width, height, scroll, theme}: HelpScreenProps) {
  const lines = helpLines(bindings, problems, width);
  const visible = lines.slice(scroll, scroll + height - 1);
  const keys = (command: CommandId) => keyOf(bindings, 'help', command);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse={!theme.titleBackground} backgroundColor={theme.titleBackground} color={theme.titleForeground}>{fit(` Help: keys (${keys('down')}/${keys('up')} scroll, ${keys('pageDown')} pages, ${keys('back')} closes)`, width)}</Text>
      {visible.map((line, i) => (
        <Text key={`${scroll + i}`} bold={line.isTitle} color={line.isTitle ? theme.accent : undefined} wrap="truncate">{line.text || ' '}</Text>
      ))}
    </Box>
  );
}
