// The logs view's reading options and its file (#24), on the fake engine: t timestamps, S since, L tail,
// w wrap, s save. Each key's effect on the frame, the prompts' refusals, what the engine was asked for,
// and the file read back.
import {mkdtemp, readFile, readdir, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {renderApp} from '../helpers/render-app.js';
import {FakeEngine, eventually, fakeContainer} from '../helpers/fake-engine.js';

const escape = '\u001B';
const enter = '\r';
const ctrlU = '\u0015';
const settle = () => new Promise(resolve => setTimeout(resolve, 100));
const lines60 = [...Array.from({length: 59}, (_, i) => `line ${i + 1}`), 'error: disk full'];
const pad = (value: number, length = 2) => String(value).padStart(length, '0');
/** How the view shows the fake engine's time of line `i` (local month-day and time to the millisecond). */
const shownTime = (engine: FakeEngine, i: number) => {
  const at = new Date(engine.logStartMs + (i * 1000));
  return `${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}.${pad(at.getMilliseconds(), 3)}`;
};

let cleanup: (() => void) | undefined;
let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'hawser-logs-home-'));
  vi.stubEnv('HOME', home);
});
afterEach(async () => {
  cleanup?.();
  vi.unstubAllEnvs();
  await rm(home, {recursive: true, force: true});
});

/** The TUI on one container, alpha, with these log lines; its logs open and taking keys. */
async function openLogs(logs: readonly string[] = lines60) {
  const engine = new FakeEngine();
  engine.containers = [fakeContainer('alpha')];
  engine.logs = {alpha: [...logs]};
  // A quarter second past the minute: the milliseconds show.
  engine.logStartMs += 250;
  const app = renderApp(engine);
  cleanup = app.unmount;
  await eventually(() => expect(app.frame()).toContain('alpha'));
  await app.press('l');
  await eventually(() => expect(app.frame()).toContain(logs.at(-1)));
  await settle();
  return {...app, engine};
}

/** The rows of text under the view's title, without the footer (the last row with text). */
const body = (frame: string) => {
  const rows = frame.split('\n').map(row => row.trimEnd());
  const title = rows.findIndex(row => row.startsWith(' Logs of '));
  const footer = rows.length - 1 - [...rows].reverse().findIndex(Boolean);
  return rows.slice(title + 1, footer);
};

describe('timestamps (t)', () => {
  it('reads the log again with the engine\'s timestamps and shows them compactly; t again takes them off', async () => {
    const {frame, press, engine} = await openLogs();
    expect(engine.logCalls).toEqual([{id: engine.containers[0]!.id, tail: 500}]);
    expect(frame()).toMatch(/Logs of alpha {2}41-60 of 60 {3}tail 500 *\n/);
    await press('t');
    await eventually(() => expect(frame()).toContain(`${shownTime(engine, 59)} error: disk full`));
    expect(engine.logCalls.at(-1)).toEqual({id: engine.containers[0]!.id, tail: 500, timestamps: true});
    expect(frame()).toContain('tail 500 · timestamps');
    expect(frame()).toContain('following (f pauses)');
    await press('t');
    await eventually(() => expect(body(frame()).at(-1)).toBe('error: disk full'));
    expect(engine.logCalls.at(-1)).toEqual({id: engine.containers[0]!.id, tail: 500});
    expect(frame()).not.toContain('timestamps');
  });

  it('keeps a paused view on the line it showed at the top', async () => {
    const {frame, press, engine} = await openLogs();
    await press('g');
    await press('j');
    await press('j');
    await eventually(() => expect(body(frame())[0]).toBe('line 3'));
    await press('t');
    await eventually(() => expect(body(frame())[0]).toBe(`${shownTime(engine, 2)} line 3`));
    expect(frame()).toContain('paused (f follows)');
    expect(frame()).toMatch(/3-22 of 60/);
    await press('t');
    await eventually(() => expect(body(frame())[0]).toBe('line 3'));
  });
});

