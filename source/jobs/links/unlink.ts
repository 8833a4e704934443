// Undoing a link. A legacy link lives in the receiver's HostConfig.Links, so the receiver is
// recreated safely without it. A link made on a user-defined network (`--network N --link s:a`) lives
// on the receiver's endpoint, so the receiver is disconnected and connected again without it. A modern link is an alias on the source's endpoint: an endpoint's
// aliases cannot change in place, so the source is disconnected from that network and connected again
// without the alias (keeping its other aliases and static address). The receiver stays on the network:
// it may use it for other containers, and the alias was the link.
import type {ConnectSpec, EnginePort} from '../../engine/port.js';
import type {ContainerDetails} from '../../engine/types.js';
import {InputError, JobError, throwIfAborted, type Job, type JobEvent} from '../job.js';
import {findDependants, type Dependant} from '../recreate/dependants.js';
import {loadPlanContext} from '../recreate/plan-context.js';
import {planRecreate, type RecreatePlan} from '../recreate/plan.js';
import {recreateSteps, type RecreateOptions} from '../recreate/recreate-job.js';
import {legacyLinksOf, normalizeEndpointLink, rawEndpoint, reconnectSpec, requireContainer, userAliases, type LegacyLink} from './endpoints.js';
import {recreatePreviewSteps} from '../recreate/preview-steps.js';
import {repointDependants} from '../recreate/repoint.js';
import type {PreparedLink} from './modern-link.js';
import {resolveInContainer} from './probes.js';

/** A modern link to remove: `alias` on `source`'s endpoint on `network`. */
export type AliasRemoval = {readonly sourceId: string; readonly source: string; readonly network: string; readonly alias: string; readonly otherMembers: readonly string[]};

/** A link on the receiver's endpoint of a user-defined network (`docker run --network N --link source:alias`). */
export type EndpointLink = {readonly network: string; readonly source: string; readonly alias: string};

/** What an unlink will do, as data. */
export type UnlinkSummary = {
  readonly receiver: string;
  readonly target: string;
  readonly legacy: readonly LegacyLink[];
  readonly aliases: readonly AliasRemoval[];
  readonly endpointLinks: readonly EndpointLink[];
  readonly dependants: readonly Dependant[];
};

/** Every link the receiver has, as `hawser unlink` takes them: legacy aliases and modern aliases of containers on shared networks. */
export async function linksOf(engine: EnginePort, receiver: ContainerDetails): Promise<{legacy: LegacyLink[]; aliases: AliasRemoval[]; endpointLinks: EndpointLink[]}> {
  const shared = receiver.networks.map(n => n.name).filter(name => name !== 'bridge');
  const all = await engine.listContainers();
  const aliases: AliasRemoval[] = [];
  for (const other of all) {
    const networks = other.networks.filter(n => shared.includes(n.name));
    if (other.id === receiver.id || networks.length === 0) {
      continue;
    }

    const details = await engine.inspectContainer(other.id).catch(() => undefined);
    for (const network of details ? networks : []) {
      for (const alias of userAliases(details!, network.name)) {
        const otherMembers = all.filter(c => c.id !== other.id && c.id !== receiver.id && c.networks.some(n => n.name === network.name)).map(c => c.name);
        aliases.push({sourceId: other.id, source: other.name, network: network.name, alias, otherMembers});
      }
    }
  }

  return {legacy: legacyLinksOf(receiver), aliases, endpointLinks: endpointLinksOf(receiver)};
}

/** The links on the receiver's endpoints of user-defined networks. */
export function endpointLinksOf(receiver: ContainerDetails): EndpointLink[] {
  return receiver.networks.filter(n => n.name !== 'bridge').flatMap(network => {
    const links = rawEndpoint(receiver, network.name)?.['Links'];
    return (Array.isArray(links) ? links as string[] : []).map(link => {
      const [source = '', alias = ''] = normalizeEndpointLink(link).split(':');
      return {network: network.name, source, alias};
    });
  });
}

