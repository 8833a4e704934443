// The details of the selected item: titled sections of label/value rows, scrollable, secrets masked.
import {Box, Text} from 'ink';
import React from 'react';
import type {DetailRow, DetailSection} from '../resources/kind.js';
import {cellLength, fit} from '../model/text.js';
import {secretMask} from '../model/secrets.js';
import type {Theme} from './theme.js';

/** One screen line of the details. */
type Line = {readonly key: string; readonly kind: 'title' | 'row' | 'blank'; readonly text: string; readonly tone?: DetailRow['tone']};

/** Flattens sections into lines, masking secrets unless revealed. */
export function detailLines(sections: readonly DetailSection[], width: number, isSecretsRevealed: boolean, revealKey = 'x'): Line[] {
  const labelWidth = Math.min(Math.max(18, Math.floor(width / 3)), Math.max(8, ...sections.flatMap(s => s.rows.map(r => cellLength(r.label) + 1))));
  const lines: Line[] = [];
  sections.forEach((section, s) => {
    if (s > 0) {
      lines.push({key: `b${s}`, kind: 'blank', text: ''});
    }

    lines.push({key: `t${s}`, kind: 'title', text: section.title});
    section.rows.forEach((row, r) => {
      const value = isSecretsRevealed ? row.value : row.isSecret ? `${secretMask}  (${revealKey} reveals)` : row.maskedValue ?? row.value;
      const text = row.label ? `${fit(row.label, labelWidth)} ${value}` : value;
      lines.push({key: `r${s}-${r}`, kind: 'row', text: fit(`  ${text}`, width), tone: row.tone});
    });
  });
  return lines;
}

/** Props of the details pane. */
export type DetailsPaneProps = {
  readonly sections: readonly DetailSection[];
  readonly width: number;
  readonly height: number;
  readonly scroll: number;
  readonly isSecretsRevealed: boolean;
  readonly isFocused: boolean;
  readonly theme: Theme;
  /** The key that reveals secrets, as the key table has it. */
  readonly revealKey?: string;
};

/** Renders the details, from line `scroll` on. Memoized like the panels. */
export const DetailsPane = React.memo(DetailsPaneView);

function DetailsPaneView({sections, width, height, scroll, isSecretsRevealed, isFocused, theme, revealKey}: DetailsPaneProps) {
  const lines = detailLines(sections, width - 1, isSecretsRevealed, revealKey);
  const visible = lines.slice(scroll, scroll + height - 1);
  const more = lines.length > scroll + height - 1 ? ` ↓ ${lines.length - scroll - height + 1} more` : '';
  return (
    <Box flexDirection="column" width={width}>
      <Text bold inverse={isFocused && !theme.titleBackground} backgroundColor={isFocused ? theme.titleBackground : undefined} color={isFocused ? theme.titleForeground : theme.accent} wrap="truncate">
        {fit(` Details${more}`, width)}
      </Text>
      {visible.map(line => {
        if (line.kind === 'title') {
          return <Text key={line.key} bold color={theme.accent} wrap="truncate">{fit(` ${line.text}`, width)}</Text>;
        }

        const color = line.tone === 'warning' ? theme.warning : line.tone === 'good' ? theme.good : line.tone === 'dim' ? theme.dim : undefined;
        return <Text key={line.key} color={color} dimColor={line.tone === 'dim' && !theme.dim} wrap="truncate">{line.text || ' '}</Text>;
      })}
    </Box>
  );
}
