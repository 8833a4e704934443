// A full-screen, scrollable view of text lines with a title: inspect JSON, logs.
import {Box, Text} from 'ink';
import React from 'react';
import {fit} from '../model/text.js';
import type {Theme} from './theme.js';

/** One line of a text view; `mark` highlights a search match. */
export type ViewLine = {readonly text: string; readonly isMarked?: boolean; readonly tone?: 'dim' | 'warning'};

/** Props of the view. */
export type TextViewProps = {
  readonly title: string; readonly lines: readonly ViewLine[]; readonly width: number; readonly height: number; readonly scroll: number; readonly theme: Theme; readonly footer?: string;
  /** Shown in the title after the position (the logs' tail, since, timestamps, wrap). */
  readonly status?: string;
};

/** How many lines of text a view of `height` shows: less its title and its footer, if any (the page its keys scroll by). */
export function textRows(height: number, hasFooter: boolean): number {
  return height - 1 - (hasFooter ? 1 : 0);
}

/** Renders lines from `scroll` on, with the position in the title. */
export function TextView({title, lines, width, height, scroll, theme, footer, status}: TextViewProps) {
  const rows = textRows(height, Boolean(footer));
  const visible = lines.slice(scroll, scroll + rows);
  const position = lines.length > rows ? `  ${scroll + 1}-${Math.min(lines.length, scroll + rows)} of ${lines.length}` : '';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse={!theme.titleBackground} backgroundColor={theme.titleBackground} color={theme.titleForeground}>{fit(` ${title}${position}${status ? `   ${status}` : ''}`, width)}</Text>
      {visible.map((line, i) => (
        <Text key={`${scroll + i}`} inverse={line.isMarked} color={line.tone === 'warning' ? theme.warning : line.tone === 'dim' ? theme.dim : undefined} dimColor={line.tone === 'dim' && !theme.dim} wrap="truncate">
          {fit(line.text || ' ', width)}
        </Text>
      ))}
      {footer ? <Box flexGrow={1} alignItems="flex-end"><Text color={theme.accent} wrap="truncate">{fit(footer, width)}</Text></Box> : null}
    </Box>
  );
}
