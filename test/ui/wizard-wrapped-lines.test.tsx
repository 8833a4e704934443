// A wizard's indented lines (the preview's steps and warnings, the outcome's message, hint and fixes,
// the answers so far) wrap under their text, not back at the screen's edge under their marker.
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import type {ActionForm} from '../../source/jobs/action-form.js';
import {JobError} from '../../source/jobs/job.js';
import {ActionFlow} from '../../source/ui/action-flow/ActionFlow.js';
import {themeFor} from '../../source/ui/theme.js';
import {FakeEngine, eventually} from '../helpers/fake-engine.js';
import {renderScreen} from '../helpers/render-app.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const warning = 'everything the volume holds now is replaced by the archive and cannot be brought back afterwards';
const step = 'stop the two containers that use the volume, then start them again once it is done';
const hint = 'Run hawser recover to roll back what the earlier run left behind, then try this again from the start';
const fix = 'Switch the container back to its own bridge network and keep its published ports';

function show(form: ActionForm) {
  const view = renderScreen(<ActionFlow form={form} engine={new FakeEngine()} width={44} height={30} theme={themeFor({NO_COLOR: '1'})} onClose={() => undefined} />);
  cleanup = () => view.unmount();
  const press = async (keys: string) => {
    view.stdin.write(keys);
    await new Promise(resolve => setTimeout(resolve, 60));
  };

  return {press, frame: () => view.lastFrame() ?? ''};
}

/**
 * The lines of `text` as the frame shows it, from the line where it starts: the column its text starts at
 * on the first line (after `marker`) and the columns where the following lines start.
 */
function layout(frame: string, marker: string, text: string): {textColumn: number; continuations: number[]; joined: string} {
  const lines = frame.split('\n');
  const firstWords = text.split(' ').slice(0, 2).join(' ');
  const first = lines.findIndex(line => line.includes(`${marker}${firstWords}`));
  expect(first, `"${marker}${firstWords}" in\n${frame}`).toBeGreaterThanOrEqual(0);
  const textColumn = lines[first]!.indexOf(`${marker}${firstWords}`) + marker.length;
  const continuations: number[] = [];
  let joined = lines[first]!.slice(textColumn).trim();
  for (let i = first + 1; i < lines.length && joined.length < text.length; i++) {
    const line = lines[i]!;
    continuations.push(line.length - line.trimStart().length);
    joined += ` ${line.trim()}`;
  }

  return {textColumn, continuations, joined};
}

/** Expects `text` after `marker`, wrapped onto more lines that all start under its first letter. */
function expectHanging(frame: string, marker: string, text: string): void {
  const {textColumn, continuations, joined} = layout(frame, marker, text);
  expect(joined).toBe(text);
  expect(continuations.length, `${text} wraps`).toBeGreaterThan(0);
  for (const column of continuations) {
    expect(column, `a wrapped line of "${text}" in\n${frame}`).toBe(textColumn);
  }
}

describe('wrapped lines of a wizard', () => {
  it('keep the preview\'s steps and warnings indented under their text', async () => {
    const {frame} = show({
      title: 'Replace a volume',
      fields: [],
      async prepare() {
        return {preview: {title: 'Replace data', steps: [step], warnings: [warning], isDestructive: true}, async * job() {}};
      },
    });
    await eventually(() => expect(frame()).toContain('Replace data'));
    expectHanging(frame(), '! ', warning);
    expectHanging(frame(), '• ', step);
  });

  it('keep the outcome\'s hint indented', async () => {
    const {frame} = show({
      title: 'Replace a volume',
      fields: [],
      async prepare() {
        throw new JobError('Something was left half-done.', hint);
      },
    });
    await eventually(() => expect(frame()).toContain('Something was left half-done.'));
    expectHanging(frame(), '  ', hint);
    // The hint is indented under the message's text, not under its mark.
    expect(layout(frame(), '✕ ', 'Something was left half-done.').textColumn).toBe(layout(frame(), '  ', hint).textColumn);
  });

  it('keep the outcome\'s message and its suggested fixes indented', async () => {
    const long = 'The network mode was switched and the container is running again with the same name';
    const {frame, press} = show({
      title: 'Switch',
      fields: [],
      async prepare() {
        return {preview: {title: 'Switch it', steps: ['switch'], warnings: [], isDestructive: false}, async * job() {
          yield {type: 'warning', message: warning};
          yield {type: 'done', summary: long};
        }};
      },
      followUps: () => [{label: fix, form: {title: 'x', fields: [], prepare: async () => Promise.reject(new Error('unused'))}}],
    });
    await eventually(() => expect(frame()).toContain('Switch it'));
    await new Promise(resolve => setTimeout(resolve, 100));
    await press('y');
    await eventually(() => expect(frame()).toContain('1  Switch the'));
    expectHanging(frame(), '✓ ', long);
    expectHanging(frame(), '1  ', fix);
    // The job's own warnings, in its log above the result.
    expectHanging(frame(), '! ', warning);
  });

  it('keep a long answer, shown above the next question, indented', async () => {
    const answer = 'a rather long answer that the narrow wizard has to wrap onto several lines';
    const {frame, press} = show({
      title: 'Two questions',
      fields: [{kind: 'text', name: 'first', label: 'First'}, {kind: 'text', name: 'second', label: 'Second'}],
      prepare: async () => Promise.reject(new Error('unused')),
    });
    await eventually(() => expect(frame()).toContain('First'));
    await new Promise(resolve => setTimeout(resolve, 100));
    await press(answer);
    await press('\r');
    await eventually(() => expect(frame()).toContain('Second'));
    expectHanging(frame(), '  ', `First: ${answer}`);
  });
});
