// Settings a network mode cannot keep, kept as JSON in a label on the container so that switching
// back restores them (bridge → host → bridge gets its ports back). Pure.

/** The label holding the stash. */
export const stashLabel = 'io.hawser.stash';

/** An endpoint's user settings: what `NetworkingConfig.EndpointsConfig[name]` takes. */
export type EndpointSettings = {
  readonly Aliases?: readonly string[];
  readonly IPAMConfig?: Readonly<Record<string, unknown>>;
  readonly Links?: readonly string[];
  readonly DriverOpts?: Readonly<Record<string, string>>;
  /** The endpoint's MAC address (per endpoint from API 1.44). */
  readonly MacAddress?: string;
  /** Which network gives the default route, highest first (API 1.48). */
  readonly GwPriority?: number;
};

/** What is kept: `Config` and `HostConfig` fields by name, and the network endpoints with the one that was primary. */
export type Stash = {
  readonly Config?: Readonly<Record<string, unknown>>;
  readonly HostConfig?: Readonly<Record<string, unknown>>;
  readonly Networks?: Readonly<Record<string, EndpointSettings>>;
  readonly Primary?: string;
};

/** Reads the stash from labels; a damaged label reads as empty rather than failing a switch. */
export function readStash(labels: Readonly<Record<string, string>> | undefined): Stash {
  const text = labels?.[stashLabel];
  if (!text) {
    return {};
  }

  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? value as Stash : {};
  } catch {
    return {};
  }
}

/** True when the stash holds nothing. */
export function isEmptyStash(stash: Stash): boolean {
  return Object.keys(stash.Config ?? {}).length === 0 && Object.keys(stash.HostConfig ?? {}).length === 0 && Object.keys(stash.Networks ?? {}).length === 0;
}

/** Labels with the stash written in (or the label removed when the stash is empty). */
export function writeStash(labels: Readonly<Record<string, string>> | undefined, stash: Stash): Record<string, string> {
  const result = {...labels};
  delete result[stashLabel];
  if (!isEmptyStash(stash)) {
    const compact: Record<string, unknown> = {};
    for (const key of ['Config', 'HostConfig', 'Networks'] as const) {
      if (Object.keys(stash[key] ?? {}).length > 0) {
        compact[key] = stash[key];
      }
    }

    if (stash.Networks && stash.Primary) {
      compact['Primary'] = stash.Primary;
    }

    result[stashLabel] = JSON.stringify(compact);
  }

  return result;
}
