// A restore's compare sees mtimes to the precision both sides hold: ns where the archive has a PAX
// fraction and the read-back sees ns (lstat, GNU tar), the second where either holds only that (a ustar
// header, the engine's archive API), a number's where an older manifest kept the fraction as one.
import {describe, expect, it} from 'vitest';
import {compareListings, isSameTime, secondsOnlyNote} from '../../source/jobs/volume-archive/format/compare.js';
import {isoNanoseconds, parseTimeText, splitTime, timeText} from '../../source/jobs/volume-archive/format/exact-time.js';
import {listedFromStats} from '../../source/jobs/volume-archive/volume/restored-listing.js';
import type {ListedEntry} from '../../source/jobs/volume-archive/format/manifest.js';

const file = (mtime: number, mtimeText?: string): ListedEntry => ({path: 'f', type: 'file', size: 0, mode: 0o644, uid: 0, gid: 0, mtime, ...(mtimeText === undefined ? {} : {mtimeText})});
const pax = '1700000000.123456789';

describe('exact times', () => {
  it('parses PAX times to ns exactly, floors negative ones, and prints them back', () => {
    expect(parseTimeText(pax)).toBe(1_700_000_000_123_456_789n);
    expect(parseTimeText('1700000000.5')).toBe(1_700_000_000_500_000_000n);
    expect(parseTimeText('1700000000')).toBe(1_700_000_000_000_000_000n);
    expect(parseTimeText('1700000000.1234567891')).toBe(1_700_000_000_123_456_789n);
    expect(parseTimeText('-1.5')).toBe(-1_500_000_000n);
    // More digits than ns hold: toward the earlier instant, also before 1970.
    expect(parseTimeText('-0.0000000001')).toBe(-1n);
    expect(parseTimeText('1e9')).toBeUndefined();
    expect(parseTimeText('')).toBeUndefined();
    expect(splitTime(-1_500_000_000n)).toEqual({seconds: -2n, nanos: 500_000_000});
    expect(timeText(-2, 500_000_000)).toBe('-1.5');
    expect(timeText(1_700_000_000n, 123_456_789)).toBe(pax);
    expect(timeText(1_700_000_000, 0)).toBe('1700000000');
    // A double cannot hold it: the reason for all of the above.
    expect(String(Number(pax))).not.toBe(pax);
    expect(isoNanoseconds(1_700_000_000_123_456_789n)).toBe('2023-11-14T22:13:20.123456789Z');
    expect(isoNanoseconds(-312_847_077_500_000_000n)).toBe('1960-02-02T02:02:02.500000000Z');
    expect(isoNanoseconds(10n ** 30n)).toBe('1000000000000000000000 s since 1970');
  });
});

describe('mtimes in the compare', () => {
  it('finds a sub-second loss when the read-back holds ns, with every digit in the detail', () => {
    expect(compareListings([file(Number(pax), pax)], [file(1_700_000_000)], {actualTimes: 'ns'})).toEqual([
      {path: 'f', kind: 'mtime', detail: 'expected 2023-11-14T22:13:20.123456789Z, found 2023-11-14T22:13:20Z'},
    ]);
    expect(compareListings([file(Number(pax), pax)], [file(Number(pax), '1700000000.123456788')], {actualTimes: 'ns'})).toEqual([
      {path: 'f', kind: 'mtime', detail: 'expected 2023-11-14T22:13:20.123456789Z, found 2023-11-14T22:13:20.123456788Z'},
    ]);
  });

  it('matches the same instant however it is spelled', () => {
    expect(compareListings([file(Number(pax), '1700000000.1234567890')], [file(Number(pax), pax)], {actualTimes: 'ns'})).toEqual([]);
    expect(compareListings([file(1_700_000_000, '1700000000.0')], [file(1_700_000_000)], {actualTimes: 'ns'})).toEqual([]);
  });

  it('compares to the second when the read-back holds only seconds, and says so once as a note', () => {
    // The engine's archive API (Go's tar writer in moby) truncates to the second: not a difference.
    expect(compareListings([file(Number(pax), pax)], [file(1_700_000_000)], {actualTimes: 'seconds'})).toEqual([]);
    expect(compareListings([file(Number(pax), pax)], [file(1_700_000_000)])).toEqual([]);
    expect(compareListings([file(Number(pax), pax)], [file(1_700_000_001)])).toEqual([
      {path: 'f', kind: 'mtime', detail: 'expected 2023-11-14T22:13:20.123456789Z, found 2023-11-14T22:13:21Z'},
    ]);
    // Before 1970 the second is the floor, as stat's tv_sec: -1.5 falls in second -2.
    expect(compareListings([file(-1.5, '-1.5')], [file(-2)], {actualTimes: 'seconds'})).toEqual([]);
    expect(compareListings([file(-1.5, '-1.5')], [file(-1)], {actualTimes: 'seconds'})).toHaveLength(1);
    expect(secondsOnlyNote([file(Number(pax), pax), file(1_700_000_000), {...file(1.5, '1.5'), path: '.'}], 'the engine\'s archive API'))
      .toBe('1 entry has an mtime with a fraction of a second; the engine\'s archive API gives times back in whole seconds only, so mtimes were compared to the second');
    expect(secondsOnlyNote([file(1_700_000_000)], 'the engine\'s archive API')).toBeUndefined();
  });

  it('compares to the second when the archive holds only seconds (a ustar header)', () => {
    expect(compareListings([file(1_700_000_000)], [file(Number('1700000000.5'), '1700000000.5')], {actualTimes: 'ns'})).toEqual([]);
    expect(compareListings([file(1_700_000_000)], [file(1_700_000_001)], {actualTimes: 'ns'})).toEqual([
      {path: 'f', kind: 'mtime', detail: 'expected 2023-11-14T22:13:20Z, found 2023-11-14T22:13:21Z'},
    ]);
  });

  it('compares a manifest that kept the fraction as a number to that number\'s precision', () => {
    const old = file(Number(pax));
    expect(compareListings([old], [file(Number(pax), pax)], {actualTimes: 'ns'})).toEqual([]);
    expect(compareListings([old], [file(1_700_000_000)], {actualTimes: 'ns'})).toEqual([
      {path: 'f', kind: 'mtime', detail: 'expected 2023-11-14T22:13:20.1234567Z, found 2023-11-14T22:13:20Z'},
    ]);
    expect(compareListings([old], [file(1_700_000_000)], {actualTimes: 'seconds'})).toEqual([]);
    expect(isSameTime(old, 1_700_000_000_123_456_789n)).toBe(true);
    expect(isSameTime(file(Number(pax), pax), 1_700_000_000_123_456_789n)).toBe(true);
    expect(isSameTime(file(Number(pax), pax), 1_700_000_000_000_000_000n)).toBe(false);
    expect(isSameTime(file(1_700_000_000), 1_700_000_000_999_999_999n)).toBe(true);
  });

  it('lists lstat\'s nanoseconds as exact text', () => {
    const [entry] = listedFromStats([{path: 'f', mode: 0o100644, uid: 0, gid: 0, size: 0, mtime: 1_700_000_000, nanos: 123_456_789, inode: '1:2'}], []);
    expect(entry).toMatchObject({mtime: 1_700_000_000, mtimeText: pax});
    const [whole] = listedFromStats([{path: 'f', mode: 0o100644, uid: 0, gid: 0, size: 0, mtime: 1_700_000_000, nanos: 0, inode: '1:2'}], []);
    expect(whole).not.toHaveProperty('mtimeText');
  });
});
