// The modern link: a user-defined network both containers are on, with the alias on the source's
// endpoint, so the receiver reaches the source by the alias through the engine's DNS (127.0.0.11).
// Live: connect and (when the source is already there without the alias) reconnect, no restart.
import type {ConnectSpec, EnginePort} from '../../engine/port.js';
import type {ContainerDetails, NetworkSummary} from '../../engine/types.js';
import {InputError, JobError, throwIfAborted, type Job, type JobEvent, type PreparedJob} from '../job.js';
import {currentMode, modeKind} from '../../model/network-modes.js';
import {aliasProblem} from '../../model/aliases.js';
import {addressOn, rawEndpoint, reconnectSpec, resolveLinkPair, userAliases} from './endpoints.js';
import {verifyName, type VerifyOutcome} from './verify.js';

/** What the user asked for. */
export type LinkRequest = {
  readonly receiver: string;
  readonly source: string;
  /** The name the receiver will use for the source; empty: its container name. */
  readonly alias?: string;
  /** A user-defined network to use (created when missing); empty: pick one. */
  readonly network?: string;
};

/** What a modern link will do, as data. */
export type ModernLinkSummary = {
  readonly kind: 'modern';
  readonly receiver: string;
  readonly source: string;
  readonly alias: string;
  readonly network: string;
  readonly createsNetwork: boolean;
  /** What happens to the source's endpoint on the network. */
  readonly sourceAction: 'connect' | 'reconnect' | 'none';
  readonly receiverAction: 'connect' | 'none';
};

/** A prepared link with its summary. */
export type PreparedLink<S> = PreparedJob & {readonly summary: S};

const noNetworksHelp = (name: string) => `Switch ${name} to bridge or a user-defined network first (hawser netmode ${name} bridge).`;

/** Refuses containers that cannot join a network: host, none and container: modes. */
export function assertCanJoinNetworks(details: ContainerDetails): void {
  const mode = currentMode(details);
  const kind = modeKind(mode);
  if (kind === 'host' || kind === 'none') {
    throw new InputError(`${details.name} is in ${kind} mode, which cannot join a network.`, noNetworksHelp(details.name));
  }

  if (kind === 'container') {
    throw new InputError(`${details.name} shares another container's network namespace (container: mode) and cannot join a network itself.`, `Link the container whose namespace it shares, or ${noNetworksHelp(details.name).toLowerCase()}`);
  }
}

function isUserNetwork(network: NetworkSummary): boolean {
  return !['bridge', 'host', 'none'].includes(network.name);
}

/** The default network name when none fits: one per source, so later links to it reuse it. */
export function defaultNetworkName(source: string): string {
  return `${source}-net`;
}

type Choice = {readonly name: string; readonly exists: boolean};

/** Picks the network: the one asked for, else one both share, else the source's, else the receiver's, else a new one. */
function chooseNetwork(request: LinkRequest, receiver: ContainerDetails, source: ContainerDetails, networks: readonly NetworkSummary[], alias: string): Choice {
  const asked = request.network?.trim();
  if (asked) {
    if (asked === 'bridge' || asked === 'default') {
      throw new InputError(
        'Aliases are refused on the default bridge, and containers there do not resolve each other\'s names.',
        `Use a user-defined network (--network NAME, created when missing), or a legacy link on the bridge: hawser link ${receiver.name} ${source.name}:${alias} --legacy`,
      );
    }

    if (asked === 'host' || asked === 'none') {
      throw new InputError(`${asked} is not a network containers can share.`, 'Use a user-defined network (--network NAME, created when missing).');
    }

    const found = networks.find(n => n.name === asked || n.id === asked || (asked.length >= 12 && n.id.startsWith(asked)));
    if (!found && aliasProblem(asked)) {
      throw new InputError(`"${asked}" is not a valid network name.`, 'Letters, digits, "-", "_" and ".", starting with a letter or digit.');
    }

    return found ? {name: found.name, exists: true} : {name: asked, exists: false};
  }

  const userNetworks = new Set(networks.filter(isUserNetwork).map(n => n.name));
  const ofSource = source.networks.map(n => n.name).filter(name => userNetworks.has(name));
  const ofReceiver = receiver.networks.map(n => n.name).filter(name => userNetworks.has(name));
  const shared = ofSource.filter(name => ofReceiver.includes(name));
  const pick = shared.find(name => userAliases(source, name).includes(alias)) ?? shared[0] ?? ofSource[0] ?? ofReceiver[0];
  if (pick) {
    return {name: pick, exists: true};
  }

  const name = defaultNetworkName(source.name);
  return {name, exists: networks.some(n => n.name === name)};
}

