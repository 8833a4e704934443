// A choice list longer than the rows it shows says so, and how to reach the rest.
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {ActionFlow} from '../../source/ui/action-flow/ActionFlow.js';
import {themeFor} from '../../source/ui/theme.js';
import {FakeEngine, eventually} from '../helpers/fake-engine.js';
import {renderScreen} from '../helpers/render-app.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function show(count: number) {
  const choices = Array.from({length: count}, (_, i) => ({value: `c${i}`, label: `choice ${i}`}));
  const form = {title: 'Pick', fields: [{kind: 'choice' as const, name: 'pick', label: 'Which one', choices: async () => choices}], prepare: async () => Promise.reject(new Error('unused'))};
  const view = renderScreen(<ActionFlow form={form} engine={new FakeEngine()} width={80} height={30} theme={themeFor({NO_COLOR: '1'})} onClose={() => undefined} />);
  cleanup = () => view.unmount();
  return () => view.lastFrame() ?? '';
}

describe('a long choice list', () => {
  it('says how many are shown of how many, and that the arrows reach the others', async () => {
    const frame = show(20);
    await eventually(() => expect(frame()).toContain('choice 0'));
    expect(frame()).toContain('12 of 20 shown: ↑/↓ scrolls to the others');
    expect(frame()).not.toContain('choice 12');
  });

  it('says nothing when all fit', async () => {
    const frame = show(5);
    await eventually(() => expect(frame()).toContain('choice 4'));
    expect(frame()).not.toContain('shown:');
  });
});