describe('since (S)', () => {
  it('refuses what is no time in the prompt, nothing read again; applies a time and shows it in the title', async () => {
    const {frame, press, engine} = await openLogs();
    await press('S');
    await eventually(() => expect(frame()).toContain('since: █  10m, 2h, 1d or a time: 2026-12-07 10:00 (empty: none)   Enter applies, Esc cancels'));
    await press('10x');
    await press(enter);
    await eventually(() => expect(frame()).toContain('since: 10x█  ✗ "10x" is neither a duration nor a time: type 10m, 2h, 1d'));
    await press(ctrlU);
    await press('2099-01-01 10:00');
    await press(enter);
    await eventually(() => expect(frame()).toContain('✗ 2099-01-01 10:00:00 is still to come'));
    expect(engine.logCalls).toHaveLength(1);
    await press(ctrlU);
    // Line i was logged i seconds after the first: from the 51st line on.
    const from = new Date(engine.logStartMs + 50_000);
    await press(from.toISOString());
    await press(enter);
    await eventually(() => expect(body(frame())[0]).toBe('line 51'));
    // Without a tail of its own, a since takes every line from then on.
    expect(engine.logCalls.at(-1)).toEqual({id: engine.containers[0]!.id, tail: 'all', since: from.getTime() / 1000});
    expect(body(frame()).filter(Boolean)).toHaveLength(10);
    expect(frame()).toContain(`Logs of alpha   since ${from.getFullYear()}-${pad(from.getMonth() + 1)}-${pad(from.getDate())} ${pad(from.getHours())}:${pad(from.getMinutes())}:${pad(from.getSeconds())}\n`);
    // Empty clears it: the default tail again.
    await press('S');
    await press(enter);
    await eventually(() => expect(frame()).toMatch(/41-60 of 60 {3}tail 500 *\n/));
    expect(engine.logCalls.at(-1)).toEqual({id: engine.containers[0]!.id, tail: 500});
  });

  it('takes a duration back from now; Esc leaves everything as it was', async () => {
    const {frame, press, engine} = await openLogs();
    await press('S');
    await press('2h');
    await press(escape);
    await settle();
    expect(engine.logCalls).toHaveLength(1);
    expect(frame()).toContain('following (f pauses)');
    await press('S');
    await press('90m');
    const asked = Date.now() / 1000;
    await press(enter);
    await eventually(() => expect(engine.logCalls).toHaveLength(2));
    expect(engine.logCalls[1]!.since! - (asked - 5400)).toBeGreaterThanOrEqual(0);
    expect(engine.logCalls[1]!.since! - (asked - 5400)).toBeLessThan(2);
    // The fake's lines are older: none since then.
    await eventually(() => expect(frame()).toMatch(/no lines since 90m \(from [\d: -]+\) yet…/));
    expect(frame()).toMatch(/Logs of alpha {3}since 90m \(from [\d: -]+\) *\n/);
  });
});

describe('tail (L)', () => {
  it('refuses what is no number, then starts from the last lines asked for; all reads every line', async () => {
    const {frame, press, engine} = await openLogs();
    await press('L');
    await eventually(() => expect(frame()).toContain('tail: █  lines, or all (empty: 500)'));
    await press('ten');
    await press(enter);
    await eventually(() => expect(frame()).toContain('tail: ten█  ✗ "ten" is not a number of lines: type 200, or all'));
    expect(engine.logCalls).toHaveLength(1);
    await press(ctrlU);
    await press('5');
    await press(enter);
    await eventually(() => expect(body(frame()).filter(Boolean)).toEqual(['line 56', 'line 57', 'line 58', 'line 59', 'error: disk full']));
    expect(engine.logCalls.at(-1)).toEqual({id: engine.containers[0]!.id, tail: 5});
    expect(frame()).toMatch(/Logs of alpha {3}tail 5 *\n/);
    await press('L');
    await press('all');
    await press(enter);
    await eventually(() => expect(frame()).toMatch(/41-60 of 60 {3}all lines \(the last 5000 kept\) *\n/));
    expect(engine.logCalls.at(-1)).toEqual({id: engine.containers[0]!.id, tail: 'all'});
  });

  it('keeps no more than 5000 lines, whatever the tail', async () => {
    const {frame, press, engine} = await openLogs(Array.from({length: 6000}, (_, i) => `entry ${i + 1}`));
    await press('L');
    await press('all');
    await press(enter);
    await eventually(() => expect(frame()).toMatch(/4981-5000 of 5000 {3}all lines \(the last 5000 kept\)/));
    expect(engine.logCalls.at(-1)?.tail).toBe('all');
    await press('g');
    await eventually(() => expect(body(frame())[0]).toBe('entry 1001'));
  });
});

describe('wrap (w)', () => {
  // 140 characters: two rows of a 100-column terminal.
  const long = `start ${Array.from({length: 20}, (_, i) => `word${i + 1}`).join(' ')} end`;

  it('cuts long lines at the edge, or wraps them onto the next rows', async () => {
    const {frame, press} = await openLogs(['first', long, 'last']);
    expect(frame()).toContain('start word1');
    expect(frame()).not.toContain('word20 end');
    await press('w');
    await eventually(() => expect(frame()).toContain('word20 end'));
    expect(frame()).toContain('tail 500 · wrapped');
    expect(body(frame()).filter(Boolean)).toHaveLength(4);
    for (const row of frame().split('\n')) {
      expect(row.length).toBeLessThanOrEqual(100);
    }

    await press('w');
    await eventually(() => expect(frame()).not.toContain('word20 end'));
  });

  it('scrolls by row, jumps to matches by their first row, and keeps the line at the top when switched', async () => {
    const logs = [...Array.from({length: 30}, (_, i) => `${i + 1} ${long}`), 'needle here', ...Array.from({length: 30}, (_, i) => `after ${i + 1}`)];
    const {frame, press} = await openLogs(logs);
    await press('w');
    // 30 lines of two rows, then 31 of one: 91 rows.
    await eventually(() => expect(frame()).toMatch(/72-91 of 91/));
    await press('/');
    await press('needle');
    await press(enter);
    await eventually(() => expect(frame()).toContain('"needle": match 1 of 1'));
    // The match is near the middle of the view: 10 rows above it.
    expect(body(frame())[10]).toBe('needle here');
    expect(frame()).toMatch(/51-70 of 91/);
    await press('g');
    await press('j');
    // The second row of the first line.
    await eventually(() => expect(body(frame())[0]).toMatch(/^word\d+ .*word20 end$/));
    await press('j');
    await eventually(() => expect(body(frame())[0]).toMatch(/^2 start word1 /));
    // Unwrapped, the same line stays at the top.
    await press('w');
    await eventually(() => expect(frame()).toMatch(/2-21 of 61/));
    expect(body(frame())[0]).toMatch(/^2 start word1 /);
  });
});

