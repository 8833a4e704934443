// A yes/no question's hint names its keys from the key table, Enter included (also when others are rebound).
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {applyKeyOverrides, baseBindings} from '../../source/keys/key-table.js';
import {ActionFlow} from '../../source/ui/action-flow/ActionFlow.js';
import {themeFor} from '../../source/ui/theme.js';
import {FakeEngine, eventually} from '../helpers/fake-engine.js';
import {renderScreen} from '../helpers/render-app.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('a yes/no question', () => {
  it('says which keys switch the answer and which goes on', async () => {
    const {bindings} = applyKeyOverrides(baseBindings, {switchAnswer: ['t']});
    const form = {title: 'Ask', fields: [{kind: 'toggle' as const, name: 'gzip', label: 'Compress'}], prepare: async () => Promise.reject(new Error('unused'))};
    const view = renderScreen(<ActionFlow form={form} engine={new FakeEngine()} width={100} height={20} theme={themeFor({NO_COLOR: '1'})} bindings={bindings} onClose={() => undefined} />);
    cleanup = () => view.unmount();
    await eventually(() => expect(view.lastFrame()).toContain('Compress'));
    expect(view.lastFrame()).toMatch(/t or y\/n switches, Enter goes on/);
  });
});