/** Checks and plans removing the receiver's link to `target` (a source's name or an alias); throws InputError when there is none. */
export async function prepareUnlink(engine: EnginePort, receiverReference: string, targetReference: string, options: RecreateOptions = {}): Promise<PreparedLink<UnlinkSummary>> {
  const receiver = await requireContainer(engine, receiverReference);
  const target = targetReference.trim();
  if (!target) {
    throw new InputError('Say which link to remove: a source container or an alias.', `For example: hawser unlink ${receiver.name} aliasmysql`);
  }

  const known = await linksOf(engine, receiver);
  const legacy = known.legacy.filter(link => link.alias === target || link.source === target);
  const endpointLinks = known.endpointLinks.filter(link => link.alias === target || link.source === target);
  let aliases = known.aliases.filter(a => a.alias === target);
  if (aliases.length === 0 && legacy.length === 0 && endpointLinks.length === 0) {
    const bySource = known.aliases.filter(a => a.source === target || a.sourceId.startsWith(target));
    if (bySource.length > 1) {
      throw new InputError(`${target} has several aliases on networks ${receiver.name} shares: ${bySource.map(a => `${a.alias} (on ${a.network})`).join(', ')}.`, `Say which: hawser unlink ${receiver.name} ALIAS`);
    }

    aliases = bySource;
  }

  if (legacy.length === 0 && aliases.length === 0 && endpointLinks.length === 0) {
    const all = [...known.legacy.map(l => `${l.alias} → ${l.source} (legacy)`), ...known.endpointLinks.map(l => `${l.alias} → ${l.source} (link on ${l.network})`), ...known.aliases.map(a => `${a.alias} → ${a.source} (on ${a.network})`)];
    throw new InputError(`${receiver.name} has no link to ${target}.`, all.length > 0 ? `Its links: ${all.join(', ')}.` : `${receiver.name} has no links.`);
  }

  let plan: RecreatePlan | undefined;
  let dependants: Dependant[] = [];
  if (legacy.length > 0) {
    const keep = known.legacy.filter(link => !legacy.includes(link)).map(link => `${link.source}:${link.alias}`);
    plan = planRecreate(receiver, {links: keep}, await loadPlanContext(engine, receiver));
    dependants = await findDependants(engine, receiver);
  }

  const summary: UnlinkSummary = {receiver: receiver.name, target, legacy, aliases, endpointLinks, dependants};
  const steps = [
    ...(plan ? [`Remove the legacy link${legacy.length > 1 ? 's' : ''} ${legacy.map(l => `${l.source}:${l.alias}`).join(', ')} by recreating ${receiver.name} without it:`, ...recreatePreviewSteps(receiver, plan, dependants, 'without it').map(step => `  ${step}`)] : []),
    ...endpointLinks.map(l => `Disconnect ${receiver.name} from ${l.network} and connect it again without its link ${l.source}:${l.alias} (aliases, other links and a static address are kept)`),
    ...aliases.map(a => `Disconnect ${a.source} from ${a.network} and connect it again without the alias ${a.alias} (other aliases and a static address are kept)`),
    `Check from inside ${receiver.name} that the name no longer resolves`,
  ];
  const warnings = [
    ...(plan && receiver.isRunning ? [`Downtime for ${receiver.name}: from the stop until the new container is up, a few seconds.`] : []),
    ...(plan ? [`${receiver.name} loses the env vars the link injected (${legacy.map(l => `${l.alias.toUpperCase()}_*`).join(', ')}).`] : []),
    ...endpointLinks.map(l => `${receiver.name}'s connections over ${l.network} drop for a moment, and its address there may change.`),
    ...aliases.map(a => `${a.source}'s connections over ${a.network} drop for a moment, and its address there may change.`),
    ...aliases.filter(a => a.otherMembers.length > 0).map(a => `The alias ${a.alias} goes for every container on ${a.network}, also ${a.otherMembers.join(', ')}.`),
  ];
  return {
    summary,
    preview: {title: `Unlink ${receiver.name} from ${target}`, steps, warnings, isDestructive: plan !== undefined},
    job: unlinkJob(receiver, summary, plan, options),
  };
}