describe('save (s)', () => {
  it('offers ~/hawser-logs/<container>-<time>.log and writes every line kept there, not only the screen', async () => {
    const {frame, press} = await openLogs();
    await press('s');
    await eventually(() => expect(frame()).toMatch(/save to: ~\/hawser-logs\/alpha-\d{8}-\d{6}\.log█ {3}Enter saves, Esc cancels/));
    const file = /~\/hawser-logs\/(alpha-\d{8}-\d{6}\.log)/.exec(frame())![1]!;
    await press(enter);
    await eventually(() => expect(frame()).toContain(`Saved 60 lines to ~/hawser-logs/${file}`));
    expect(await readFile(join(home, 'hawser-logs', file), 'utf8')).toBe(`${lines60.join('\n')}\n`);
    expect(await readdir(join(home, 'hawser-logs'))).toEqual([file]);
    // The next key takes the notice away.
    await press('k');
    await eventually(() => expect(frame()).toContain('paused (f follows)'));
  });

  it('writes the lines after since and tail, with the engine\'s own timestamps', async () => {
    const {frame, press, engine} = await openLogs();
    await press('L');
    await press('3');
    await press(enter);
    await press('t');
    await eventually(() => expect(frame()).toContain(`${shownTime(engine, 59)} error: disk full`));
    await press('s');
    await press(ctrlU);
    await press(join(home, 'out', 'three.log'));
    await press(enter);
    await eventually(() => expect(frame()).toContain('Saved 3 lines to ~/out/three.log'));
    const stamp = (i: number) => new Date(engine.logStartMs + (i * 1000)).toISOString().replace(/Z$/, '456789Z');
    expect(await readFile(join(home, 'out', 'three.log'), 'utf8')).toBe(`${stamp(57)} line 58\n${stamp(58)} line 59\n${stamp(59)} error: disk full\n`);
  });

  it('replaces an existing file only after a second Enter; says why it cannot write', async () => {
    const {frame, press} = await openLogs(['one', 'two']);
    const path = join(home, 'kept.log');
    await writeFile(path, 'precious\n');
    await press('s');
    await press(ctrlU);
    await press('~/kept.log');
    await press(enter);
    await eventually(() => expect(frame()).toContain('save to: ~/kept.log█  ✗ ~/kept.log exists: Enter again replaces it, or change the name'));
    expect(await readFile(path, 'utf8')).toBe('precious\n');
    // Changing the name asks again.
    await press('x');
    await press('\u007F');
    await press(enter);
    await eventually(() => expect(frame()).toContain('✗ ~/kept.log exists'));
    await press(enter);
    await eventually(() => expect(frame()).toContain('Saved 2 lines to ~/kept.log'));
    expect(await readFile(path, 'utf8')).toBe('one\ntwo\n');

    await press('s');
    await press(ctrlU);
    await press('~');
    await press(enter);
    await eventually(() => expect(frame()).toContain('✗ ~ is a folder: add a file name'));
    await press('/kept.log/inside.log');
    await press(enter);
    await eventually(() => expect(frame()).toContain('✗ Not saved to ~/kept.log/inside.log: a part of the path is a file, not a folder (ENOTDIR)'));
    expect(await readdir(home)).toEqual(['kept.log']);
  });

  it('refuses with nothing to save, and Esc saves nothing', async () => {
    const engine = new FakeEngine();
    engine.containers = [fakeContainer('alpha')];
    const app = renderApp(engine);
    cleanup = app.unmount;
    await eventually(() => expect(app.frame()).toContain('alpha'));
    await app.press('l');
    await eventually(() => expect(app.frame()).toContain('no output yet…'));
    await settle();
    await app.press('s');
    await eventually(() => expect(app.frame()).toContain('✗ No lines to save yet.'));
    engine.logs = {alpha: ['late']};
    await app.press('L');
    await app.press(enter);
    await eventually(() => expect(app.frame()).toContain('late'));
    await app.press('s');
    await app.press(escape);
    await settle();
    expect(app.frame()).toContain('following (f pauses)');
    expect(await readdir(home)).toEqual([]);
  });
});
