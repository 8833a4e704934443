// The backup wizard asks what to do with the containers using the volume only when some do, and names them.
import {afterEach, describe, expect, it} from 'vitest';
import {renderApp} from '../helpers/render-app.js';
import {FakeEngine, eventually, fakeContainer, fakeVolume} from '../helpers/fake-engine.js';

const enter = '\r';
const settle = async () => new Promise(resolve => setTimeout(resolve, 150));
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function toThirdQuestion(volumeRow: number, state: 'running' | 'created' = 'running') {
  const engine = new FakeEngine();
  engine.containers = [fakeContainer('web', {state, mounts: [{type: 'volume', name: 'data', source: '/var/lib/docker/volumes/data/_data', destination: '/data', isReadWrite: true}]})];
  engine.volumes = [fakeVolume('data'), fakeVolume('lonely')];
  const app = renderApp(engine);
  cleanup = app.unmount;
  const {frame, press} = app;
  await eventually(() => expect(frame()).toContain('lonely'));
  await press('3');
  for (let i = 0; i < volumeRow; i++) {
    await press('j');
  }

  await press('b');
  await eventually(() => expect(frame()).toContain('Archive file or folder'));
  await settle();
  await press(enter);
  await eventually(() => expect(frame()).toContain('Compress (gzip)'));
  await settle();
  await press(enter);
  return frame;
}

describe('the backup wizard', () => {
  it('names the containers using the volume in its question', async () => {
    const frame = await toThirdQuestion(0);
    await eventually(() => expect(frame()).toContain('Stop web during the backup'));
    expect(frame()).toContain('Containers using the volume (3 of 3)');
  });

  it('does not ask about containers when none uses the volume: it goes on to the preview', async () => {
    const frame = await toThirdQuestion(1);
    await eventually(() => expect(frame()).toMatch(/y or Enter: go ahead/));
    expect(frame()).toContain('lonely');
    expect(frame()).not.toContain('Containers using the volume');
  });

  it('does not ask about containers when the ones using the volume are not running (nothing to stop or pause)', async () => {
    const frame = await toThirdQuestion(0, 'created');
    await eventually(() => expect(frame()).toMatch(/y or Enter: go ahead/));
    expect(frame()).not.toContain('Containers using the volume');
    expect(frame()).not.toContain('Stop web');
  });
});
