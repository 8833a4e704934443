// A running job's lines stay inside the wizard's width: the progress line is one line (its bar shrinks,
// never wrapping back to the left edge) and a long step title wraps under its text.
import {render} from 'ink-testing-library';
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {JobProgress} from '../../source/ui/action-flow/JobProgress.js';
import type {JobLog} from '../../source/ui/action-flow/job-log.js';
import {themeFor} from '../../source/ui/theme.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const step = 'Checking whether qa-r-container-with-a-long-name-one can reach qa-r2 over its networks';
const log: JobLog = {
  steps: [step],
  lines: [],
  warnings: [],
  progress: {done: 130e6, total: 315e6, unit: 'bytes', startedAt: 0, at: 550},
};

function frameAt(width: number): string[] {
  const view = render(<JobProgress log={log} isRunning width={width} maxLines={5} theme={themeFor({NO_COLOR: '1'})} />);
  cleanup = () => view.unmount();
  return (view.lastFrame() ?? '').split('\n');
}

describe('a running job at a narrow width', () => {
  it('keeps the progress line on one line, with all its figures', () => {
    const lines = frameAt(70);
    const bar = lines.findIndex(line => line.includes('%'));
    expect(lines[bar]).toMatch(/^ {2}[█░]{10,} 41% {2}130 MB of 315 MB {2}236 MB\/s {2}ETA 1 s$/);
    expect(lines[bar + 1] ?? '').not.toMatch(/^\s*\d+ s$/);
    for (const line of lines) {
      expect([...line].length, line).toBeLessThanOrEqual(70);
    }
  });

  it('wraps a long step title under its text, beside its mark', () => {
    const lines = frameAt(50);
    const first = lines.findIndex(line => line.includes('Checking whether'));
    expect(lines[first]).toMatch(/^. Checking whether/);
    const rest = lines.slice(first + 1, first + 3);
    expect(rest.join(' ')).toContain('can reach');
    for (const line of rest) {
      expect(line).toMatch(/^ {2}\S/);
    }
  });
});