/** Disconnects a container from a network and connects it again with `after`; back with `before` if that fails. */
async function reconnect(engine: EnginePort, id: string, name: string, network: string, before: ConnectSpec, after: ConnectSpec, what: string, signal: AbortSignal): Promise<void> {
  await engine.disconnectNetwork(network, id, {signal});
  try {
    await engine.connectNetwork(network, id, after, {signal});
  } catch (error) {
    const isBack = await engine.connectNetwork(network, id, before).then(() => true, () => false);
    throw new JobError(`Could not reconnect ${name} to ${network}: ${error instanceof Error ? error.message : String(error)}`, isBack ? `It was connected again as before, ${what} included.` : `It is now off ${network}: reconnect it by hand (docker network connect ${network} ${name}).`);
  }
}

function unlinkJob(receiver: ContainerDetails, summary: UnlinkSummary, plan: RecreatePlan | undefined, options: RecreateOptions): Job {
  return async function * (engine, signal): AsyncGenerator<JobEvent> {
    let receiverId = receiver.id;
    if (plan) {
      ({newId: receiverId} = yield * recreateSteps(engine, plan, signal, options));
      yield * repointDependants(engine, receiver, receiverId, 'bridge', summary.dependants, signal, options);
    }

    for (const link of summary.endpointLinks) {
      throwIfAborted(signal);
      const current = await engine.inspectContainer(receiverId, {signal});
      const before = reconnectSpec(current, link.network, userAliases(current, link.network));
      const after = {...before, links: (before.links ?? []).filter(other => other !== `${link.source}:${link.alias}`)};
      yield {type: 'step', title: `Reconnecting ${receiver.name} to ${link.network} without its link ${link.source}:${link.alias}`};
      await reconnect(engine, current.id, receiver.name, link.network, before, after, `link ${link.source}:${link.alias}`, signal);
    }

    for (const removal of summary.aliases) {
      throwIfAborted(signal);
      const source = await engine.inspectContainer(removal.sourceId, {signal});
      const before = reconnectSpec(source, removal.network, userAliases(source, removal.network));
      const after = {...before, aliases: (before.aliases ?? []).filter(alias => alias !== removal.alias)};
      yield {type: 'step', title: `Reconnecting ${removal.source} to ${removal.network} without the alias ${removal.alias}`};
      await reconnect(engine, source.id, removal.source, removal.network, before, after, `alias ${removal.alias}`, signal);
    }

    const names = [...new Set([...summary.legacy.map(l => l.alias), ...summary.endpointLinks.map(l => l.alias), ...summary.aliases.map(a => a.alias)])];
    const fresh = await engine.inspectContainer(receiverId, {signal});
    const stillResolving: string[] = [];
    for (const name of names) {
      yield {type: 'step', title: `Checking from inside ${receiver.name} that ${name} no longer resolves`};
      const resolution = await resolveInContainer(engine, receiverId, name, signal, fresh.isRunning);
      if (resolution.addresses.length > 0) {
        stillResolving.push(name);
        yield {type: 'warning', message: `${name} still resolves inside ${receiver.name} (to ${resolution.addresses.join(', ')}, with ${resolution.method}): another container or network answers to it.`};
      } else {
        yield {type: 'log', line: `${name} no longer resolves inside ${receiver.name}${resolution.isDefinite || resolution.method !== 'none' ? ` (checked with ${resolution.method})` : ''}.`};
      }
    }

    yield {
      type: 'done',
      summary: `${receiver.name} no longer links to ${summary.target}${plan ? ` (recreated as ${receiverId.slice(0, 12)})` : ''}.`,
      data: {...summary, id: receiverId, stillResolving},
    };
  };
}