/** Refuses an alias another container on the network already answers to. */
async function assertAliasFree(engine: EnginePort, network: string, source: ContainerDetails, alias: string): Promise<void> {
  const wanted = alias.toLowerCase();
  // The container list carries no aliases (null on API 1.41): inspect the network's members.
  const members = (await engine.inspectNetwork(network)).members.filter(m => m.containerId !== source.id);
  for (const member of members) {
    const other = await engine.inspectContainer(member.containerId).catch(() => undefined);
    if (other && (other.name.toLowerCase() === wanted || userAliases(other, network).some(a => a.toLowerCase() === wanted))) {
      throw new InputError(`${other.name} already answers to ${alias} on ${network}; the name would resolve to both.`, 'Pick another alias, or another network (--network NAME).');
    }
  }
}

/** Checks and plans a modern link; throws InputError (nothing changed) on bad input. */
export async function prepareModernLink(engine: EnginePort, request: LinkRequest): Promise<PreparedLink<ModernLinkSummary>> {
  const {receiver, source, alias} = await resolveLinkPair(engine, request, 'hawser link nginx mysql:db');

  assertCanJoinNetworks(receiver);
  assertCanJoinNetworks(source);
  const networks = await engine.listNetworks();
  const network = chooseNetwork(request, receiver, source, networks, alias);
  const isSourceOn = Boolean(rawEndpoint(source, network.name));
  const hasAlias = alias === source.name || userAliases(source, network.name).includes(alias);
  const isReceiverOn = Boolean(rawEndpoint(receiver, network.name));
  const sourceAction = !isSourceOn ? 'connect' : hasAlias ? 'none' : 'reconnect';
  const receiverAction = isReceiverOn ? 'none' : 'connect';
  if (sourceAction === 'none' && receiverAction === 'none') {
    throw new InputError(`${receiver.name} already reaches ${source.name} as ${alias} on ${network.name}.`, 'Nothing to do; hawser doctor checks it.');
  }

  if (network.exists && alias !== source.name) {
    await assertAliasFree(engine, network.name, source, alias);
  }

  const summary: ModernLinkSummary = {kind: 'modern', receiver: receiver.name, source: source.name, alias, network: network.name, createsNetwork: !network.exists, sourceAction, receiverAction};
  const aliasText = alias === source.name ? 'its name' : `the alias ${alias}`;
  const steps = [
    ...(network.exists ? [] : [`Create the user-defined network ${network.name} (bridge driver)`]),
    ...(sourceAction === 'connect' ? [`Connect ${source.name} to ${network.name}${alias === source.name ? '' : ` with the alias ${alias}`}`] : []),
    ...(sourceAction === 'reconnect' ? [`Disconnect ${source.name} from ${network.name} and connect it again with the alias ${alias} (an endpoint's aliases cannot change in place)`] : []),
    ...(receiverAction === 'connect' ? [`Connect ${receiver.name} to ${network.name}`] : []),
    `Check from inside ${receiver.name} that ${alias} resolves to ${source.name}`,
  ];
  const warnings = [
    ...(sourceAction === 'reconnect' ? [`${source.name}'s connections over ${network.name} drop for a moment, and its address there may change.`] : []),
    ...(source.isRunning ? [] : [`${source.name} is not running: ${alias} resolves once it starts.`]),
    ...(alias === source.name ? [] : [`Every container on ${network.name} can use ${aliasText}, not only ${receiver.name}.`]),
  ];
  return {
    summary,
    preview: {title: `Link ${receiver.name} → ${source.name} as ${alias} on ${network.name} (live, no restart)`, steps, warnings, isDestructive: false},
    job: modernLinkJob(receiver, source, summary),
  };
}

