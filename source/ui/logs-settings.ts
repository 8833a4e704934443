// What the logs view's prompts accept and how its lines are shown: a `since` (10m, 2h, 1d, a time), a
// tail length, the engine's timestamps made compact, long lines wrapped, the default file to save to.
// Pure (the clock and the home folder are arguments), so each rule is tested on its own.
import wrapAnsi from 'wrap-ansi';
import {cellLength} from '../model/text.js';

/** A `since` the user typed: Unix seconds for the engine, and how the title names it. */
export type LogsSince = {readonly seconds: number; readonly label: string};

/** What a prompt makes of the text typed: the value, or why it refuses it. */
export type Parsed<T> = {readonly value: T} | {readonly problem: string};

const units: Record<string, number> = {s: 1, m: 60, h: 3600, d: 86_400};

const two = (value: number) => String(value).padStart(2, '0');

/** `2026-12-07 10:00:05` in local time; with `ms`, `.123` after it. */
export function localTime(date: Date, {withDate = true, ms = false} = {}): string {
  const time = `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}${ms ? `.${String(date.getMilliseconds()).padStart(3, '0')}` : ''}`;
  return withDate ? `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${time}` : time;
}

/** A date from its parts, in local time or at a UTC offset (minutes); undefined when a part is out of range (Feb 31, 25:00). */
function dateOf(parts: readonly number[], offsetMinutes: number | undefined): Date | undefined {
  const [year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0, ms = 0] = parts;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }

  const utc = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
  // The calendar rolls an impossible day over (Feb 31 is Mar 3): a day that does not come back was not a day.
  if (utc.getUTCDate() !== day || utc.getUTCMonth() !== month - 1) {
    return undefined;
  }

  return offsetMinutes === undefined ? new Date(year, month - 1, day, hour, minute, second, ms) : new Date(utc.getTime() - (offsetMinutes * 60_000));
}

const timePattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const clockPattern = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/**
 * A since typed in the prompt: a duration back from `now` (10m, 2h, 1d, 90s, 1h30m), an RFC 3339 time
 * (2026-12-07T10:00:00Z, +01:00), a local date and time (2026-12-07 10:00, seconds optional), a local date
 * (midnight) or a time of today (10:00). Empty clears it (undefined). A time to come is refused: no line has it yet.
 */
export function parseSince(typed: string, now: Date): Parsed<LogsSince | undefined> {
  const text = typed.trim();
  if (!text) {
    return {value: undefined};
  }

  const example = 'type 10m, 2h, 1d, 2026-12-07 10:00 or an RFC 3339 time';
  if (/^(?:\d+[smhd])+$/i.test(text)) {
    const seconds = [...text.toLowerCase().matchAll(/(\d+)([smhd])/g)].reduce((sum, [, count, unit]) => sum + (Number(count) * units[unit!]!), 0);
    const from = new Date(now.getTime() - (seconds * 1000));
    return {value: {seconds: from.getTime() / 1000, label: `${text.toLowerCase()} (from ${localTime(from, {withDate: from.toDateString() !== now.toDateString()})})`}};
  }

  let date: Date | undefined;
  const time = timePattern.exec(text);
  const clock = clockPattern.exec(text);
  if (time) {
    const [, year, month, day, hour, minute, second, fraction, zone] = time;
    const offset = zone === undefined ? undefined : zone.toUpperCase() === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * ((Number(zone.slice(1, 3)) * 60) + Number(zone.slice(-2)));
    date = dateOf([year, month, day, hour ?? 0, minute ?? 0, second ?? 0, (fraction ?? '').padEnd(3, '0').slice(0, 3)].map(Number), offset);
  } else if (clock) {
    const [, hour, minute, second] = clock;
    date = dateOf([now.getFullYear(), now.getMonth() + 1, now.getDate(), Number(hour), Number(minute), Number(second ?? 0)], undefined);
  } else {
    return {problem: `"${text}" is neither a duration nor a time: ${example}`};
  }

  if (!date) {
    return {problem: `"${text}" is not a real date or time: ${example}`};
  }

  if (date.getTime() > now.getTime()) {
    return {problem: `${localTime(date)} is still to come (now is ${localTime(now, {withDate: false})}): no line has it yet`};
  }

  return {value: {seconds: date.getTime() / 1000, label: localTime(date, {withDate: date.toDateString() !== now.toDateString()})}};
}

/** A tail typed in the prompt: a number of lines, or `all`; empty goes back to the default (undefined). */
export function parseTail(typed: string): Parsed<number | 'all' | undefined> {
  const text = typed.trim().toLowerCase();
  if (!text) {
    return {value: undefined};
  }

  if (text === 'all') {
    return {value: 'all'};
  }

  const count = Number(text);
  return /^\d+$/.test(text) && Number.isSafeInteger(count) ? {value: count} : {problem: `"${typed.trim()}" is not a number of lines: type 200, or all`};
}

/** The engine's time at the start of a line (RFC 3339, any fraction, as `timestamps` gives it) and the rest. */
const stampPattern = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2}) /;

/**
 * The engine's timestamp at the start of a line in local time to the millisecond, the date as month-day
 * (`12-07 10:00:05.123 text`): the same width on every line, and the time of day the user's clock shows,
 * so a since can be typed from it. A line without one is left as it is.
 */
export function compactTimestamp(line: string): string {
  const match = stampPattern.exec(line);
  if (!match) {
    return line;
  }

  const [stamp, base, fraction = '', zone] = match;
  const ms = Date.parse(`${base}.${fraction.padEnd(3, '0').slice(0, 3)}${zone}`);
  if (Number.isNaN(ms)) {
    return line;
  }

  const date = new Date(ms);
  return `${two(date.getMonth() + 1)}-${two(date.getDate())} ${localTime(date, {withDate: false, ms: true})} ${line.slice(stamp.length)}`;
}

/** A line without the engine's timestamp, to find the same line in a log read again with or without them. */
export function withoutTimestamp(line: string): string {
  const match = stampPattern.exec(line);
  return match ? line.slice(match[0].length) : line;
}

/**
 * A line as rows of at most `width` cells, cut between words (a word longer than a row where the row
 * ends). Unlike `wrapWords`, leading spaces are kept: a stack trace keeps its indentation.
 */
export function wrapRows(line: string, width: number): string[] {
  if (width <= 0 || cellLength(line) <= width) {
    return [line];
  }

  // A row filled to the edge leaves the space it was cut at to the next one: that space is the cut, not text.
  return wrapAnsi(line, width, {hard: true, trim: false}).split('\n').map((row, i) => (i > 0 && row.startsWith(' ') ? row.slice(1) : row));
}

/** `~/hawser-logs/<container>-<YYYYMMDD-HHMMSS>.log`, the time local; characters a file name should not hold become `-`. */
export function defaultLogFile(container: string, now: Date): string {
  const stamp = `${now.getFullYear()}${two(now.getMonth() + 1)}${two(now.getDate())}-${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}`;
  return `~/hawser-logs/${container.replace(/[^\w.-]+/g, '-').replace(/^[.-]+/, '') || 'container'}-${stamp}.log`;
}

/** A path typed in the prompt with `~` for the home folder; `~other` is left alone (not this user's). */
export function expandHome(path: string, home: string): string {
  return path === '~' ? home : path.startsWith('~/') ? `${home}${path.slice(1)}` : path;
}

/** A path as the bottom line names it: the home folder as `~`. */
export function abbreviateHome(path: string, home: string): string {
  return home && (path === home || path.startsWith(`${home}/`)) ? `~${path.slice(home.length)}` : path;
}
