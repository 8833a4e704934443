import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {hostname, tmpdir} from 'node:os';
import path from 'node:path';
import {render} from 'ink-testing-library';
import React from 'react';
import {describe, expect, it} from 'vitest';
import {App} from '../../source/ui/App.js';
import {helperLabel, helperOwnerLabel} from '../../source/jobs/helpers/leftovers.js';
import {FakeEngine, eventually, fakeContainer, fakeVolume} from '../helpers/fake-engine.js';

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

  it('offers to clean up what a dead hawser left, found in the lists the TUI loaded (no second listing)', async () => {
    process.env['HAWSER_STATE_DIR'] = mkdtempSync(path.join(tmpdir(), 'hawser-state-'));
    // A pid that cannot be running: its owner is gone.
    const deadOwner = {[helperLabel]: '1', [helperOwnerLabel]: `${hostname()}:2147483000`};
    const engine = new FakeEngine();
    engine.containers = [fakeContainer('web'), fakeContainer('hawser-helper-dead', {labels: deadOwner})];
    engine.volumes = [fakeVolume('data'), fakeVolume('hawser-probe-dead', {labels: deadOwner})];
    const view = render(<App engine={engine} origin="test" syncOptions={{coalesceMs: 5, backoffMs: [50]}} />);
    try {
      await eventually(() => expect(view.lastFrame()).toContain('Clean up after interrupted hawser runs'));
      await eventually(() => expect(view.lastFrame()).toMatch(/hawser-helper-dead[\s\S]*hawser-probe-dead/));
      expect(view.lastFrame()).not.toMatch(/Remov\w* (helper|volume) (web|data)\b/);
      expect(engine.calls.filter(call => call === 'listContainers')).toHaveLength(1);
      expect(engine.calls.filter(call => call === 'listVolumes')).toHaveLength(1);
    } finally {
      view.unmount();
    }
  });
});
