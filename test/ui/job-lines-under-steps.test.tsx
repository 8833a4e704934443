// A job's notes stay under the step they came during: a restore with --replace logs how it writes while it
// restores into the staging volume, and those notes must not read as if they belonged to the swap after it.
import {render} from 'ink-testing-library';
import React from 'react';
import {afterEach, expect, it} from 'vitest';
import type {JobEvent} from '../../source/jobs/job.js';
import {JobProgress} from '../../source/ui/action-flow/JobProgress.js';
import {emptyJobLog, foldJobEvent} from '../../source/ui/action-flow/job-log.js';
import {themeFor} from '../../source/ui/theme.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const events: JobEvent[] = [
  {type: 'log', line: 'Planned from archive.tar'},
  {type: 'step', title: 'Restoring into the staging volume data.hawser-replace-1'},
  {type: 'log', line: 'Writing through the engine\'s archive API'},
  {type: 'step', title: 'Comparing volume data.hawser-replace-1 with the manifest'},
  {type: 'log', line: 'Listed the volume with a helper'},
  {type: 'step', title: 'Swapping the contents of data'},
];

function frame(maxLines: number): string[] {
  const log = events.reduce((folded, event) => foldJobEvent(folded, event, 0), emptyJobLog);
  const view = render(<JobProgress log={log} isRunning={false} outcome="done" width={100} maxLines={maxLines} theme={themeFor({NO_COLOR: '1'})} />);
  cleanup = () => view.unmount();
  return (view.lastFrame() ?? '').split('\n').map(line => line.trim());
}

it('shows each line under the step it came during, in order', () => {
  expect(frame(5)).toEqual([
    'Planned from archive.tar',
    '✓ Restoring into the staging volume data.hawser-replace-1',
    'Writing through the engine\'s archive API',
    '✓ Comparing volume data.hawser-replace-1 with the manifest',
    'Listed the volume with a helper',
    '✓ Swapping the contents of data',
  ]);
});

it('keeps only the last lines, still under their steps', () => {
  expect(frame(1)).toEqual([
    '✓ Restoring into the staging volume data.hawser-replace-1',
    '✓ Comparing volume data.hawser-replace-1 with the manifest',
    'Listed the volume with a helper',
    '✓ Swapping the contents of data',
  ]);
});

it('wraps a long line under its text instead of cutting it', () => {
  const log = [
    {type: 'step', title: 'Writing 12 B into volume data'},
    {type: 'log', line: 'Writing into /root/.local/state/hawser/sandbox/data/volumes/qa3-target/_data directly (the engine is local)'},
  ].reduce((folded, event) => foldJobEvent(folded, event as JobEvent, 0), emptyJobLog);
  const view = render(<JobProgress log={log} isRunning={false} outcome="done" width={60} maxLines={5} theme={themeFor({NO_COLOR: '1'})} />);
  cleanup = () => view.unmount();
  const lines = (view.lastFrame() ?? '').split('\n');
  expect(lines.join(' ').replace(/\s+/g, ' ')).toContain('directly (the engine is local)');
  expect(lines.slice(1).every(line => line.startsWith('  ') && [...line].length <= 60)).toBe(true);
});
