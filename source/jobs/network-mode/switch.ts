// Switching a container's network mode: live where the engine allows (connect/disconnect), by the
// safe recreate otherwise; then re-pointing the containers that depended on the old one.
import type {ConnectSpec, EnginePort} from '../../engine/port.js';
import type {ContainerDetails} from '../../engine/types.js';
import {readBackEndpoints} from '../read-back.js';
import {InputError, JobError, throwIfAborted, type Job, type PreparedJob} from '../job.js';
import {configuredMode, currentMode, describeMode, modeKind, primaryMarker} from '../../model/network-modes.js';
import {loadPlanContext} from '../recreate/plan-context.js';
import {isUnset, normalizeLink, planRecreate, withoutNetworks, type RecreatePlan} from '../recreate/plan.js';
import {recreateSteps, type RecreateOptions} from '../recreate/recreate-job.js';
import {findDependants, linkBreakWarning, type Dependant} from '../recreate/dependants.js';
import {repointDependants} from '../recreate/repoint.js';
import {recreatePreviewSteps} from '../recreate/preview-steps.js';
import {missingNetworks} from '../recreate/verify.js';
import {findContainer, resolveMode, switchMethod} from './targets.js';

/** What a switch will do, as data (the CLI prints it with --json; the preview says it in words). */
export type SwitchSummary = {
  readonly container: string;
  readonly from: string;
  readonly to: string;
  readonly method: 'live' | 'recreate';
  readonly downtime: string;
  readonly dropped: readonly string[];
  readonly restored: readonly string[];
  readonly dependants: readonly Dependant[];
};

/** A prepared switch with its summary. */
export type PreparedSwitch = PreparedJob & {readonly summary: SwitchSummary};

/**
 * The aliases the container answers to on `from` that it should keep on `to`: only between two
 * user-defined networks (the default bridge has no aliases), without the short ID and the name the
 * engine gives every endpoint itself.
 */
