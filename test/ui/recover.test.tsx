import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {hostname, tmpdir} from 'node:os';
import path from 'node:path';
import {render} from 'ink-testing-library';
import React from 'react';
import {describe, expect, it} from 'vitest';
import {App} from '../../source/ui/App.js';
import {FakeEngine, eventually, fakeContainer} from '../helpers/fake-engine.js';

describe('an operation an earlier hawser left half-done', () => {
  it('is offered for roll back or finish as soon as the TUI opens', async () => {
    const state = mkdtempSync(path.join(tmpdir(), 'hawser-state-'));
    process.env['HAWSER_STATE_DIR'] = state;
    mkdirSync(path.join(state, 'journal'));
    const now = new Date().toISOString();
    writeFileSync(path.join(state, 'journal', 'recreate-web-abc123.json'), JSON.stringify({
      version: 1, kind: 'recreate', id: 'recreate-web-abc123', engine: 'unix:///fake.sock', name: 'web', oldId: 'a'.repeat(64),
      temporaryName: 'web-hawser-new-abc123', asideName: 'web-hawser-old-abc123', restartPolicy: {Name: 'always'}, wasRunning: true,
      hasHealthcheck: false, extraNetworks: [], purpose: 'switch web to host mode', step: 'renamed-old', pid: 2_147_483_000, host: hostname(), startedAt: now, updatedAt: now,
    }));
    const engine = new FakeEngine();
    engine.containers = [fakeContainer('web-hawser-old-abc123')];
    const view = render(<App engine={engine} origin="test" syncOptions={{coalesceMs: 5, backoffMs: [50]}} />);
    try {
      await eventually(() => expect(view.lastFrame()).toContain('Unfinished: switch web to host mode'));
      await eventually(() => expect(view.lastFrame()).toContain('Roll back'));
      expect(view.lastFrame()).toContain('Finish');
    } finally {
      view.unmount();
    }
  });
});
