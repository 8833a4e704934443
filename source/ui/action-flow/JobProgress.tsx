// A running or finished job: its steps (each with the last lines that came during it), a progress bar with rate
// and ETA, and warnings.
import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import prettyBytes from 'pretty-bytes';
import React from 'react';
import {fit, wrapWords} from '../../model/text.js';
import type {Theme} from '../theme.js';
import {progressBar, rateAndEta, type JobLog} from './job-log.js';
import {Hanging} from './Hanging.js';

const amount = (value: number, unit: 'bytes' | 'items') => (unit === 'bytes' ? prettyBytes(value) : String(value));

/** Props of the progress view. */
export type JobProgressProps = {
  readonly log: JobLog;
  readonly isRunning: boolean;
  readonly width: number;
  readonly maxLines: number;
  readonly theme: Theme;
  /** How a finished job ended: the step it was on when it failed or was cancelled is not marked done. */
  readonly outcome?: 'done' | 'failed' | 'cancelled';
};

/** Renders the job's log. */
export function JobProgress({log, isRunning, width, maxLines, theme, outcome}: JobProgressProps) {
  const {progress} = log;
  const {rate, etaSeconds} = progress ? rateAndEta(progress) : {};
  const figures = progress ? [
    `${amount(progress.done, progress.unit)}${progress.total ? ` of ${amount(progress.total, progress.unit)}` : ''}`,
    rate ? `  ${amount(rate, progress.unit)}/s` : '',
    etaSeconds !== undefined ? `  ETA ${Math.ceil(etaSeconds)} s` : '',
  ].join('') : '';
  // The bar takes what the figures leave of the line ('  ' + bar + ' 100%  ' + figures), 10 to 40 cells; a line
  // still too long is cut, never wrapped back to the left edge.
  const barWidth = Math.max(10, Math.min(40, width - figures.length - 9));
  // The last lines, each under the step it came during (a step's notes stay with it as later steps follow), wrapped
  // under their text: a path in a note is the part worth reading.
  const shown = log.lines.slice(-maxLines);
  const linesOf = (step: number) => shown.flatMap((line, i) => (line.step === step ? [
    <Hanging key={`l${i}`} marker="  " text={line.text} width={width} color={theme.dim} dimColor={!theme.dim} />,
  ] : []));
  return (
    <Box flexDirection="column">
      {linesOf(-1)}
      {log.steps.map((step, i) => {
        const isLast = i === log.steps.length - 1;
        const isCurrent = isLast && isRunning;
        const isCutShort = isLast && !isRunning && outcome !== undefined && outcome !== 'done';
        const mark = isCurrent
          ? <Text color={theme.accent}><Spinner type="dots" /></Text>
          : isCutShort
            ? <Text color={outcome === 'failed' ? theme.error : theme.warning}>{outcome === 'failed' ? '✕' : '–'}</Text>
            : <Text color={theme.good}>✓</Text>;
        // A long title (long names) wraps under its text, beside its mark.
        return (
          <Box key={`${i}-${step}`} flexDirection="column">
            <Box>
              <Box width={2} flexShrink={0}>{mark}</Box>
              <Text>{wrapWords(step, width - 2).join('\n')}</Text>
            </Box>
            {linesOf(i)}
          </Box>
        );
      })}
      {progress && isRunning ? (
        <Box flexDirection="column">
          <Text wrap="truncate">
            {'  '}
            {progress.total ? `${progressBar(progress.done, progress.total, barWidth)} ${Math.floor((progress.done / progress.total) * 100)}%  ` : ''}
            {figures}
          </Text>
          {progress.current ? <Text color={theme.dim} dimColor={!theme.dim} wrap="truncate">{fit(`  ${progress.current}`, width)}</Text> : null}
        </Box>
      ) : null}
      {log.warnings.map((warning, i) => <Hanging key={`w${i}`} marker="! " text={warning} width={width} color={theme.warning} />)}
    </Box>
  );
}