export function carriedAliases(details: ContainerDetails, from: string, to: string): string[] {
  if (modeKind(from) !== 'network' || modeKind(to) !== 'network' || details.networks.some(n => n.name === to)) {
    return [];
  }

  const own = new Set([details.id.slice(0, 12), details.name]);
  return [...new Set(details.networks.find(n => n.name === from)?.aliases ?? [])].filter(alias => !own.has(alias));
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The inspected endpoint of `details` on `network`. */
function endpointOf(details: ContainerDetails, network: string): Json {
  return (((details.raw['NetworkSettings'] as Json | undefined)?.['Networks'] ?? {}) as Record<string, Json | null>)[network] ?? {};
}

/**
 * What reconnecting to `network` must give its endpoint back: the settings the user gave it (aliases, a fixed
 * address, links, driver options), not what the engine generated (the short-ID alias, the MAC address, a dynamic
 * address). Fixed IPv6 and link-local addresses are named in `lost`: a connect here cannot give them back.
 */
function reconnectSpec(details: ContainerDetails, network: string): {spec: ConnectSpec; lost: string[]} {
  const endpoint = endpointOf(details, network);
  const strings = (value: unknown) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
  const aliases = [...new Set(strings(endpoint['Aliases']))].filter(alias => alias !== details.id.slice(0, 12));
  const links = strings(endpoint['Links']).map(normalizeLink);
  const ipam = (endpoint['IPAMConfig'] ?? {}) as Json;
  const {[primaryMarker]: _marker, ...driverOpts} = (endpoint['DriverOpts'] ?? {}) as Record<string, string>;
  const lost = [
    ...(isUnset(ipam['IPv6Address']) ? [] : [`its fixed IPv6 address ${String(ipam['IPv6Address'])}`]),
    ...(isUnset(ipam['LinkLocalIPs']) ? [] : [`its link-local addresses ${strings(ipam['LinkLocalIPs']).join(', ')}`]),
  ];
  const spec: ConnectSpec = {
    ...(aliases.length > 0 ? {aliases} : {}),
    ...(isUnset(ipam['IPv4Address']) ? {} : {ipv4: String(ipam['IPv4Address'])}),
    ...(links.length > 0 ? {links} : {}),
    ...(isUnset(driverOpts) ? {} : {driverOpts}),
  };
  return {spec, lost};
}

/**
 * How the switch marks `to` as the main network. NetworkMode cannot change live, so the new main network's endpoint
 * carries `primaryMarker`, unless NetworkMode already names it: 'connect' marks it as it joins; 'reconnect', for a
 * network the container is already on (endpoint options are set at connect only), disconnects and connects it again
 * with its settings and the marker; 'none' when NetworkMode names it (or it is already marked).
 */
function marking(details: ContainerDetails, to: string, configured: string): 'connect' | 'reconnect' | 'none' {
  if (!details.networks.some(n => n.name === to)) {
    return configured === to ? 'none' : 'connect';
  }

  return configured === to || endpointOf(details, to)['DriverOpts']?.[primaryMarker] ? 'none' : 'reconnect';
}

/** `configured`: the mode NetworkMode names, with a network given by id named (`configuredMode`). */
function liveJob(details: ContainerDetails, from: string, to: string, configured: string): Job {
  return async function * (engine, signal) {
    const mark = marking(details, to, configured);
    // In none mode: on the none network, or detached from every network (its own was removed), with nothing to leave.
    const isOnNone = details.networks.some(n => n.name === 'none');
    const leaving = modeKind(from) === 'none' ? (isOnNone ? 'none' : undefined) : from;
    // none must go first: a container attached to none cannot join anything else.
    if (leaving === 'none') {
      yield {type: 'step', title: 'Disconnecting from none'};
      await engine.disconnectNetwork('none', details.id, {signal});
    }

    if (!details.networks.some(n => n.name === to)) {
      yield {type: 'step', title: `Connecting to ${to}`};
      try {
        const aliases = carriedAliases(details, from, to);
        await engine.connectNetwork(to, details.id, {...(aliases.length > 0 ? {aliases} : {}), ...(mark === 'connect' ? {driverOpts: {[primaryMarker]: '1'}} : {})}, {signal});
      } catch (error) {
        if (leaving === 'none') {
          await engine.connectNetwork('none', details.id).catch(() => undefined);
        }

        throw error;
      }
    }

    if (mark === 'reconnect') {
      // Before leaving `from`, so the container is never without a network; on failure it gets `to` back as it was.
      const {spec} = reconnectSpec(details, to);
      yield {type: 'step', title: `Reconnecting to ${to} to mark it as the main network`};
      await engine.disconnectNetwork(to, details.id, {signal});
      try {
        await engine.connectNetwork(to, details.id, {...spec, driverOpts: {...spec.driverOpts, [primaryMarker]: '1'}});
      } catch (error) {
        await engine.connectNetwork(to, details.id, spec).catch(() => undefined);
        throw error;
      }
    }

    if (leaving !== undefined && leaving !== 'none' && leaving !== to) {
      throwIfAborted(signal);
      yield {type: 'step', title: `Disconnecting from ${leaving}`};
      await engine.disconnectNetwork(leaving, details.id, {signal});
    }

    const promises = [{network: to, isAttached: true}, ...(leaving !== undefined && leaving !== to ? [{network: leaving, isAttached: false}] : [])];
    const after = await readBackEndpoints(engine, details.id, promises, signal);
    if (currentMode(after) !== to) {
      throw new JobError(`The engine accepted the switch, but reading ${details.name} back shows it in ${currentMode(after)} mode, not ${to}.`, `Look at it with docker inspect ${details.name}.`);
    }

    yield {type: 'done', summary: `${details.name} is now on ${to} (switched live, no restart).`, data: {container: details.name, id: details.id, mode: to, method: 'live'}};
  };
}

/** `toText`: the target mode as the preview says it (container:NAME rather than the ID). */
function recreateJobFor(details: ContainerDetails, plan: RecreatePlan, dependants: readonly Dependant[], options: RecreateOptions, toText: string): Job {
  return async function * (engine, signal) {
    let newId: string;
    try {
      ({newId} = yield * recreateSteps(engine, plan, signal, options));
    } catch (error) {
      // The original is back; containers sharing its namespace lost it when it stopped.
      for (const dependant of dependants) {
        if (dependant.kind === 'namespace' && dependant.isRunning) {
          await engine.restartContainer(dependant.id).catch(() => undefined);
        }
      }

      throw error;
    }

    yield * repointDependants(engine, details, newId, plan.toMode, dependants, signal, options);
    yield {type: 'done', summary: `${details.name} is now in ${toText} mode (recreated as ${newId.slice(0, 12)}).`, data: {container: details.name, id: newId, oldId: details.id, mode: plan.toMode, method: 'recreate'}};
  };
}

/** Checks the input and plans the switch; throws InputError (nothing changed) on bad input. */
export async function prepareNetworkModeSwitch(engine: EnginePort, containerReference: string, modeInput: string, options: RecreateOptions = {}): Promise<PreparedSwitch> {
  const details = await findContainer(engine, containerReference);
  // The engine's networks name a NetworkMode given by id or id prefix.
  const networks = await engine.listNetworks();
  const from = currentMode(details, networks);
  const to = await resolveMode(engine, details, modeInput);
  const names = new Map((await engine.listContainers()).map(c => [c.id, c.name]));
  const nameOf = (id: string) => names.get(id);
  const fromText = describeMode(from, nameOf);
  const toText = describeMode(to, nameOf);
  if (from === to) {
    throw new InputError(`${details.name} is already in ${toText} mode.`, 'Nothing to do.');
  }

  const method = switchMethod(details, to, networks);
  if (method === 'live') {
    // From none mode: off the none network, or out of no network at all (detached from every one).
    const isFromNone = modeKind(from) === 'none';
    const isOffNone = details.networks.some(n => n.name === 'none');
    const carried = carriedAliases(details, from, to);
    const mark = marking(details, to, configuredMode(details, networks));
    const reconnect = reconnectSpec(details, to);
    if (mark === 'reconnect' && reconnect.lost.length > 0) {
      throw new InputError(
        `${details.name} is already on ${to}, and making it the main network means connecting it to ${to} again (NetworkMode cannot change live, so hawser marks the main network's endpoint, which only a connect can do): that would lose ${reconnect.lost.join(' and ')}. Nothing was changed.`,
        `Reconnect it yourself with the marker and those addresses (docker network disconnect ${to} ${details.name}, then docker network connect --driver-opt ${primaryMarker}=1 with --ip6 or --link-local-ip ${to} ${details.name}): it is then in ${to} mode, still beside ${from}.`,
      );
    }

    const listed = (one: string, values: readonly string[] | undefined) => (values && values.length > 0 ? [`${one}${values.length === 1 ? '' : one.endsWith('s') ? 'es' : 's'} ${values.join(', ')}`] : []);
    const kept = [...listed('alias', reconnect.spec.aliases), ...(reconnect.spec.ipv4 ? [`address ${reconnect.spec.ipv4}`] : []), ...listed('link', reconnect.spec.links)];
    const steps = [
      ...(isOffNone ? ['Disconnect it from none'] : []),
      ...(details.networks.some(n => n.name === to) ? [] : [`Connect it to ${to}${carried.length > 0 ? `, keeping its alias${carried.length === 1 ? '' : 'es'} ${carried.join(', ')}` : ''}`]),
      ...(mark === 'reconnect' ? [`Reconnect it to ${to}, marked as its main network (its NetworkMode cannot change live)${kept.length > 0 ? `, keeping its ${kept.join(', ')}` : ''}`] : []),
      ...(isFromNone ? [] : [`Disconnect it from ${from}`]),
      ...details.networks.filter(n => ![from, to, 'none'].includes(n.name)).map(n => `It stays on ${n.name} as well (only its main network changes)`),
    ];
    const links = (await findDependants(engine, details)).filter(d => d.kind === 'link');
    const warnings = [
      ...(isFromNone || !details.isRunning ? [] : [`Connections over ${from} drop; the container keeps running.`]),
      ...(mark === 'reconnect' && details.isRunning ? [`Connections over ${to} drop too, while it is reconnected${reconnect.spec.ipv4 ? '' : `, and its address on ${to} may change`}.`] : []),
      ...(modeKind(from) === 'bridge' ? links.map(l => linkBreakWarning(l, details.name)) : []),
    ];
    const summary: SwitchSummary = {container: details.name, from: fromText, to: toText, method, downtime: 'none (live: no restart)', dropped: [], restored: [], dependants: links};
    // Leaving a link source's receivers unable to start again is asked first.
    const breaksLinks = modeKind(from) === 'bridge' && links.length > 0;
    return {summary, preview: {title: `Switch ${details.name} from ${fromText} to ${toText} (live)`, steps, warnings, isDestructive: breaksLinks}, job: liveJob(details, from, to, configuredMode(details, networks))};
  }

  const context = await loadPlanContext(engine, details);
  // A network it would go back on that was removed meanwhile is left out and named, before anything stops.
  const planned = planRecreate(details, {networkMode: to}, context);
  const plan = withoutNetworks(planned, missingNetworks(planned, networks));

  const dependants = await findDependants(engine, details);
  const toKind = modeKind(to);
  // A recreate renames the original aside before removing it, and Docker moves the receivers' links along:
  // off the bridge they could not be pointed back, so they would name a removed container (no start, no exec).
  const linkers = toKind === 'bridge' ? [] : dependants.filter(d => d.kind === 'link');
  if (linkers.length > 0) {
    const named = linkers.map(d => `${d.name} (as ${d.alias ?? details.name})`).join(', ');
    throw new InputError(
      `${named} ${linkers.length === 1 ? 'links' : 'link'} to ${details.name} with a legacy link, which works only on the default bridge. Switching ${details.name} to ${toText} recreates it, and would leave ${linkers.length === 1 ? 'that container' : 'those containers'} linked to a removed container: unable to start or exec. Nothing was changed.`,
      `Remove the link first (${linkers.map(d => `hawser unlink ${d.name} ${d.alias ?? details.name}`).join('; ')}), or link over a network instead (hawser link RECEIVER ${details.name}:ALIAS).`,
    );
  }

  const downtime = details.isRunning ? `from the stop until the new container is up: a few seconds${plan.hasHealthcheck ? ', plus the wait for its healthcheck' : ''}` : 'none (it is not running)';
  const steps = recreatePreviewSteps(details, plan, dependants, `in ${toText} mode`);
  const warnings = [
    ...plan.dropped.map(d => (d.isLost ? `Lost: ${d.description}` : `${toText} mode cannot keep ${d.description}: kept with the container and restored when it switches back`)),
    ...(details.isRunning ? [`Downtime: ${downtime}.`] : []),
  ];
  const summary: SwitchSummary = {
    container: details.name,
    from: fromText,
    to: toText,
    method,
    downtime,
    dropped: plan.dropped.map(d => d.description),
    restored: plan.restored.map(r => r.description),
    dependants,
  };
  return {summary, preview: {title: `Switch ${details.name} from ${fromText} to ${toText} (recreate)`, steps, warnings, isDestructive: true}, job: recreateJobFor(details, plan, dependants, options, toText)};
}
