// An optional question whose empty answer depends on an earlier one ("Another file…" then an empty path) is
// refused at the question itself, with the earlier answers in hand, not after the last question.
import React from 'react';
import {expect, it} from 'vitest';
import type {ActionForm} from '../../source/jobs/action-form.js';
import {ActionFlow} from '../../source/ui/action-flow/ActionFlow.js';
import {themeFor} from '../../source/ui/theme.js';
import {FakeEngine, eventually} from '../helpers/fake-engine.js';
import {renderScreen} from '../helpers/render-app.js';

it('asks again, with the reason, when an empty answer cannot be taken after the earlier answers', async () => {
  let prepared = 0;
  const seen: Record<string, string>[] = [];
  const form: ActionForm = {
    title: 'Pick',
    fields: [
      {kind: 'choice', name: 'file', label: 'Archive', choices: async () => [{value: 'other', label: 'Another file…'}, {value: 'a.tar', label: 'a.tar'}]},
      {kind: 'text', name: 'path', label: 'Path', isOptional: true, whenEmpty: answers => (answers['file'] === 'other' ? 'Type the path: "Another file…" was chosen.' : undefined)},
    ],
    async prepare(_engine, values) {
      prepared++;
      seen.push({...values});
      return {preview: {title: 'Go', steps: [], warnings: [], isDestructive: false}, async * job() {}};
    },
  };
  const view = renderScreen(<ActionFlow form={form} engine={new FakeEngine()} width={80} height={20} theme={themeFor({NO_COLOR: '1'})} onClose={() => undefined} />);
  const press = async (keys: string) => {
    view.stdin.write(keys);
    await new Promise(resolve => setTimeout(resolve, 60));
  };

  const frame = () => view.lastFrame() ?? '';
  await eventually(() => expect(frame()).toContain('Another file…'));
  await new Promise(resolve => setTimeout(resolve, 100));
  await press('\r');
  await eventually(() => expect(frame()).toContain('Path'));
  await new Promise(resolve => setTimeout(resolve, 100));
  await press('\r');
  await eventually(() => expect(frame()).toContain('Type the path: "Another file…" was chosen.'));
  expect(prepared).toBe(0);
  await press('/tmp/x.tar');
  await press('\r');
  await eventually(() => expect(prepared).toBe(1));
  expect(seen[0]).toEqual({file: 'other', path: '/tmp/x.tar'});
  view.unmount();
});
