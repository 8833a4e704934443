// Sorting a list with o / O: columns whose text is not their order sort by value (sizes by bytes), and the
// selected item stays selected across a sort, also on a fresh panel where it is only the first row.
import {afterEach, describe, expect, it} from 'vitest';
import {renderApp} from '../helpers/render-app.js';
import {FakeEngine, eventually, fakeContainer, fakeVolume} from '../helpers/fake-engine.js';

const enter = '\r';
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** A fake engine whose volumes have the sizes given (-1: the driver does not say). */
class SizedEngine extends FakeEngine {
  constructor(readonly sizes: Readonly<Record<string, number>>) {
    super();
    this.volumes = Object.keys(sizes).map(name => fakeVolume(name));
  }

  override async volumeUsage() {
    await super.volumeUsage();
    return this.volumes.map(v => ({name: v.name, size: this.sizes[v.name] ?? -1, refCount: 0}));
  }
}

/** The volume rows of the frame, top to bottom: name and size. */
function volumeRows(frame: string): string[] {
  const lines = frame.split('\n');
  const start = lines.findIndex(line => /^ 3 Volumes/.test(line));
  return lines.slice(start + 2).filter(line => line.startsWith(' vol-')).map(line => {
    const cells = line.trim().split(/\s+/);
    return `${cells[0]} ${cells.slice(2, -1).join(' ')}`;
  });
}

describe('sorting by a column whose text is not its order', () => {
  it('sorts volumes by size in bytes, unknown sizes last, and O reverses that', async () => {
    const engine = new SizedEngine({
      'vol-empty': 0, 'vol-big': 1_050_000_000, 'vol-three': 3, 'vol-unknown': -1,
      'vol-kb': 8920, 'vol-seventeen': 17, 'vol-bigger': 2_000_000_000, 'vol-mid': 307_000,
    });
    const {frame, press, unmount} = renderApp(engine);
    cleanup = unmount;
    await press('3');
    await eventually(() => expect(frame()).toContain('1.05 GB'));
    for (let i = 0; i < 3; i++) {
      await press('o');
    }

    await eventually(() => expect(frame()).toMatch(/SIZE ▲/));
    expect(volumeRows(frame())).toEqual([
      'vol-empty 0 B', 'vol-three 3 B', 'vol-seventeen 17 B', 'vol-kb 8.92 kB', 'vol-mid 307 kB',
      'vol-big 1.05 GB', 'vol-bigger 2 GB', 'vol-unknown -',
    ]);
    await press('O');
    await eventually(() => expect(frame()).toMatch(/SIZE ▼/));
    expect(volumeRows(frame())).toEqual([
      'vol-unknown -', 'vol-bigger 2 GB', 'vol-big 1.05 GB', 'vol-mid 307 kB', 'vol-kb 8.92 kB',
      'vol-seventeen 17 B', 'vol-three 3 B', 'vol-empty 0 B',
    ]);
  });

  it('sorts containers by STATE as the list ranks states (running first), not alphabetically', async () => {
    const engine = new FakeEngine();
    engine.containers = [fakeContainer('s-exited', {state: 'exited'}), fakeContainer('s-paused', {state: 'paused'}), fakeContainer('s-running')];
    const {frame, press, unmount} = renderApp(engine);
    cleanup = unmount;
    await eventually(() => expect(frame()).toContain('s-paused'));
    await press('o');
    await press('o');
    await eventually(() => expect(frame()).toMatch(/STATE ▲/));
    const rows = () => frame().split('\n').filter(line => /^ s-/.test(line)).map(line => line.trim().split(' ')[0]);
    expect(rows()).toEqual(['s-running', 's-paused', 's-exited']);
    await press('O');
    await eventually(() => expect(frame()).toMatch(/STATE ▼/));
    expect(rows()).toEqual(['s-exited', 's-paused', 's-running']);
  });
});

describe('the selection across a sort', () => {
  /** Running mike and zulu come first in the kind's own order; o sorts exited alpha above them. */
  function engine() {
    const fake = new FakeEngine();
    fake.containers = [fakeContainer('zulu'), fakeContainer('alpha', {state: 'exited'}), fakeContainer('mike')];
    return fake;
  }

  /** The container rows of the frame, top to bottom. */
  const containerRows = (frame: string) => frame.split('\n').filter(line => /^ (alpha|mike|zulu) /.test(line)).map(line => line.trim().split(' ')[0]);

  it('stays on the first row\'s item when nothing was selected yet', async () => {
    const {frame, press, unmount} = renderApp(engine());
    cleanup = unmount;
    await eventually(() => expect(containerRows(frame())).toEqual(['mike', 'zulu', 'alpha']));
    await press('o');
    await eventually(() => expect(containerRows(frame())).toEqual(['alpha', 'mike', 'zulu']));
    // The details show the item that was on the first row before the sort, not the new first row.
    await press(enter);
    await eventually(() => expect(frame()).toMatch(/Details[^\n]*\n[^\n]*mike/));
  });

  it('stays on the first row\'s item when O reverses a fresh panel', async () => {
    const {frame, press, unmount} = renderApp(engine());
    cleanup = unmount;
    await eventually(() => expect(containerRows(frame())).toEqual(['mike', 'zulu', 'alpha']));
    await press('O');
    await eventually(() => expect(containerRows(frame())).toEqual(['zulu', 'mike', 'alpha']));
    await press(enter);
    await eventually(() => expect(frame()).toMatch(/Details[^\n]*\n[^\n]*mike/));
  });

  it('keeps following the item on later sorts and moves from it', async () => {
    const {frame, press, unmount} = renderApp(engine());
    cleanup = unmount;
    await eventually(() => expect(containerRows(frame())).toEqual(['mike', 'zulu', 'alpha']));
    await press('o');
    await press('O');
    await eventually(() => expect(containerRows(frame())).toEqual(['zulu', 'mike', 'alpha']));
    // j moves one row down from mike, the item selected all along: alpha.
    await press('j');
    await press(enter);
    await eventually(() => expect(frame()).toMatch(/Details[^\n]*\n[^\n]*alpha/));
  });
});
