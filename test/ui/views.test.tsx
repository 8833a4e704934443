import {render} from 'ink-testing-library';
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/App.js';
import {renderApp} from '../helpers/render-app.js';
import {FakeEngine, eventually, fakeContainer} from '../helpers/fake-engine.js';

const escape = '\u001B';
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function start() {
  const engine = new FakeEngine();
  engine.containers = [fakeContainer('zeta', {state: 'exited'}), fakeContainer('alpha'), fakeContainer('mike')];
  engine.env = {alpha: ['DB_PASSWORD=hunter2', 'TZ=UTC']};
  engine.logs = {alpha: ['starting', 'listening on :80', 'error: disk full', 'recovered']};
  const app = renderApp(engine);
  cleanup = app.unmount;
  return app;
}

const rowOrder = (frame: string) => ['alpha', 'mike', 'zeta'].sort((a, b) => frame.indexOf(` ${a} `) - frame.indexOf(` ${b} `));

describe('views and conventions', () => {
  it('sorts by a column with o and reverses with O', async () => {
    const {frame, press} = start();
    await eventually(() => expect(frame()).toContain('zeta'));
    // The default order puts running containers first.
    expect(rowOrder(frame())).toEqual(['alpha', 'mike', 'zeta']);
    await press('O');
    await eventually(() => expect(rowOrder(frame())).toEqual(['zeta', 'mike', 'alpha']));
  });

  it('shows the inspect JSON with secrets masked until x', async () => {
    const {frame, press} = start();
    await eventually(() => expect(frame()).toContain('alpha'));
    await press('i');
    await eventually(() => expect(frame()).toContain('"DB_PASSWORD=••••••••"'));
    expect(frame()).not.toContain('hunter2');
    await press('x');
    await eventually(() => expect(frame()).toContain('DB_PASSWORD=hunter2'));
    await press(escape);
    await eventually(() => expect(frame()).toContain('1 Containers'));
  });

  it('follows logs and searches them', async () => {
    const {frame, press} = start();
    await eventually(() => expect(frame()).toContain('alpha'));
    await press('l');
    await eventually(() => expect(frame()).toContain('error: disk full'));
    expect(frame()).toContain('following');
    await press('/');
    await press('disk');
    await press('\r');
    await eventually(() => expect(frame()).toContain('"disk": match 1 of 1'));
    await press(escape);
    await press(escape);
    await eventually(() => expect(frame()).toContain('1 Containers'));
  });

  it('runs commands from the palette, with completion', async () => {
    const {frame, press} = start();
    await eventually(() => expect(frame()).toContain('alpha'));
    await press(':');
    await eventually(() => expect(frame()).toContain('Command palette'));
    // The palette subscribes to keys once React has run its effects, a moment after it shows.
    await new Promise(resolve => setTimeout(resolve, 100));
    await press('topo');
    await press('\t');
    await eventually(() => expect(frame()).toContain(':topology'));
    await press('\r');
    await eventually(() => expect(frame()).toContain('Topology: networks'));
  });
});

describe('marking rows', () => {
  it('marks rows with Space and runs one action on all of them', async () => {
    const {frame, press} = start();
    await eventually(() => expect(frame()).toContain('alpha'));
    await press(' ');
    await press(' ');
    await eventually(() => expect(frame()).toContain('2 marked'));
    expect(frame()).toMatch(/•alpha/);
    expect(frame()).toMatch(/•mike/);
    await press('D');
    await eventually(() => expect(frame()).toContain('2 containers:'));
    // Each item is a step of the whole preview, not a question of its own.
    expect(frame()).toMatch(/Force-remove alpha\n/);
    expect(frame()).toMatch(/Force-remove mike\n/);
    expect(frame()).not.toContain('Force-remove alpha?');
    await press('n');
    await eventually(() => expect(frame()).toContain('Cancelled: nothing was changed.'));
  });
});

describe('mouse, when switched on', () => {
  it('selects the clicked row and focuses its panel; the wheel moves the selection', async () => {
    const engine = new FakeEngine();
    engine.containers = [fakeContainer('alpha'), fakeContainer('mike'), fakeContainer('zeta')];
    const view = render(<App engine={engine} origin="test" isMouseOn syncOptions={{coalesceMs: 5, backoffMs: [50]}} />);
    try {
      const frame = () => view.lastFrame() ?? '';
      await eventually(() => expect(frame()).toContain('zeta'));
      // Rows: 1 header, 2 panel title, 3 column titles, 4 alpha, 5 mike, 6 zeta.
      view.stdin.write('\u001B[<0;5;6M');
      await new Promise(resolve => setTimeout(resolve, 60));
      view.stdin.write('\r');
      await eventually(() => expect(frame()).toMatch(/Details[\s\S]*zeta/));
      view.stdin.write('\u001B');
      await new Promise(resolve => setTimeout(resolve, 60));
      view.stdin.write('\u001B[<64;5;5M');
      await new Promise(resolve => setTimeout(resolve, 60));
      view.stdin.write('\r');
      await eventually(() => expect(frame()).toMatch(/Details[\s\S]*\n alpha\n/));
    } finally {
      view.unmount();
    }
  });
});
