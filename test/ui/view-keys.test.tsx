// The logs, inspect and help views, the filter and a wizard take their keys from the key table: the
// default keys work as before, and a key rebound in the config (keyOverrides) replaces the default there.
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import type {ActionForm} from '../../source/jobs/action-form.js';
import {applyKeyOverrides, baseBindings} from '../../source/keys/key-table.js';
import {ActionFlow} from '../../source/ui/action-flow/ActionFlow.js';
import {themeFor} from '../../source/ui/theme.js';
import {renderApp, renderScreen} from '../helpers/render-app.js';
import {FakeEngine, eventually, fakeContainer} from '../helpers/fake-engine.js';

const escape = '\u001B';
const enter = '\r';
const settle = () => new Promise(resolve => setTimeout(resolve, 100));
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** The TUI on one container, alpha, with 60 lines of logs (one an error) and a secret in its env. */
function start(keyOverrides: Record<string, readonly string[]> = {}) {
  const engine = new FakeEngine();
  engine.containers = [fakeContainer('alpha')];
  engine.env = {alpha: ['DB_PASSWORD=hunter2', 'TZ=UTC']};
  engine.logs = {alpha: [...Array.from({length: 59}, (_, i) => `line ${i + 1}`), 'error: disk full']};
  const app = renderApp(engine, {keyOverrides});
  cleanup = app.unmount;
  return app;
}

/** Opens the logs of alpha and waits until they are shown and the view takes keys. */
async function openLogs({frame, press}: ReturnType<typeof start>, key = 'l'): Promise<void> {
  await eventually(() => expect(frame()).toContain('alpha'));
  await press(key);
  await eventually(() => expect(frame()).toContain('error: disk full'));
  await settle();
}

describe('the logs view', () => {
  it('keeps its default keys: f pauses, g goes to the top, / and n search, Esc clears then closes', async () => {
    const session = start();
    const {frame, press} = session;
    await openLogs(session);
    expect(frame()).toContain('following (f pauses)');
    await press('f');
    await eventually(() => expect(frame()).toContain('paused (f follows)'));
    await press('g');
    await eventually(() => expect(frame()).toMatch(/Logs of alpha {2}1-20 of 60/));
    await press('G');
    await eventually(() => expect(frame()).toContain('following (f pauses)'));
    await press('/');
    await press('line 1');
    await press(enter);
    // The closing key named is one the search does not take (Esc clears it first).
    await eventually(() => expect(frame()).toContain('"line 1": match 1 of 11, n/N jump, Esc clears  q closes'));
    // n goes on from the match shown (line 1, at the top), to the next one: line 10, not past it.
    await press('n');
    await eventually(() => expect(frame()).toContain('match 2 of 11'));
    expect(frame()).toContain('paused (f follows)');
    await press('N');
    await eventually(() => expect(frame()).toContain('match 1 of 11'));
    await press('N');
    await eventually(() => expect(frame()).toContain('match 11 of 11'));
    await press(escape);
    await eventually(() => expect(frame()).toContain('/ searches  Esc closes'));
    await press(escape);
    await eventually(() => expect(frame()).toContain('1 Containers'));
  });

  it('follows the config: rebound keys work, the keys they replaced do nothing', async () => {
    const session = start({follow: ['z'], search: ['s'], searchAccept: ['tab'], top: ['t'], back: ['h']});
    const {frame, press} = session;
    await openLogs(session);
    expect(frame()).toContain('following (z pauses)  s searches  h closes');
    await press('f');
    await settle();
    expect(frame()).toContain('following (z pauses)');
    await press('z');
    await eventually(() => expect(frame()).toContain('paused (z follows)'));
    await press('t');
    await eventually(() => expect(frame()).toMatch(/Logs of alpha {2}1-20 of 60/));
    await press('/');
    await settle();
    expect(frame()).not.toContain('Enter searches');
    await press('s');
    await press('disk');
    await press(enter);
    await settle();
    expect(frame()).toContain('/disk█   Tab searches, Esc cancels');
    await press('\t');
    await eventually(() => expect(frame()).toContain('"disk": match 1 of 1'));
    await press(escape);
    await eventually(() => expect(frame()).toContain('s searches  h closes'));
    await press(escape);
    await press('q');
    await settle();
    expect(frame()).toContain('Logs of alpha');
    await press('h');
    await eventually(() => expect(frame()).toContain('1 Containers'));
  });
});

