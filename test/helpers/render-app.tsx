// The TUI on a fake engine, as the UI tests drive it: the last frame, and keys pressed with a pause.
import {render} from 'ink-testing-library';
import React from 'react';
import {App, type AppProps} from '../../source/ui/App.js';
import {KeyRoot} from '../../source/ui/key-root.js';
import type {FakeEngine} from './fake-engine.js';

/** Renders the App on `engine` (fast sync delays); `unmount` it after the test. */
export function renderApp(engine: FakeEngine, props: Partial<AppProps> = {}, pauseMs = 40) {
  const view = render(<App engine={engine} origin="test" syncOptions={{coalesceMs: 5, backoffMs: [50]}} {...props} />);
  const frame = () => view.lastFrame() ?? '';
  const press = async (keys: string) => {
    view.stdin.write(keys);
    await new Promise(resolve => setTimeout(resolve, pauseMs));
  };

  return {view, frame, press, unmount: () => view.unmount()};
}

/** Renders one screen (a wizard...) on its own, below a KeyRoot as the App holds its screens: keys reach it as in the TUI. */
export function renderScreen(tree: React.ReactElement) {
  return render(<KeyRoot>{tree}</KeyRoot>);
}
