// Is IPv4 forwarding on? From `/info`, and from a live check inside the engine's own network namespace.
//
// When the live check runs: the live value is the truth, but each check is a container (create, start,
// wait, remove — events in every client, and about half a second). Engines before 23 read
// /proc/sys/net/ipv4/ip_forward on every `/info`, so there `/info` is already live and the check adds
// nothing. From 23 on, `/info` holds the value read at daemon start, so it can be stale both ways: 'auto'
// runs the live check there, at most once a minute per engine (a banner refreshed on every engine event
// would otherwise loop: the helper's own events trigger the next refresh). An explicit `hawser forwarding`
// and the re-check after a fix use 'always'.
import {clause} from '../../engine/errors.js';
import type {EnginePort} from '../../engine/port.js';
import type {EngineInfo} from '../../engine/types.js';
import {consequences, engineKind, infoWarning, isInfoCached, unreachableHostAdvice, type EngineKind} from './explain.js';
import {findHelperImage, noHelperImageMessage} from '../helpers/helper-image.js';
import {runHelper} from '../helpers/helper-container.js';

/** When to run the live check: 'auto' only where `/info` is cached (Engine ≥ 23), throttled. */
export type LiveCheckMode = 'auto' | 'always' | 'never';

/** On, off, or unknown when neither source answered. */
export type ForwardingState = 'on' | 'off' | 'unknown';

/** Everything hawser knows about forwarding on one engine. */
export type ForwardingReport = {
  readonly state: ForwardingState;
  /** Where the state comes from. */
  readonly source: 'live' | 'info';
  /** `/info`'s IPv4Forwarding. */
  readonly infoSaysOn: boolean;
  /** True when `/info` carries "WARNING: IPv4 forwarding is disabled". */
  readonly hasInfoWarning: boolean;
  /** The live value, when the live check ran. */
  readonly liveSaysOn?: boolean;
  /** Whether the live check ran, and if not, why. */
  readonly liveCheck: {readonly status: 'done' | 'skipped' | 'unavailable'; readonly note: string};
  /** True when `/info` and the live check disagree (a daemon from 23 on that read the value before it changed). */
  readonly isInfoStale: boolean;
  readonly engineKind: EngineKind;
  readonly engineVersion: string;
  /** The helper image the live check used, if any. */
  readonly helperImage?: string;
};

const liveMaxAgeMs = 60_000;
const liveCache = new WeakMap<EnginePort, {at: number; isOn: boolean; image: string}>();

/** Forgets the throttled live value, so the next 'auto' detection looks again (after a fix). */
export function forgetLiveCheck(engine: EnginePort): void {
  liveCache.delete(engine);
}

/** The host config of the read-only live check: host network, no capabilities, nothing writable. */
export function liveCheckHostConfig(info: EngineInfo): Record<string, unknown> {
  return {
    NetworkMode: 'host',
    CapDrop: ['ALL'],
    ReadonlyRootfs: true,
    SecurityOpt: ['no-new-privileges'],
    ...(usesUserns(info) ? {UsernsMode: 'host'} : {}),
  };
}

/** True when the daemon remaps users: host networking then needs `UsernsMode: host`. */
export function usesUserns(info: EngineInfo): boolean {
  return info.securityOptions.some(option => option.split(',').includes('name=userns'));
}

/** Reads /proc/sys/net/ipv4/ip_forward in the engine's network namespace through a helper. */
export async function readLiveForwarding(engine: EnginePort, info: EngineInfo, image: string, signal: AbortSignal): Promise<boolean> {
  const result = await runHelper(engine, {
    image,
    purpose: 'forwarding-check',
    script: 'cat /proc/sys/net/ipv4/ip_forward',
    hostConfig: liveCheckHostConfig(info),
  }, signal);
  const value = result.output.trim();
  if (result.exitCode !== 0 || !/^[01]$/.test(value)) {
    throw new Error(`the live check printed ${JSON.stringify(value.slice(0, 200))} and exited with ${result.exitCode}`);
  }

  liveCache.set(engine, {at: Date.now(), isOn: value === '1', image});
  return value === '1';
}

/** Options of a detection. */
export type DetectOptions = {
  readonly live?: LiveCheckMode;
  readonly signal?: AbortSignal;
  /** A helper image to use instead of the one hawser finds. */
  readonly image?: string;
};

