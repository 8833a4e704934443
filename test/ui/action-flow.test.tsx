import React from 'react';
import {describe, expect, it} from 'vitest';
import type {ActionForm} from '../../source/jobs/action-form.js';
import {ActionFlow} from '../../source/ui/action-flow/ActionFlow.js';
import {themeFor} from '../../source/ui/theme.js';
import {FakeEngine, eventually} from '../helpers/fake-engine.js';
import {renderScreen} from '../helpers/render-app.js';

const escape = '\u001B';

function flow() {
  const log = {prepared: 0, started: 0, undone: 0, finished: 0, closed: [] as string[]};
  const form: ActionForm = {
    title: 'Slow action',
    fields: [{kind: 'text', name: 'name', label: 'Name'}],
    async prepare(_engine, values) {
      log.prepared++;
      return {
        preview: {title: `Do the slow thing to ${values['name']}`, steps: ['wait'], warnings: [], isDestructive: false},
        async * job(_port, signal) {
          log.started++;
          yield {type: 'step', title: 'Waiting'};
          await new Promise<void>(resolve => signal.addEventListener('abort', () => resolve()));
          log.undone++;
          throw new Error('aborted');
        },
      };
    },
  };
  const view = renderScreen(<ActionFlow form={form} engine={new FakeEngine()} width={80} height={20} theme={themeFor({NO_COLOR: '1'})} onClose={result => log.closed.push(result.outcome)} />);
  const press = async (keys: string) => {
    view.stdin.write(keys);
    await new Promise(resolve => setTimeout(resolve, 60));
  };

  return {view, log, press, frame: () => view.lastFrame() ?? ''};
}

describe('Esc at every stage of a wizard', () => {
  /** Answers the one question with "web" and waits for the preview. */
  async function toPreview(press: (input: string) => Promise<void>, frame: () => string): Promise<void> {
    await eventually(() => expect(frame()).toContain('Name'));
    await new Promise(resolve => setTimeout(resolve, 100));
    await press('web');
    await press('\r');
    await eventually(() => expect(frame()).toContain('Do the slow thing to web'));
  }

  it('at a question: closes, nothing prepared or run', async () => {
    const {view, log, press, frame} = flow();
    await eventually(() => expect(frame()).toContain('Name'));
    await new Promise(resolve => setTimeout(resolve, 100));
    await press(escape);
    await eventually(() => expect(log.closed).toEqual(['cancelled']));
    expect(log.prepared + log.started).toBe(0);
    view.unmount();
  });

  it('at the preview: closes, nothing run', async () => {
    const {view, log, press, frame} = flow();
    await toPreview(press, frame);
    await press(escape);
    await eventually(() => expect(log.closed).toEqual(['cancelled']));
    expect(log.started).toBe(0);
    view.unmount();
  });

  it('while running: aborts the job, which undoes its work, and says it was cancelled', async () => {
    const {view, log, press, frame} = flow();
    await toPreview(press, frame);
    await press('y');
    await eventually(() => expect(frame()).toContain('Waiting'));
    await press(escape);
    await eventually(() => expect(frame()).toContain('Cancelled; what was started was undone.'));
    expect(log.undone).toBe(1);
    // The step it was on did not finish: not ticked as done.
    expect(frame()).toMatch(/– Waiting/);
    expect(frame()).not.toMatch(/✓ Waiting/);
    view.unmount();
  });
});

describe('editing an answer', () => {
  it('Ctrl-U clears it and Ctrl-W removes its last word, as in a shell, instead of typing u or w', async () => {
    const {view, press, frame} = flow();
    await eventually(() => expect(frame()).toContain('Name'));
    await new Promise(resolve => setTimeout(resolve, 100));
    await press('web');
    await press('\u0015');
    await press('my app');
    await press('\u0017');
    await press('db');
    await press('\r');
    await eventually(() => expect(frame()).toContain('Do the slow thing to my db'));
    view.unmount();
  });

  it('keeps typing at the end of what is left, with the next keys right behind the line key', async () => {
    const {view, press, frame} = flow();
    await eventually(() => expect(frame()).toContain('Name'));
    await new Promise(resolve => setTimeout(resolve, 100));
    await press('tmp junk');
    // One key after another, as the TUI's stdin hands them over (key-by-key-stdin.ts): a short timer and two check phases.
    for (const key of ['\u0015', ...'db']) {
      view.stdin.write(key);
      await new Promise(resolve => setTimeout(resolve, 1));
      await new Promise(resolve => setImmediate(resolve));
      await new Promise(resolve => setImmediate(resolve));
    }

    await press('\r');
    await eventually(() => expect(frame()).toContain('Do the slow thing to db'));
    view.unmount();
  });
});
