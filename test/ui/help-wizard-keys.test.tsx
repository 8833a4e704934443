// The help's wizard section lists the keys a question's own input reads (moving in and picking from a
// choice list, Enter to answer), from the key table, marked as keys that cannot be rebound.
import {afterEach, describe, expect, it} from 'vitest';
import {applyKeyOverrides, baseBindings, commandFor, keyClashes} from '../../source/keys/key-table.js';
import {renderApp} from '../helpers/render-app.js';
import {FakeEngine, eventually, fakeContainer} from '../helpers/fake-engine.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** Every page of the help, as shown, joined. */
async function helpText(keyOverrides: Record<string, readonly string[]> = {}): Promise<string> {
  const engine = new FakeEngine();
  engine.containers = [fakeContainer('alpha')];
  const {frame, press, unmount} = renderApp(engine, {keyOverrides});
  cleanup = unmount;
  await eventually(() => expect(frame()).toContain('alpha'));
  await press('?');
  await eventually(() => expect(frame()).toContain('Help: keys'));
  const seen: string[] = [];
  for (let page = 0; page < 15 && !/close help\s+\[back\]/.test(seen.join('\n')); page++) {
    seen.push(frame());
    await press(' ');
  }

  seen.push(frame());
  return seen.join('\n');
}

/** The lines of the wizard's section of the help, as shown. */
function wizardSection(text: string): string {
  const start = text.indexOf('Wizards: questions, and a running job');
  expect(start, 'the wizard section').toBeGreaterThanOrEqual(0);
  return text.slice(start, text.indexOf('Wizards: the preview', start));
}

describe('the help\'s wizard section', () => {
  it('says how to move in a choice list, pick from it, and answer with Enter', async () => {
    const text = await helpText();
    const section = wizardSection(text);
    expect(section).toMatch(/\n\s+↓ j\s+choice list: move down\s+\(fixed\)/);
    expect(section).toMatch(/\n\s+↑ k\s+choice list: move up\s+\(fixed\)/);
    expect(section).toMatch(/\n\s+1-9\s+choice list: pick the Nth item shown \(1 is the top one\)\s+\(fixed\)/);
    expect(section).toMatch(/\n\s+Enter\s+answer: submit the typed text, the highlighted choice or yes\/no\s+\(fixed\)/);
    // The rebindable ones keep their names.
    expect(section).toMatch(/\n\s+S-Tab\s+back to the previous question\s+\[previousQuestion\]/);
    expect(text).toContain('(fixed) a key the question\'s input reads itself: it cannot be rebound');
  });

  it('keeps the fixed keys when the config tries to rebind them, and says they cannot be rebound', async () => {
    const text = await helpText({choiceDown: ['n'], answer: ['x']});
    expect(text).toContain('"choiceDown" in the config\'s keys cannot be rebound');
    expect(text).not.toContain('Unknown command "choiceDown"');
    const section = wizardSection(text);
    expect(section).toMatch(/\n\s+↓ j\s+choice list: move down/);
    expect(section).toMatch(/\n\s+Enter\s+answer: submit/);
  });
});

describe('the questions\' own keys in the key table', () => {
  it('are never a command: the handlers see the same keys as before', () => {
    for (const key of ['return', 'j', 'k', 'down', 'up', '1', '9']) {
      expect(commandFor(baseBindings, ['wizard'], key), key).toBeUndefined();
    }

    expect(commandFor(baseBindings, ['wizard'], 'escape')?.command).toBe('cancel');
    expect(commandFor(baseBindings, ['outcome'], '1')?.command).toBe('runFollowUp');
  });

  it('cannot be rebound: their names are told apart from unknown ones', () => {
    const {bindings, unknown, fixed} = applyKeyOverrides(baseBindings, {choiceDown: ['n'], answer: ['x'], previousQuestion: ['ctrl+b'], nosuch: ['z']});
    expect(fixed).toEqual(['choiceDown', 'answer']);
    expect(unknown).toEqual(['nosuch']);
    expect(bindings.find(binding => binding.command === 'choiceDown')?.keys).toEqual(['down', 'j']);
    expect(bindings.find(binding => binding.command === 'previousQuestion')?.keys).toEqual(['ctrl+b']);
  });

  it('clash with a command rebound onto them, only in the kind of question they work in', () => {
    const clash = (overrides: Record<string, readonly string[]>) => keyClashes(applyKeyOverrides(baseBindings, overrides).bindings, overrides);
    // k goes back a question in every kind of question, and moves up in a choice list too.
    expect(clash({previousQuestion: ['k']})).toEqual([expect.stringMatching(/^The key k is bound to previousQuestion, but a wizard's question takes it for itself too \(choice list: move up; that cannot be rebound\)/)]);
    expect(clash({cancel: ['return']})).toContainEqual(expect.stringMatching(/^The key Enter is bound to cancel, but a wizard's question takes it/));
    // A yes/no question's keys and a choice list's are never live at once, nor a text field's and a choice list's.
    expect(clash({answerYes: ['j'], answerNo: ['k'], switchAnswer: ['up', 'down']})).toEqual([]);
    expect(clash({clearAnswer: ['down']})).toEqual([]);
    // Enter answers every kind of question.
    expect(clash({answerYes: ['return']})).toHaveLength(1);
    // Naming a fixed key's command reports no clash of its own (it is unknown, reported as such).
    expect(clash({choiceDown: ['escape']})).toEqual([]);
  });
});
