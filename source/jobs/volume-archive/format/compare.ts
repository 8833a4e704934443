// Compares two listings of a volume (expected from the manifest or the archive, actual read back
// from the engine) and names every difference. Pure.
import {isoNanoseconds, isoTime, parseTimeText, splitTime, timeText, type Nanoseconds} from './exact-time.js';
import type {ListedEntry} from './manifest.js';

/** One difference between what should be in the volume and what is. */
export type Difference = {
  readonly path: string;
  readonly kind: 'missing' | 'extra' | 'type' | 'size' | 'content' | 'mode' | 'owner' | 'mtime' | 'link' | 'acl' | 'xattr';
  readonly detail: string;
};

const octal = (mode: number) => `0${mode.toString(8)}`;

/**
 * What a listing's times hold. A time with a fraction comes as text (`mtimeText`, exact to the ns) whatever
 * the reader; `ns`: a whole number is exact too (lstat, GNU tar's PAX read-back: no fraction means .0), `seconds`:
 * a whole number is all the reader can see (the engine's archive API truncates to the second, a ustar header
 * holds seconds, `stat -c %Y` prints them).
 */
export type TimePrecision = 'ns' | 'seconds';

/** An entry's mtime as exactly as its source holds it; `double` is a fraction kept only as a number (a manifest written before `mtimeText` was). */
type EntryTime =
  | {readonly kind: 'ns'; readonly ns: Nanoseconds}
  | {readonly kind: 'seconds'; readonly seconds: bigint}
  | {readonly kind: 'double'; readonly value: number};

function timeOf(entry: Pick<ListedEntry, 'mtime' | 'mtimeText'>, wholes: TimePrecision): EntryTime {
  const exact = entry.mtimeText === undefined ? undefined : parseTimeText(entry.mtimeText);
  if (exact !== undefined) {
    return {kind: 'ns', ns: exact};
  }

  if (!Number.isInteger(entry.mtime)) {
    return {kind: 'double', value: entry.mtime};
  }

  const seconds = BigInt(entry.mtime);
  return wholes === 'ns' ? {kind: 'ns', ns: seconds * 1_000_000_000n} : {kind: 'seconds', seconds};
}

/** The second the time falls in (floor, as st_mtim.tv_sec); undefined for a time that is no number. */
function wholeSeconds(time: EntryTime): bigint | undefined {
  switch (time.kind) {
    case 'ns': {
      return splitTime(time.ns).seconds;
    }

    case 'seconds': {
      return time.seconds;
    }

    default: {
      return Number.isFinite(time.value) ? BigInt(Math.floor(time.value)) : undefined;
    }
  }
}

/** The time as the nearest double, as a manifest that kept it as a number has it. */
function asDouble(time: EntryTime): number {
  switch (time.kind) {
    case 'ns': {
      const {seconds, nanos} = splitTime(time.ns);
      return Number(timeText(seconds, nanos));
    }

    case 'seconds': {
      return Number(time.seconds);
    }

    default: {
      return time.value;
    }
  }
}

/** Equal at the finer precision both hold: ns when both do, a number's when one is a number, else the second. */
function isSame(want: EntryTime, have: EntryTime): boolean {
  if (want.kind === 'seconds' || have.kind === 'seconds') {
    const [a, b] = [wholeSeconds(want), wholeSeconds(have)];
    return a !== undefined && a === b;
  }

  if (want.kind === 'double' || have.kind === 'double') {
    return asDouble(want) === asDouble(have);
  }

  return want.ns === have.ns;
}

/** The time in UTC with every digit its source holds: `2023-11-14T22:13:20.123456789Z`, `2023-11-14T22:13:20Z`. */
function shownTime(time: EntryTime): string {
  switch (time.kind) {
    case 'ns': {
      return isoNanoseconds(time.ns);
    }

    case 'seconds': {
      return isoTime(time.seconds);
    }

    default: {
      const exact = parseTimeText(String(time.value));
      return exact === undefined ? String(time.value) : isoNanoseconds(exact).replace(/(\.\d*?)0+Z$/, '$1Z');
    }
  }
}

/** True when `ns` (an lstat's mtime) is the entry's mtime at the precision the entry holds. */
export function isSameTime(entry: Pick<ListedEntry, 'mtime' | 'mtimeText'>, ns: Nanoseconds): boolean {
  return isSame(timeOf(entry, 'seconds'), {kind: 'ns', ns});
}

