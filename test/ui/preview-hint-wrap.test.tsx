// The keys' hint at the foot of a wizard wraps at a narrow terminal, between its groups: the preview of
// a destructive action still says how to go ahead and how to cancel at 70 columns.
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import type {ActionForm} from '../../source/jobs/action-form.js';
import {ActionFlow} from '../../source/ui/action-flow/ActionFlow.js';
import {themeFor} from '../../source/ui/theme.js';
import {FakeEngine, eventually} from '../helpers/fake-engine.js';
import {renderScreen} from '../helpers/render-app.js';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

const form: ActionForm = {
  title: 'Remove network qa-net',
  fields: [],
  async prepare() {
    return {preview: {title: 'Remove network qa-net', steps: ['Remove qa-net'], warnings: [], isDestructive: true}, async * job() {}};
  },
};

function preview(width: number) {
  const view = renderScreen(<ActionFlow form={form} engine={new FakeEngine()} width={width} height={20} theme={themeFor({NO_COLOR: '1'})} onClose={() => undefined} />);
  cleanup = () => view.unmount();
  return () => (view.lastFrame() ?? '').split('\n');
}

describe('the destructive preview\'s hint', () => {
  it('wraps at 70 columns, keeping each key with what it does', async () => {
    const lines = preview(70);
    await eventually(() => expect(lines().join('\n')).toContain('Remove qa-net'));
    const last = lines().slice(-2);
    expect(last).toEqual([' y or Enter: go ahead (this destroys or replaces something)', ' n or Esc: cancel']);
    for (const line of lines()) {
      expect([...line].length, line).toBeLessThanOrEqual(70);
    }
  });

  it('stays on one line where it fits', async () => {
    const lines = preview(100);
    await eventually(() => expect(lines().join('\n')).toContain('Remove qa-net'));
    expect(lines().at(-1)!.trimEnd()).toBe(' y or Enter: go ahead (this destroys or replaces something)   n or Esc: cancel');
  });
});
