// Network modes as hawser names them, and which mode a container is really in. Pure.
import type {ContainerDetails} from '../../engine/types.js';

/** The kinds of network mode: the default bridge, a user-defined network, host, none, or another container's namespace. */
export type ModeKind = 'bridge' | 'network' | 'host' | 'none' | 'container';

/** Names of the networks every engine has and nobody can remove. */
export const builtinNetworks: readonly string[] = ['bridge', 'host', 'none'];

/** The kind of a mode string (`bridge`, `host`, `none`, `container:ID`, or a network name). */
export function modeKind(mode: string): ModeKind {
  if (mode === 'bridge' || mode === 'default') {
    return 'bridge';
  }

  if (mode === 'host' || mode === 'none') {
    return mode;
  }

  return mode.startsWith('container:') ? 'container' : 'network';
}

/** True when containers in this kind of mode can be attached to networks (and so keep endpoints, ports, aliases). */
export function hasNetworks(kind: ModeKind): boolean {
  return kind === 'bridge' || kind === 'network';
}

/** The id or name after `container:`. */
export function containerOfMode(mode: string): string {
  return mode.slice('container:'.length);
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Endpoint driver option marking the network a live switch moved the container to. Connect and
 * disconnect cannot update `HostConfig.NetworkMode`, and nothing else on a container can be changed
 * without recreating it; network drivers ignore endpoint options they do not know.
 */
export const primaryMarker = 'io.hawser.primary';

/** What decides a container's mode: its configured NetworkMode, the networks it is attached to, and the one a live switch marked primary. */
export type ModeFacts = {
  /** `HostConfig.NetworkMode` as the engine keeps it ('default' when unset). */
  readonly configured: string;
  /** Names of the attached networks. */
  readonly attached: readonly string[];
  /** The attached network whose endpoint carries `primaryMarker` (only inspect shows endpoint options). */
  readonly marked?: string;
};

/**
 * The mode from its facts. `HostConfig.NetworkMode` is not updated by connect and disconnect, so for
 * bridge and user networks the attached networks decide: the marked one, else the configured one if
 * still attached, else the default bridge, else the first by name.
 */
export function modeFromFacts({configured, attached, marked}: ModeFacts): string {
  if (configured.startsWith('container:')) {
    return configured;
  }

  if (attached.includes('host') || (attached.length === 0 && configured === 'host')) {
    return 'host';
  }

  if (attached.includes('none') || (attached.length === 0 && configured === 'none')) {
    return 'none';
  }

  if (marked) {
    return marked;
  }

  const wanted = configured === 'default' ? 'bridge' : configured;
  if (attached.includes(wanted)) {
    return wanted;
  }

  if (attached.includes('bridge')) {
    return 'bridge';
  }

  // A container detached from every network behaves like none; its configured mode is what a restart uses.
  return [...attached].sort()[0] ?? (wanted === 'host' || wanted === 'none' ? wanted : 'none');
}

/** The mode a container is really in, from its inspected document (which has the endpoints' marker). */
export function currentMode(details: ContainerDetails): string {
  const configured = String((details.raw['HostConfig'] as Json | undefined)?.['NetworkMode'] ?? 'default');
  const networks = ((details.raw['NetworkSettings'] as Json | undefined)?.['Networks'] ?? {}) as Record<string, Json>;
  const marked = Object.entries(networks).find(([, endpoint]) => endpoint?.['DriverOpts']?.[primaryMarker])?.[0];
  return modeFromFacts({configured, attached: details.networks.map(n => n.name), marked});
}

/** A mode for people: `container:NAME` instead of the full id when the name is known. */
export function describeMode(mode: string, nameOf?: (id: string) => string | undefined): string {
  if (modeKind(mode) === 'container') {
    const id = containerOfMode(mode);
    return `container:${nameOf?.(id) ?? id.slice(0, 12)}`;
  }

  return modeKind(mode) === 'bridge' ? 'bridge' : mode;
}
