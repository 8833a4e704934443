// Modification times as exact as their source holds them. A PAX mtime record is decimal seconds with
// up to nanoseconds (1700000000.123456789), which a JS number cannot hold (at 1.7e9 s a double's step
// is some 238 ns): such times are kept as their text and compared as bigint nanoseconds. Pure.

const billion = 1_000_000_000n;

/** An instant as whole nanoseconds since the epoch (negative before 1970). */
export type Nanoseconds = bigint;

const timePattern = /^(-?)(\d+)(?:\.(\d*))?$/;

/**
 * Parses decimal seconds (a PAX mtime record, `-1.5`, `1700000000.123456789`) into nanoseconds, exactly;
 * digits past the ninth are dropped toward the earlier instant, as GNU tar does. Undefined when it is not such a number.
 */
export function parseTimeText(text: string): Nanoseconds | undefined {
  const match = timePattern.exec(text);
  if (!match) {
    return undefined;
  }

  const [, sign = '', whole = '0', fraction = ''] = match;
  const magnitude = BigInt(whole) * billion + BigInt(fraction.slice(0, 9).padEnd(9, '0'));
  // A negative time with more digits than ns hold lies just before the ns it is cut to.
  const isCutBelow = sign === '-' && /[1-9]/.test(fraction.slice(9));
  return sign === '-' ? -magnitude - (isCutBelow ? 1n : 0n) : magnitude;
}

/** Whole seconds (floor: the second the instant falls in, as `st_mtim.tv_sec`) and the nanoseconds past it. */
export function splitTime(ns: Nanoseconds): {readonly seconds: bigint; readonly nanos: number} {
  let seconds = ns / billion;
  let rest = ns % billion;
  if (rest < 0n) {
    seconds -= 1n;
    rest += billion;
  }

  return {seconds, nanos: Number(rest)};
}

/** Seconds and nanoseconds (as `stat` gives them) as decimal text: `1700000000.123456789`, or `1700000000` without a fraction. */
export function timeText(seconds: bigint | number, nanos: number): string {
  const ns = BigInt(seconds) * billion + BigInt(nanos);
  const negative = ns < 0n;
  const magnitude = negative ? -ns : ns;
  const fraction = magnitude % billion;
  return `${negative ? '-' : ''}${magnitude / billion}${fraction === 0n ? '' : `.${String(fraction).padStart(9, '0').replace(/0+$/, '')}`}`;
}

// Date's range: ±8.64e15 ms.
const dateLimit = 8_640_000_000_000n;

/**
 * The instant in UTC, with as many fraction digits as `fraction` gives (`'123456789'` → `…:20.123456789Z`;
 * none when empty): `2023-11-14T22:13:20.123456789Z`. Beyond Date's range, seconds since the epoch.
 */
export function isoTime(seconds: bigint, fraction = ''): string {
  if (seconds > dateLimit || seconds < -dateLimit) {
    return `${seconds}${fraction ? `.${fraction}` : ''} s since 1970`;
  }

  return new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, `${fraction ? `.${fraction}` : ''}Z`);
}

/** Nanoseconds in UTC with all nine fraction digits when there is a fraction, none when there is not. */
export function isoNanoseconds(ns: Nanoseconds): string {
  const {seconds, nanos} = splitTime(ns);
  return isoTime(seconds, nanos === 0 ? '' : String(nanos).padStart(9, '0'));
}