function modernLinkJob(receiver: ContainerDetails, source: ContainerDetails, summary: ModernLinkSummary): Job {
  return async function * (engine, signal): AsyncGenerator<JobEvent> {
    const undo: {what: string; run: () => Promise<unknown>}[] = [];
    const network = summary.network;
    try {
      if (summary.createsNetwork) {
        yield {type: 'step', title: `Creating network ${network}`};
        const {id} = await engine.createNetwork({name: network, driver: 'bridge', labels: {'io.hawser.created-by': 'link'}}, {signal});
        undo.push({what: `remove network ${network}`, run: async () => engine.removeNetwork(id)});
      }

      throwIfAborted(signal);
      const aliases = summary.alias === source.name ? [] : [summary.alias];
      if (summary.sourceAction === 'connect') {
        yield {type: 'step', title: `Connecting ${source.name} to ${network}${aliases.length > 0 ? ` as ${summary.alias}` : ''}`};
        await engine.connectNetwork(network, source.id, {aliases}, {signal});
        undo.push({what: `disconnect ${source.name} from ${network}`, run: async () => engine.disconnectNetwork(network, source.id, {force: true})});
      } else if (summary.sourceAction === 'reconnect') {
        const before = reconnectSpec(source, network, userAliases(source, network));
        const after: ConnectSpec = {...before, aliases: [...(before.aliases ?? []), ...aliases]};
        yield {type: 'step', title: `Reconnecting ${source.name} to ${network} with the alias ${summary.alias}`};
        await engine.disconnectNetwork(network, source.id, {signal});
        try {
          await engine.connectNetwork(network, source.id, after, {signal});
        } catch (error) {
          // Put the endpoint back as it was before giving up.
          await engine.connectNetwork(network, source.id, before).catch(() => undefined);
          throw error;
        }

        undo.push({what: `put ${source.name}'s endpoint on ${network} back`, run: async () => {
          await engine.disconnectNetwork(network, source.id, {force: true});
          await engine.connectNetwork(network, source.id, before);
        }});
      }

      throwIfAborted(signal);
      if (summary.receiverAction === 'connect') {
        yield {type: 'step', title: `Connecting ${receiver.name} to ${network}`};
        await engine.connectNetwork(network, receiver.id, {}, {signal});
      }
    } catch (error) {
      const failures: string[] = [];
      for (const step of undo.reverse()) {
        await step.run().catch((undoError: unknown) => failures.push(`${step.what}: ${undoError instanceof Error ? undoError.message : String(undoError)}`));
      }

      const cause = error instanceof Error ? error.message : String(error);
      throw new JobError(`Linking failed: ${cause}`, failures.length > 0 ? `Undoing failed too (${failures.join('; ')}); fix it by hand.` : 'What was done was undone.');
    }

    yield {type: 'step', title: `Checking from inside ${receiver.name} that ${summary.alias} resolves`};
    const fresh = await engine.inspectContainer(source.id, {signal});
    const verification = await verifyName(engine, receiver.id, summary.alias, [addressOn(fresh, network)], signal);
    if (verification.status === 'elsewhere' || verification.status === 'missing') {
      yield {type: 'warning', message: verification.message};
    } else {
      yield {type: 'log', line: verification.message};
    }

    yield {
      type: 'done',
      summary: `${receiver.name} reaches ${source.name} as ${summary.alias} on ${network}${verification.status === 'resolves' ? ' (checked)' : ''}.`,
      data: {...summary, verification: verification as unknown as Record<string, unknown>},
    };
  };
}

/** The verification inside a link job's done event. */
export type LinkVerification = VerifyOutcome;