/** Detects forwarding from `/info` and, depending on `live`, a live check. Never throws for the live part. */
export async function detectForwarding(engine: EnginePort, options: DetectOptions = {}): Promise<ForwardingReport> {
  const signal = options.signal ?? new AbortController().signal;
  const mode = options.live ?? 'auto';
  const info = await engine.info({signal});
  const infoSaysOn = info.isIpv4ForwardingOn;
  const base = {
    infoSaysOn,
    hasInfoWarning: info.warnings.some(warning => warning.includes(infoWarning.replace('WARNING: ', ''))),
    engineKind: engineKind(info),
    engineVersion: info.version,
  };
  const fromInfo = (status: 'skipped' | 'unavailable', note: string): ForwardingReport => ({
    ...base,
    state: infoSaysOn && !base.hasInfoWarning ? 'on' : 'off',
    source: 'info',
    liveCheck: {status, note},
    isInfoStale: false,
  });

  const isCached = isInfoCached(info);
  if (mode === 'never' || (mode === 'auto' && !isCached)) {
    return fromInfo('skipped', mode === 'never' ? 'Live check not asked for.' : `Engine ${info.version} reads the setting on every /info, so /info is live.`);
  }

  const cached = liveCache.get(engine);
  let liveSaysOn: boolean;
  let image: string;
  if (mode === 'auto' && cached && Date.now() - cached.at < liveMaxAgeMs) {
    ({isOn: liveSaysOn, image} = cached);
  } else {
    const found = await findHelperImage(engine, options.image).catch(() => undefined);
    if (!found) {
      return fromInfo('unavailable', `${noHelperImageMessage()} hawser can pull a small one (busybox) for the live check.`);
    }

    image = found;
    try {
      liveSaysOn = await readLiveForwarding(engine, info, image, signal);
    } catch (error) {
      return fromInfo('unavailable', `The live check failed: ${clause(error instanceof Error ? error.message : String(error))}.`);
    }
  }

  return {
    ...base,
    state: liveSaysOn ? 'on' : 'off',
    source: 'live',
    liveSaysOn,
    liveCheck: {status: 'done', note: isCached ? `Engine ${info.version} caches /info's value from its start; checked live.` : 'Checked live.'},
    isInfoStale: liveSaysOn !== infoSaysOn,
    helperImage: image,
  };
}

/** What a banner shows: the state, one line of message, what stops working, and whether hawser can fix it. */
export type ForwardingBanner = {
  /** False when forwarding is on and there is nothing to show. */
  readonly isShown: boolean;
  readonly state: ForwardingState;
  readonly message: string;
  /** What stops working while it is off. */
  readonly consequences: readonly string[];
  /** False on rootless engines and Docker Desktop: then `advice` says what to do instead. */
  readonly canFix: boolean;
  readonly advice: readonly string[];
  readonly report: ForwardingReport;
};

/** Turns a report into what the TUI banner shows (the TUI adds the key that opens the fix). */
export function bannerFor(report: ForwardingReport): ForwardingBanner {
  const advice = [...unreachableHostAdvice(report.engineKind)];
  const canFix = report.engineKind === 'standard';
  if (report.state === 'on') {
    const note = report.isInfoStale ? 'IPv4 forwarding is on (the engine\'s /info still says off: it read the value at daemon start).' : 'IPv4 forwarding is on.';
    return {isShown: false, state: 'on', message: note, consequences: [], canFix, advice: [], report};
  }

  const where = report.source === 'live' ? 'checked live in the engine\'s network namespace' : 'reported by the engine';
  const stale = report.source === 'live' && report.infoSaysOn ? ' /info still says on: it read the value at daemon start.' : '';
  if (report.liveCheck.status === 'unavailable') {
    advice.push(report.liveCheck.note);
  }

  return {
    isShown: true,
    state: report.state,
    message: `${infoWarning} (${where}).${stale}`,
    consequences,
    canFix,
    advice,
    report,
  };
}

/** For the TUI banner, on connect and on each refresh of engine info: detects (throttled live check) and explains. */
export async function checkForwardingBanner(engine: EnginePort, signal?: AbortSignal): Promise<ForwardingBanner> {
  return bannerFor(await detectForwarding(engine, {live: 'auto', signal}));
}