describe('the inspect view', () => {
  it('follows the config: x and Esc give way to the keys that replace them', async () => {
    const {frame, press} = start({revealSecrets: ['X'], back: ['h']});
    await eventually(() => expect(frame()).toContain('alpha'));
    await press('i');
    await eventually(() => expect(frame()).toContain('"DB_PASSWORD=••••••••"'));
    expect(frame()).toContain('secrets masked: X reveals; h closes');
    await settle();
    await press('x');
    await press(escape);
    await settle();
    expect(frame()).toContain('"DB_PASSWORD=••••••••"');
    await press('X');
    await eventually(() => expect(frame()).toContain('DB_PASSWORD=hunter2'));
    await press('h');
    await eventually(() => expect(frame()).toContain('1 Containers'));
  });

  it('shows as many lines on its last page as on its first', async () => {
    const engine = new FakeEngine();
    engine.containers = [fakeContainer('alpha')];
    engine.env = {alpha: Array.from({length: 80}, (_, i) => `VAR_${i}=${i}`)};
    const app = renderApp(engine);
    cleanup = app.unmount;
    const {frame, press} = app;
    await eventually(() => expect(frame()).toContain('alpha'));
    await press('i');
    await eventually(() => expect(frame()).toContain('Inspect container alpha'));
    await settle();
    const range = () => {
      const [, from = '0', to = '0', total = '0'] = /(\d+)-(\d+) of (\d+)/.exec(frame()) ?? [];
      return {count: Number(to) - Number(from) + 1, to: Number(to), total: Number(total)};
    };
    await eventually(() => expect(range().total).toBeGreaterThan(range().count));
    const first = range();
    await press('G');
    await eventually(() => expect(range().to).toBe(first.total));
    expect(range().count).toBe(first.count);
  });

  it('closes with the key that opened it, when that is rebound', async () => {
    const {frame, press} = start({inspect: ['J']});
    await eventually(() => expect(frame()).toContain('alpha'));
    await press('J');
    await eventually(() => expect(frame()).toContain('Inspect container alpha'));
    await settle();
    await press('i');
    await settle();
    expect(frame()).toContain('Inspect container alpha');
    await press('J');
    await eventually(() => expect(frame()).toContain('1 Containers'));
  });
});

describe('the help screen', () => {
  it('lists the logs and inspect keys, a page at a time, with the rebound ones', async () => {
    const {frame, press} = start({follow: ['z']});
    await eventually(() => expect(frame()).toContain('alpha'));
    await press('?');
    await eventually(() => expect(frame()).toContain('Help: keys (j/k scroll, PgDn pages, Esc closes)'));
    const seen: string[] = [];
    for (let page = 0; page < 12 && !seen.join('\n').includes('Help\n'); page++) {
      seen.push(frame());
      await press(' ');
    }

    const text = seen.join('\n');
    expect(text).toMatch(/Logs\n\s+Esc q \^C\s+close the logs/);
    expect(text).toMatch(/\n\s+z\s+pause or resume following/);
    expect(text).toMatch(/Inspect \(JSON\)\n\s+Esc q \^C\s+close the JSON/);
    expect(text).toMatch(/\n\s+x\s+reveal or mask secret values/);
  });
});

describe('the command palette', () => {
  it('completes with the rebound key, and no longer with Tab', async () => {
    const {frame, press} = start({paletteComplete: ['ctrl+t']});
    await eventually(() => expect(frame()).toContain('alpha'));
    await press(':');
    await eventually(() => expect(frame()).toContain('Command palette (^T completes'));
    await settle();
    await press('topo');
    await press('\t');
    await settle();
    expect(frame()).toContain(':topo█');
    await press('\u0014');
    await eventually(() => expect(frame()).toContain(':topology█'));
  });
});

describe('the filter', () => {
  it('is kept with the rebound key, and Enter no longer keeps it', async () => {
    const {frame, press} = start({filterAccept: ['tab']});
    await eventually(() => expect(frame()).toContain('alpha'));
    await press('/');
    await press('alp');
    await eventually(() => expect(frame()).toContain('alp█'));
    expect(frame()).toContain('Tab keep  Esc clear');
    await press(enter);
    await settle();
    expect(frame()).toContain('alp█');
    await press('\t');
    await eventually(() => expect(frame()).not.toContain('█'));
    expect(frame()).toContain('1 Containers (1/1)  filter: alp');
  });
});

