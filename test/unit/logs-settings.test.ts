// The logs view's rules on their own: what the since and tail prompts accept and refuse, the engine's
// timestamps made compact, wrapping that keeps indentation, the default file, and writing it in one piece.
import {mkdtemp, readFile, readdir, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {abbreviateHome, compactTimestamp, defaultLogFile, expandHome, parseSince, parseTail, withoutTimestamp, wrapRows} from '../../source/ui/logs-settings.js';
import {saveLines, saveProblem} from '../../source/ui/save-lines.js';

/** Noon, local time, on 7 December 2026. */
const now = new Date(2026, 11, 7, 12, 0, 0);
const seconds = (date: Date) => date.getTime() / 1000;
const valueOf = <T>(parsed: {value: T} | {problem: string}): T => {
  expect(parsed, JSON.stringify(parsed)).toHaveProperty('value');
  return (parsed as {value: T}).value;
};

const problemOf = (parsed: {value: unknown} | {problem: string}): string => {
  expect(parsed, JSON.stringify(parsed)).toHaveProperty('problem');
  return (parsed as {problem: string}).problem;
};

describe('since', () => {
  it('takes durations back from now, alone or combined', () => {
    expect(valueOf(parseSince('10m', now))).toEqual({seconds: seconds(now) - 600, label: '10m (from 11:50:00)'});
    expect(valueOf(parseSince(' 2h ', now))?.seconds).toBe(seconds(now) - 7200);
    expect(valueOf(parseSince('1h30m', now))?.seconds).toBe(seconds(now) - 5400);
    expect(valueOf(parseSince('90s', now))?.seconds).toBe(seconds(now) - 90);
    // A day back is another date: the label says which.
    expect(valueOf(parseSince('1d', now))).toEqual({seconds: seconds(now) - 86_400, label: '1d (from 2026-12-06 12:00:00)'});
  });

  it('takes local times with a date (seconds and time optional), a time of today, and RFC 3339 times', () => {
    expect(valueOf(parseSince('2026-12-07 10:00', now))).toEqual({seconds: seconds(new Date(2026, 11, 7, 10, 0)), label: '10:00:00'});
    expect(valueOf(parseSince('2026-12-06 23:59:30', now))).toEqual({seconds: seconds(new Date(2026, 11, 6, 23, 59, 30)), label: '2026-12-06 23:59:30'});
    expect(valueOf(parseSince('2026-12-01', now))?.seconds).toBe(seconds(new Date(2026, 11, 1)));
    expect(valueOf(parseSince('9:15', now))?.seconds).toBe(seconds(new Date(2026, 11, 7, 9, 15)));
    expect(valueOf(parseSince('2026-12-07T10:00:00Z', now))?.seconds).toBe(Date.UTC(2026, 11, 7, 10) / 1000);
    expect(valueOf(parseSince('2026-12-07T10:00:00.250+01:00', now))?.seconds).toBe((Date.UTC(2026, 11, 7, 9) / 1000) + 0.25);
    expect(valueOf(parseSince('2026-12-07t08:00:00.123456789-02:30', now))?.seconds).toBe((Date.UTC(2026, 11, 7, 10, 30) / 1000) + 0.123);
  });

  it('clears on empty input', () => {
    expect(valueOf(parseSince('', now))).toBeUndefined();
    expect(valueOf(parseSince('   ', now))).toBeUndefined();
  });

  it('refuses what is no time, no real date, or a time still to come, saying why', () => {
    expect(problemOf(parseSince('10x', now))).toMatch(/^"10x" is neither a duration nor a time: type 10m, 2h, 1d/);
    expect(problemOf(parseSince('yesterday', now))).toContain('neither a duration nor a time');
    expect(problemOf(parseSince('-10m', now))).toContain('neither');
    expect(problemOf(parseSince('2026-02-30 10:00', now))).toMatch(/^"2026-02-30 10:00" is not a real date or time/);
    expect(problemOf(parseSince('2026-12-07 25:00', now))).toContain('not a real date or time');
    expect(problemOf(parseSince('2026-12-07 13:00', now))).toBe('2026-12-07 13:00:00 is still to come (now is 12:00:00): no line has it yet');
  });
});

describe('tail', () => {
  it('takes a number of lines, all, or empty for the default', () => {
    expect(valueOf(parseTail('200'))).toBe(200);
    expect(valueOf(parseTail('0'))).toBe(0);
    expect(valueOf(parseTail(' ALL '))).toBe('all');
    expect(valueOf(parseTail(''))).toBeUndefined();
  });

  it('refuses anything else', () => {
    for (const typed of ['abc', '-5', '1.5', '1e3', '99999999999999999999']) {
      expect(problemOf(parseTail(typed)), typed).toBe(`"${typed}" is not a number of lines: type 200, or all`);
    }
  });
});

describe('timestamps', () => {
  it('show the engine\'s RFC 3339 nano time as local month-day and time to the millisecond', () => {
    const at = new Date(Date.UTC(2026, 11, 7, 10, 0, 5, 123));
    const pad = (value: number) => String(value).padStart(2, '0');
    const local = `${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}.123`;
    expect(compactTimestamp('2026-12-07T10:00:05.123456789Z listening on :80')).toBe(`${local} listening on :80`);
    // A shorter fraction (Go trims trailing zeros), or another zone, reads the same.
    expect(compactTimestamp('2026-12-07T10:00:05.12300Z listening on :80')).toBe(`${local} listening on :80`);
    expect(compactTimestamp('2026-12-07T11:00:05.123+01:00 x')).toBe(`${local} x`);
    expect(compactTimestamp('2026-12-07T10:00:05Z x')).toBe(`${local.slice(0, -4)}.000 x`);
  });

  it('leave a line without one as it is, and come off for comparing lines', () => {
    expect(compactTimestamp('plain line')).toBe('plain line');
    expect(compactTimestamp('2026-12-07 10:00:05 not the engine\'s')).toBe('2026-12-07 10:00:05 not the engine\'s');
    expect(withoutTimestamp('2026-12-07T10:00:05.123456789Z   indented')).toBe('  indented');
    expect(withoutTimestamp('plain')).toBe('plain');
  });
});

describe('wrapping', () => {
  it('cuts between words, keeps the indentation, and fills a row with a word longer than a row', () => {
    expect(wrapRows('short', 10)).toEqual(['short']);
    expect(wrapRows('    at Object.run (/app/index.js:12:5)', 16)).toEqual(['    at ', 'Object.run (/app', '/index.js:12:5)']);
    // Cut at a space where a row is full: the next row does not start with it.
    expect(wrapRows('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    for (const row of wrapRows('word '.repeat(50), 23)) {
      expect(row.length).toBeLessThanOrEqual(23);
    }
  });
});

describe('the file', () => {
  it('is named after the container and the local time, in ~/hawser-logs', () => {
    expect(defaultLogFile('web-1', new Date(2026, 0, 2, 3, 4, 5))).toBe('~/hawser-logs/web-1-20260102-030405.log');
    expect(defaultLogFile('a/b c', new Date(2026, 0, 2, 3, 4, 5))).toBe('~/hawser-logs/a-b-c-20260102-030405.log');
    expect(expandHome('~/x.log', '/home/u')).toBe('/home/u/x.log');
    expect(expandHome('~other/x.log', '/home/u')).toBe('~other/x.log');
    expect(abbreviateHome('/home/u/hawser-logs/x.log', '/home/u')).toBe('~/hawser-logs/x.log');
    expect(abbreviateHome('/home/user2/x.log', '/home/u')).toBe('/home/user2/x.log');
  });

  let folder: string | undefined;
  afterEach(async () => {
    if (folder) {
      await rm(folder, {recursive: true, force: true});
    }
  });

  it('is written whole, its folder created, and leaves no temporary file', async () => {
    folder = await mkdtemp(join(tmpdir(), 'hawser-save-'));
    const path = join(folder, 'deep', 'er', 'out.log');
    await saveLines(path, ['one', '  two', 'ünïcode ✓'], false);
    expect(await readFile(path, 'utf8')).toBe('one\n  two\nünïcode ✓\n');
    expect(await readdir(join(folder, 'deep', 'er'))).toEqual(['out.log']);
  });

  it('is not replaced unless asked; when asked, it is', async () => {
    folder = await mkdtemp(join(tmpdir(), 'hawser-save-'));
    const path = join(folder, 'out.log');
    await writeFile(path, 'before\n');
    const refused = await saveLines(path, ['after'], false).then(() => undefined, (failure: unknown) => failure);
    expect(saveProblem(refused)).toBe('the file exists (it appeared meanwhile) (EEXIST)');
    expect(await readFile(path, 'utf8')).toBe('before\n');
    expect(await readdir(folder)).toEqual(['out.log']);
    await saveLines(path, ['after'], true);
    expect(await readFile(path, 'utf8')).toBe('after\n');
  });

  it('says why it could not be written', async () => {
    folder = await mkdtemp(join(tmpdir(), 'hawser-save-'));
    await writeFile(join(folder, 'a-file'), '');
    const failure = await saveLines(join(folder, 'a-file', 'out.log'), ['x'], false).then(() => undefined, (error: unknown) => error);
    expect(saveProblem(failure)).toBe('a part of the path is a file, not a folder (ENOTDIR)');
    // Where no folder can be made although the parent exists, it says so (Node's recursive mkdir would never return).
    const proc = await saveLines('/proc/hawser-nope/deeper/out.log', ['x'], false).then(() => undefined, (error: unknown) => error);
    expect(saveProblem(proc)).toBe('a folder on the way cannot be made there (ENOENT)');
    // A folder that exists already is used as it is.
    await saveLines(join(folder, 'out.log'), ['x'], false);
    expect(await readFile(join(folder, 'out.log'), 'utf8')).toBe('x\n');
    expect(saveProblem(Object.assign(new Error('raw'), {code: 'ENOSPC'}))).toBe('the disk is full (ENOSPC)');
    expect(saveProblem(Object.assign(new Error('raw'), {code: 'EACCES'}))).toBe('permission denied (EACCES)');
    expect(saveProblem(new Error('something else'))).toBe('something else');
  });
});