/** Whether the entry's mtime has a fraction of a second. */
function hasFraction(entry: ListedEntry): boolean {
  const time = timeOf(entry, 'seconds');
  return time.kind === 'ns' ? splitTime(time.ns).nanos !== 0 : time.kind === 'double' && Number.isFinite(time.value);
}

/**
 * Said once when the read-back (`reader`) holds whole seconds only while the archive has times with a
 * fraction: those were compared to the second. A note, not a difference; undefined when nothing was lost to it.
 */
export function secondsOnlyNote(expected: readonly ListedEntry[], reader: string): string | undefined {
  const count = expected.filter(entry => entry.path !== '.' && hasFraction(entry)).length;
  return count === 0 ? undefined : `${count} ${count === 1 ? 'entry has an mtime' : 'entries have mtimes'} with a fraction of a second; ${reader} gives times back in whole seconds only, so mtimes were compared to the second`;
}

/**
 * Every difference, in path order. `ignoreRoot` skips the root directory's own attributes (a restore target keeps its own).
 * `actualTimes`: what the actual listing's whole-second times hold (see TimePrecision; seconds unless said). An
 * expected whole second holds only the second (a ustar header); mtimes compare at the finer precision both hold.
 */
export function compareListings(expected: readonly ListedEntry[], actual: readonly ListedEntry[], options: {ignoreRoot?: boolean; actualTimes?: TimePrecision} = {}): Difference[] {
  const byPath = (list: readonly ListedEntry[]) => new Map(list.filter(e => !(options.ignoreRoot && e.path === '.')).map(e => [e.path, e]));
  const want = byPath(expected);
  const have = byPath(actual);
  const differences: Difference[] = [];
  for (const [path, w] of want) {
    const h = have.get(path);
    if (!h) {
      differences.push({path, kind: 'missing', detail: `${w.type} is missing`});
      continue;
    }

    // A hardlink is the same file as its target; which name the engine lists as the link depends on its walk order.
    const wantType = w.type === 'hardlink' ? 'file' : w.type;
    const haveType = h.type === 'hardlink' ? 'file' : h.type;
    if (wantType !== haveType) {
      differences.push({path, kind: 'type', detail: `expected a ${w.type}, found a ${h.type}`});
      continue;
    }

    if (w.type === 'file' && h.type === 'file') {
      if (w.size !== h.size) {
        differences.push({path, kind: 'size', detail: `expected ${w.size} bytes, found ${h.size}`});
      } else if (w.sha256 && h.sha256 && w.sha256 !== h.sha256) {
        differences.push({path, kind: 'content', detail: 'contents differ (sha256)'});
      }
    }

    if (w.type === 'symlink' && w.link !== h.link) {
      differences.push({path, kind: 'link', detail: `expected -> ${w.link}, found -> ${h.link}`});
    }

    // Symlink modes are not kept by Linux (always 0777).
    if (w.type !== 'symlink' && w.mode !== h.mode) {
      differences.push({path, kind: 'mode', detail: `expected mode ${octal(w.mode)}, found ${octal(h.mode)}`});
    }

    if (w.uid !== h.uid || w.gid !== h.gid) {
      differences.push({path, kind: 'owner', detail: `expected ${w.uid}:${w.gid}, found ${h.uid}:${h.gid}`});
    }

    const wantTime = timeOf(w, 'seconds');
    const haveTime = timeOf(h, options.actualTimes ?? 'seconds');
    if (!isSame(wantTime, haveTime)) {
      differences.push({path, kind: 'mtime', detail: `expected ${shownTime(wantTime)}, found ${shownTime(haveTime)}`});
    }
  }

  for (const [path, h] of have) {
    if (!want.has(path)) {
      differences.push({path, kind: 'extra', detail: `unexpected ${h.type}`});
    }
  }

  return differences.sort((a, b) => a.path.localeCompare(b.path));
}

/** One line per difference, at most `limit`, for logs and errors. */
export function describeDifferences(differences: readonly Difference[], limit = 10): string[] {
  const lines = differences.slice(0, limit).map(d => `${d.path}: ${d.detail}`);
  if (differences.length > limit) {
    lines.push(`… and ${differences.length - limit} more`);
  }

  return lines;
}