describe('a wizard', () => {
  function flow(overrides: Record<string, readonly string[]>, fields: ActionForm['fields'] = [{kind: 'toggle', name: 'sure', label: 'Sure?'}]) {
    const log = {started: 0, closed: [] as string[]};
    const form: ActionForm = {
      title: 'Toggle action',
      fields,
      async prepare(_engine, values) {
        return {
          preview: {title: `Sure: ${values['sure']}; name: ${values['name']}`, steps: ['wait'], warnings: [], isDestructive: false},
          async * job(_port, signal) {
            log.started++;
            yield {type: 'step', title: 'Waiting'};
            await new Promise<void>(resolve => signal.addEventListener('abort', () => resolve()));
            throw new Error('aborted');
          },
        };
      },
    };
    const {bindings} = applyKeyOverrides(baseBindings, overrides);
    const view = renderScreen(<ActionFlow form={form} engine={new FakeEngine()} width={80} height={20} theme={themeFor({NO_COLOR: '1'})} bindings={bindings} onClose={result => log.closed.push(result.outcome)} />);
    cleanup = () => view.unmount();
    const press = async (keys: string) => {
      view.stdin.write(keys);
      await new Promise(resolve => setTimeout(resolve, 60));
    };

    return {log, press, frame: () => view.lastFrame() ?? ''};
  }

  it('answers, confirms and cancels with the rebound keys only', async () => {
    const {log, press, frame} = flow({answerYes: ['+'], confirm: ['g'], cancel: ['ctrl+x']});
    await eventually(() => expect(frame()).toContain('Sure?'));
    expect(frame()).toContain('Space or +/n switches');
    await settle();
    await press('y');
    await press(enter);
    await eventually(() => expect(frame()).toContain('Sure: no'));
    expect(frame()).toContain('g: go ahead   ^X: cancel');
    await press('y');
    await press(escape);
    await settle();
    expect(log.started + log.closed.length).toBe(0);
    await press('g');
    await eventually(() => expect(frame()).toContain('Waiting'));
    await press(escape);
    await settle();
    expect(log.closed).toEqual([]);
    await press('\u0018');
    await eventually(() => expect(frame()).toContain('Cancelled'));
    expect(log.started).toBe(1);
  });

  it('types a letter the config binds to cancel into a text question; the preview takes it as cancel', async () => {
    const {log, press, frame} = flow({cancel: ['n', 'escape']}, [{kind: 'text', name: 'name', label: 'Name'}]);
    await eventually(() => expect(frame()).toContain('Name'));
    await settle();
    for (const key of 'ann') {
      await press(key);
    }

    await eventually(() => expect(frame()).toContain('ann'));
    expect(log.closed).toEqual([]);
    await press(enter);
    await eventually(() => expect(frame()).toContain('name: ann'));
    await settle();
    await press('n');
    await eventually(() => expect(log.closed).toEqual(['cancelled']));
    expect(log.started).toBe(0);
  });

  it('takes the rebound yes key in a yes/no question', async () => {
    const {press, frame} = flow({answerYes: ['+']});
    await eventually(() => expect(frame()).toContain('Sure?'));
    await settle();
    await press('+');
    await press(enter);
    await eventually(() => expect(frame()).toContain('Sure: yes'));
  });
});

describe('the topology view', () => {
  it('says its rebound keys in its title', async () => {
    const {frame, press} = start({down: ['J'], back: ['Q']});
    await eventually(() => expect(frame()).toContain('alpha'));
    await press('T');
    await eventually(() => expect(frame()).toContain('(J/k scroll, Q closes)'));
    await press('Q');
    await eventually(() => expect(frame()).not.toContain('Topology: networks'));
  });
});

describe('the messages that name a key', () => {
  it('name the rebound one: reveal secrets in the details and its flash, clear a filter that matches nothing', async () => {
    const {frame, press} = start({revealSecrets: ['z'], back: ['ctrl+x']});
    await eventually(() => expect(frame()).toContain('alpha'));
    await press(enter);
    await eventually(() => expect(frame()).toContain('(z reveals)'));
    await press('z');
    await eventually(() => expect(frame()).toContain('Secret values revealed: z masks them again.'));
    await press('\u0018');
    await press('/');
    for (const key of 'nomatch') {
      await press(key);
    }

    await eventually(() => expect(frame()).toContain('Nothing matches "nomatch" (^X clears the filter).'));
  });
});

describe('the help and topology views', () => {
  it('jump to the last line with G and back to the first with g', async () => {
    const {frame, press} = start();
    await eventually(() => expect(frame()).toContain('alpha'));
    await press('?');
    await eventually(() => expect(frame()).toContain('changes the engine: asks first'));
    await press('G');
    await eventually(() => expect(frame()).toMatch(/close help\s+\[back\]/));
    expect(frame()).not.toContain('changes the engine: asks first');
    await press('g');
    await eventually(() => expect(frame()).toContain('changes the engine: asks first'));
  });
});
