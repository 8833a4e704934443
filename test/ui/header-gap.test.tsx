// The header's left part, cut with '…' at a narrow width, keeps a space before the connection state.
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
