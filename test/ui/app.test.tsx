import {afterEach, describe, expect, it} from 'vitest';
import {EngineError} from '../../source/engine/errors.js';
import {renderApp} from '../helpers/render-app.js';
import {FakeEngine, eventually, fakeContainer, fakeNetwork, fakeVolume} from '../helpers/fake-engine.js';

const down = '\u001B[B';
const enter = '\r';
const escape = '\u001B';
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function start(engine: FakeEngine) {
  const app = renderApp(engine, {}, 30);
  cleanup = app.unmount;
  return app;
}

function seeded() {
  const engine = new FakeEngine();
  engine.containers = [
    fakeContainer('mysql', {ports: [{privatePort: 3306, protocol: 'tcp'}]}),
    fakeContainer('nginx', {ports: [{privatePort: 80, publicPort: 8080, protocol: 'tcp'}]}),
    fakeContainer('sidecar', {networkMode: `container:${'nginx'.padEnd(12, '0')}${'f'.repeat(52)}`, networks: []}),
  ];
  engine.env = {mysql: ['MYSQL_ROOT_PASSWORD=server', 'TZ=UTC']};
  engine.networks = [fakeNetwork('bridge', {ipam: [{subnet: '172.17.0.0/16', gateway: '172.17.0.1'}]}), fakeNetwork('appnet', {isInternal: true})];
  engine.volumes = [fakeVolume('mysql-data')];
  return engine;
}

describe('the TUI on a fake engine', () => {
  it('shows the three panels with their rows and the engine in the header', async () => {
    const {frame} = start(seeded());
    await eventually(() => expect(frame()).toContain('nginx'));
    expect(frame()).toContain('1 Containers (3)');
    expect(frame()).toContain('2 Networks (2)');
    expect(frame()).toContain('3 Volumes (1)');
    expect(frame()).toContain('8080→80');
    expect(frame()).toContain('container:nginx');
    expect(frame()).toContain('Engine 99.0.0-fake');
  });

  it('opens details with the secret masked, and x reveals it', async () => {
    const {frame, press} = start(seeded());
    await eventually(() => expect(frame()).toContain('mysql'));
    await press(enter);
    await eventually(() => expect(frame()).toContain('MYSQL_ROOT_PASSWORD'));
    expect(frame()).not.toContain('server');
    expect(frame()).toContain('TZ');
    await press('x');
    await eventually(() => expect(frame()).toMatch(/MYSQL_ROOT_PASSWORD\s+server/));
    await press(escape);
    await eventually(() => expect(frame()).toContain('1 Containers'));
  });

  it('moves the selection with j and shows that item\'s details', async () => {
    const {frame, press} = start(seeded());
    await eventually(() => expect(frame()).toContain('nginx'));
    await press('j');
    await press(enter);
    await eventually(() => expect(frame()).toContain('8080→80'));
    expect(frame()).toMatch(/nginx\n/);
    expect(frame()).toContain('shares net with');
  });

  it('filters the focused panel with / and clears with Esc', async () => {
    const {frame, press} = start(seeded());
    await eventually(() => expect(frame()).toContain('sidecar'));
    await press('/');
    await press('mysq');
    await eventually(() => expect(frame()).toContain('1 Containers (1/3)'));
    expect(frame()).not.toContain('nginx');
    await press(enter);
    expect(frame()).toContain('filter: mysq');
    await press(escape);
    await eventually(() => expect(frame()).toContain('1 Containers (3)'));
  });

  it('keeps the row the filter led to selected when the filter is cleared', async () => {
    const {frame, press} = start(seeded());
    await eventually(() => expect(frame()).toContain('sidecar'));
    await press('/');
    await press('side');
    await press(enter);
    await press(escape);
    await eventually(() => expect(frame()).toContain('1 Containers (3)'));
    await press(enter);
    await eventually(() => expect(frame()).toMatch(/Details[^\n]*\n[^\n]*sidecar/));
  });

  it('switches panels with Tab and numbers, and shows the network details', async () => {
    const {frame, press} = start(seeded());
    await eventually(() => expect(frame()).toContain('appnet'));
    await press('2');
    await press(down);
    await press(enter);
    await eventually(() => expect(frame()).toContain('internal'));
    expect(frame()).toContain('yes: no route out of the host');
  });

  it('moves between panels with ←/→ and [/], as lazydocker does', async () => {
    const {frame, press} = start(seeded());
    await eventually(() => expect(frame()).toContain('appnet'));
    const right = '\u001B[C';
    const left = '\u001B[D';
    await press(right);
    await press(down);
    await press(enter);
    await eventually(() => expect(frame()).toContain('yes: no route out of the host'));
    await press(escape);
    await press(']');
    await press('[');
    await press(enter);
    await eventually(() => expect(frame()).toContain('yes: no route out of the host'));
    await press(escape);
    await press(left);
    await press(enter);
    await eventually(() => expect(frame()).toContain('network mode'));
    expect(frame()).not.toContain('no route out of the host');
  });

  it('shows help generated from the key table', async () => {
    const {frame, press} = start(seeded());
    await eventually(() => expect(frame()).toContain('nginx'));
    await press('?');
    await eventually(() => expect(frame()).toContain('Help: keys'));
    expect(frame()).toContain('reveal or mask secret env values');
    await press(escape);
    await eventually(() => expect(frame()).toContain('1 Containers'));
  });

  it('updates live when the engine reports a change', async () => {
    const engine = seeded();
    const {frame} = start(engine);
    await eventually(() => expect(frame()).toContain('nginx'));
    const redis = fakeContainer('redis');
    engine.containers.push(redis);
    engine.emit({type: 'container', action: 'create', id: redis.id});
    await eventually(() => expect(frame()).toContain('redis'));
    expect(frame()).toContain('1 Containers (4)');
  });

  it('says which address failed, why, and what to do, when the engine is unreachable', async () => {
    const engine = seeded();
    engine.failure = new EngineError('Permission denied on unix:///fake.sock.', 'Run hawser as a member of the docker group.', undefined, 'unreachable');
    const {frame} = start(engine);
    await eventually(() => expect(frame()).toContain('Cannot reach the Docker engine at unix:///fake.sock'));
    expect(frame()).toContain('Permission denied');
    expect(frame()).toContain('docker group');
    expect(frame()).toMatch(/Retrying/);
    engine.failure = undefined;
    await eventually(() => expect(frame()).toContain('1 Containers (3)'));
  });
});
