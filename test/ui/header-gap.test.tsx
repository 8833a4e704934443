// The header: the docker context and the engine, its left part cut with '…' at a narrow width keeping a space before the connection state.
import {render} from 'ink-testing-library';
import React from 'react';
import {expect, it} from 'vitest';
import {Header} from '../../source/ui/Header.js';
import {themeFor} from '../../source/ui/theme.js';

it('never runs the engine text into the connection state', () => {
  const info = {version: '20.10.24+dfsg1', apiVersion: '1.41'} as never;
  for (const width of [70, 80, 100]) {
    const view = render(<Header address="unix:///root/.local/state/hawser/sandbox/docker.sock" connection={{state: 'connected', info}} width={width} theme={themeFor({NO_COLOR: '1'})} isReadOnly={false} />);
    const line = view.lastFrame() ?? '';
    view.unmount();
    expect(line, line).toMatch(/… ● live *$/);
    expect([...line].length).toBeLessThanOrEqual(width);
  }
});

it('names the docker context in use before the address, and none when the engine was given otherwise', () => {
  const info = {version: '28.5.2', apiVersion: '1.51'} as never;
  const line = (context?: string) => {
    const view = render(<Header address="ssh://deploy@prod" context={context} connection={{state: 'connected', info}} width={120} theme={themeFor({NO_COLOR: '1'})} isReadOnly={false} />);
    const text = view.lastFrame() ?? '';
    view.unmount();
    return text;
  };

  expect(line('prod')).toMatch(/^ hawser · context prod · ssh:\/\/deploy@prod · Engine 28\.5\.2/);
  expect(line()).toMatch(/^ hawser · ssh:\/\/deploy@prod · Engine/);
});
