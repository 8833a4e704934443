// A wizard's choice list on a small terminal: each choice one line, cut rather than wrapped, fewer
// rows where there is no room, and nothing drawn over anything else (at 20×6 it did).
import React from 'react';
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import type {ActionForm} from '../../source/jobs/action-form.js';
import {ActionFlow} from '../../source/ui/action-flow/ActionFlow.js';
import {themeFor} from '../../source/ui/theme.js';
import {FakeEngine, eventually} from '../helpers/fake-engine.js';
import {renderScreen} from '../helpers/render-app.js';

const labels = Array.from({length: 10}, (_, i) => `container:service-number-${i} (share service-number-${i}'s namespace)`);
const form: ActionForm = {
  title: 'Switch api\'s network mode',
  fields: [{kind: 'choice', name: 'mode', label: 'Network mode', choices: async () => labels.map((label, i) => ({value: `m${i}`, label, hint: 'recreate'}))}],
  prepare: async () => {
    throw new Error('not reached');
  },
};

describe('a choice list on a small terminal', () => {
  it.each([[70, 11], [40, 7], [20, 5]])('at %i×%i: no line wider than the terminal, no more lines than it has, every choice row whole', async (width, height) => {
    const view = renderScreen(<ActionFlow form={form} engine={new FakeEngine()} width={width} height={height} theme={themeFor({NO_COLOR: '1'})} onClose={() => undefined} />);
    await eventually(() => expect(view.lastFrame()).toContain('Network'));
    // The choices are loaded (asynchronously, as from an engine) once the spinner is gone.
    await eventually(() => expect(view.lastFrame()).not.toContain('loading choices'));
    const lines = (view.lastFrame() ?? '').split('\n');
    expect(lines.length).toBeLessThanOrEqual(height);
    for (const line of lines) {
      expect(stringWidth(line)).toBeLessThanOrEqual(width);
    }

    // A choice row is the pointer or two spaces, then the start of one label: never two lines' text in one.
    const rows = lines.filter(line => /^ {0,2}(❯| ) {0,2}container:/.test(line) || line.includes('❯'));
    for (const row of rows) {
      expect(row).toMatch(/^ *(❯ | {2})container:service-number-\d/);
    }

    if (height >= 7) {
      expect(rows.length).toBeGreaterThanOrEqual(1);
      expect(lines.join('\n')).toMatch(new RegExp(`${rows.length} of 10 shown`));
    }

    view.unmount();
  });
});
