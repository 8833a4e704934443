// A fix offered on a wizard's result screen opens as a wizard of its own.
import {afterEach, describe, expect, it} from 'vitest';
import {renderApp} from '../helpers/render-app.js';
import {FakeEngine, eventually, fakeContainer, fakeNetwork} from '../helpers/fake-engine.js';

const enter = '\r';
// A question takes keys once React has run its effects, a moment after it shows.
const settle = async () => new Promise(resolve => setTimeout(resolve, 150));
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/**
 * Asks the doctor from alpha (the first row) to beta, which is in none mode, and runs the first fix it
 * proposes ("Switch beta to `proposed`"): the frame once that fix's wizard shows its question.
 */
async function openDoctorsFix(engine: FakeEngine, proposed: string): Promise<() => string> {
  const app = renderApp(engine);
  cleanup = app.unmount;
  const {frame, press} = app;
  await eventually(() => expect(frame()).toContain('alpha'));
  await press('w');
  await eventually(() => expect(frame()).toContain('beta  — running, none'));
  await settle();
  await press(enter);
  await eventually(() => expect(frame()).toContain('TCP port'));
  await settle();
  await press(enter);
  await eventually(() => expect(frame()).toContain('y or Enter: go ahead'));
  await settle();
  await press('y');
  await eventually(() => expect(frame()).toMatch(new RegExp(`\\n\\s+1\\s+Switch beta to ${proposed}`)));
  // The doctor worked, but what it found is bad news: marked ✕ as the CLI marks it, not ✓.
  expect(frame()).toMatch(/✕ alpha cannot reach beta/);
  expect(frame()).not.toMatch(/✓ alpha cannot reach/);
  await settle();
  await press('1');
  await eventually(() => expect(frame()).toContain('Network mode (1 of 1)'));
  return frame;
}

describe('a follow-up fix on a result screen', () => {
  it('opens its own wizard when its number is pressed', async () => {
    const engine = new FakeEngine();
    engine.containers = [fakeContainer('alpha'), fakeContainer('beta', {networkMode: 'none', networks: []})];
    engine.networks = [fakeNetwork('bridge'), fakeNetwork('appnet')];
    const frame = await openDoctorsFix(engine, 'bridge');
    // The fix's own wizard, at its first question: not the doctor's result under the fix's title.
    expect(frame()).toContain('Switch beta\'s network mode');
    expect(frame()).not.toContain('Enter or Esc closes');
  });

  it('opens on the mode the fix proposes, not on the first of the list', async () => {
    const engine = new FakeEngine();
    const onAppnet = [{name: 'appnet', networkId: 'net-appnet', ipv4: '172.20.0.2', gateway: '172.20.0.1', mac: '02:42:ac:14:00:02', aliases: [], links: []}];
    engine.containers = [fakeContainer('alpha', {networkMode: 'appnet', networks: onAppnet}), fakeContainer('beta', {networkMode: 'none', networks: []})];
    engine.networks = [fakeNetwork('bridge'), fakeNetwork('appnet')];
    const frame = await openDoctorsFix(engine, 'appnet');
    // bridge comes first in the list; the cursor is on appnet.
    await eventually(() => expect(frame()).toMatch(/❯ appnet \(bridge network\)/));
    expect(frame()).toMatch(/^\s*bridge \(the default bridge\)/m);
  });
});

describe('an action that cannot apply to the row', () => {
  it('says so at once, before any question: backing up a container that mounts no volume', async () => {
    const engine = new FakeEngine();
    engine.containers = [fakeContainer('alpha'), fakeContainer('beta', {mounts: [{type: 'volume', name: 'data', source: '/var/lib/docker/volumes/data/_data', destination: '/data', isReadWrite: true}]})];
    const app = renderApp(engine);
    cleanup = app.unmount;
    const {frame, press} = app;
    await eventually(() => expect(frame()).toContain('alpha'));
    await press('b');
    await eventually(() => expect(frame()).toContain('alpha mounts no volumes'));
    expect(frame()).not.toContain('Folder for the archives');
    await press('j');
    await press('b');
    await eventually(() => expect(frame()).toContain('Folder for the archives'));
  });
});
