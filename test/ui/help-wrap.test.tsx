// The help wraps its long lines under their text at a narrow terminal: no description, '(fixed)' mark or
// '[command]' name is cut off at 70 columns, and scrolling reaches the last wrapped line.
import {render} from 'ink-testing-library';
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {baseBindings} from '../../source/keys/key-table.js';
import {actionBindings} from '../../source/resources/panels.js';
import {helpLines, HelpScreen} from '../../source/ui/HelpScreen.js';
import {themeFor} from '../../source/ui/theme.js';
import {FakeEngine, eventually} from '../helpers/fake-engine.js';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

const bindings = [...baseBindings, ...actionBindings()];
const problem = 'The key j is bound to both action:netmode and down (Containers); only one of them can run: give one another key.';
/** What each binding's line ends with: its description, then its mark. */
const endings = bindings.map(binding => `${binding.description} ${binding.isFixed ? '(fixed)' : `[${binding.command}]`}`);
const squeeze = (text: string) => text.replace(/\s+/g, ' ');

describe('the help at 70 columns', () => {
  it('has no line wider than the screen, and every description and mark whole', () => {
    const lines = helpLines(bindings, [problem], 70).map(line => line.text);
    for (const line of lines) {
      expect([...line].length, line).toBeLessThanOrEqual(70);
    }

    const text = squeeze(lines.join('\n'));
    for (const ending of endings) {
      expect(text).toContain(squeeze(ending));
    }

    expect(text).toContain(squeeze(problem));
    expect(text).toContain('"keys": {"name": ["key", …]}');
  });

  it('wraps a description under the description, not under the keys', () => {
    const lines = helpLines(bindings, [], 70).map(line => line.text);
    const first = lines.findIndex(line => line.includes('topology: every network'));
    const column = lines[first]!.indexOf('topology: every network');
    const next = lines[first + 1]!;
    expect(next.length - next.trimStart().length).toBe(column);
    expect(next).toMatch(/\[topology\]$/);
  });

  it('shows every (fixed) mark and [command] name on the screen', () => {
    const view = render(<HelpScreen bindings={bindings} width={70} height={500} scroll={0} theme={themeFor({NO_COLOR: '1'})} />);
    cleanup = () => view.unmount();
    const frame = view.lastFrame() ?? '';
    const fixed = bindings.filter(binding => binding.isFixed).length;
    // One more: the line at the top that says what (fixed) means.
    expect(frame.match(/\(fixed\)/g)).toHaveLength(fixed + 1);
    const text = squeeze(frame);
    for (const ending of endings) {
      expect(text).toContain(squeeze(ending));
    }
  });

  it('scrolls to its last wrapped line in the running TUI', async () => {
    const {renderApp} = await import('../helpers/render-app.js');
    const {view, frame, press, unmount} = renderApp(new FakeEngine());
    cleanup = unmount;
    Object.defineProperty(view.stdout, 'columns', {value: 70, configurable: true});
    view.stdout.emit('resize');
    await eventually(() => expect(frame()).toContain('Containers'));
    await press('?');
    await eventually(() => expect(frame()).toContain('Help: keys'));
    await press('G');
    // The help's own group is the last: its last line just above the key bar.
    await eventually(() => expect(frame()).toContain('close help  [back]'));
    const lines = frame().split('\n');
    expect(lines.at(-2)).toMatch(/G End\s+last line {2}\[bottom\]$/);
    for (const line of frame().split('\n')) {
      expect([...line].length, line).toBeLessThanOrEqual(70);
    }
  });
});
