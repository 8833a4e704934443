// `hawser doctor A B`: can container A reach B (by the name, alias or address the user gave), and if
// not, why and which hawser action fixes it. First from the engine's view (running, namespaces, modes,
// shared networks, ICC, internal networks, names, forwarding), then, when A is running and its image
// has the tools, from inside A (resolve, ping, TCP connect), which overrides the static view.
import type {EnginePort} from '../../engine/port.js';
import {EngineError} from '../../engine/errors.js';
import type {ContainerDetails, ContainerNetwork, NetworkSummary} from '../../engine/types.js';
import {detectForwarding} from '../forwarding/detect.js';
import {InputError} from '../job.js';
import {legacyLinksOf, requireContainer, userAliases} from '../links/endpoints.js';
import {hostsAddresses, readHostsFile} from '../links/hosts-file.js';
import {defaultNetworkName} from '../links/modern-link.js';
import {pingFrom, resolveInContainer, tcpConnectFrom, type TcpOutcome} from '../links/probes.js';
import {containerOfMode, currentMode, modeKind} from '../../model/network-modes.js';
import {connectFix, forwardingFix, linkFix, startFix, switchModeFix, type Fix} from './fixes.js';
import {namesKnown} from './names.js';

/** reachable: by what the user gave; ip-only: by address but not by that name; unreachable: not at all. */
export type Verdict = 'reachable' | 'ip-only' | 'unreachable';

/** One thing the doctor looked at. */
export type Check = {readonly id: string; readonly status: 'ok' | 'problem' | 'note'; readonly message: string};

/** What the probes from inside A found (absent when they did not run). */
export type Probes = {
  readonly resolve?: {readonly name: string; readonly method: string; readonly addresses: readonly string[]};
  readonly ping?: {readonly address: string; readonly isAnswered: boolean | null};
  readonly tcp?: {readonly host: string; readonly port: number; readonly outcome: TcpOutcome; readonly tool: string};
};

/** The doctor's answer. JSON-safe. */
export type DoctorReport = {
  readonly from: string;
  readonly to: string;
  /** What the user typed for B. */
  readonly target: string;
  readonly by: 'name' | 'ip';
  readonly port?: number;
  readonly verdict: Verdict;
  readonly summary: string;
  /** Names and addresses that work from A (for a shared namespace: localhost). */
  readonly reachableAs: readonly string[];
  /** Why not, one line each; empty when reachable. */
  readonly reasons: readonly string[];
  readonly checks: readonly Check[];
  readonly probes: Probes;
  /** What fixes it, first the best; the TUI offers each (see fixes.ts: fixForm). */
  readonly fixes: readonly Fix[];
};

/** Options of a diagnosis. */
export type DoctorOptions = {readonly port?: number; readonly signal?: AbortSignal; readonly isProbing?: boolean};

const isIpv4 = (text: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(text);
const iccOption = 'com.docker.network.bridge.enable_icc';

type Target = {readonly details: ContainerDetails; readonly by: 'name' | 'ip'; readonly name: string};

/** Finds B: a container's name or id, an IPv4 address of a container, or an alias (on a network, or A's legacy link). */
async function resolveTarget(engine: EnginePort, a: ContainerDetails, target: string): Promise<Target> {
  const text = target.trim();
  if (!text) {
    throw new InputError('No target given.', 'Name the container to reach: hawser doctor A B');
  }

  const all = await engine.listContainers();
  if (isIpv4(text)) {
    const owner = all.find(c => c.networks.some(n => n.ipv4 === text));
    if (!owner) {
      throw new InputError(`No container has the address ${text}.`, 'See the addresses with hawser ls containers.');
    }

    return {details: await engine.inspectContainer(owner.id), by: 'ip', name: text};
  }

  try {
    const details = await engine.inspectContainer(text);
    // A long id is nobody's DNS name: ask about the container's name instead.
    return {details, by: 'name', name: /^[0-9a-f]{13,64}$/.test(text) ? details.name : text};
  } catch (error) {
    if (!(error instanceof EngineError && error.statusCode === 404)) {
      throw error;
    }
  }

  const link = legacyLinksOf(a).find(l => l.alias === text);
  let owner = link?.source;
  // The container list carries no aliases (null on API 1.41): inspect to find who answers to it.
  for (const candidate of owner ? [] : all) {
    const details = await engine.inspectContainer(candidate.id).catch(() => undefined);
    if (details?.networks.some(n => userAliases(details, n.name).includes(text))) {
      owner = details.id;
      break;
    }
  }

  if (!owner) {
    throw new InputError(`No container, alias or address ${text}.`, 'Give B as a container name, one of its aliases, or its IPv4 address.');
  }

  if (link) {
    const source = await engine.inspectContainer(link.source).catch(() => undefined);
    if (!source) {
      // Docker keeps a link to a container's name as it was; a source recreated aside or removed leaves it dangling.
      const current = link.source.replace(/^\//, '').replace(/-hawser-old-[0-9a-f]{6}$/, '');
      throw new InputError(`${a.name}'s legacy link ${text} points at ${link.source.replace(/^\//, '')}, which no longer exists: the link is stale (links break when their source is removed or recreated), ${text} does not resolve, and ${a.name} will not start again with it.`, `Link it again to the container that serves it now: hawser unlink ${a.name} ${text}, then hawser link ${a.name} ${current}:${text} --legacy (or, better, a user-defined network: hawser link ${a.name} ${current}:${text}).`);
    }
  }

  return {details: await requireContainer(engine, owner), by: 'name', name: text};
}

/** The container whose network namespace `details` uses (itself, or its container: parent, followed). */
async function namespaceOwner(engine: EnginePort, details: ContainerDetails): Promise<ContainerDetails> {
  let current = details;
  for (let depth = 0; depth < 8 && modeKind(currentMode(current)) === 'container'; depth++) {
    const parent = await engine.inspectContainer(containerOfMode(currentMode(current))).catch(() => undefined);
    if (!parent) {
      break;
    }

    current = parent;
  }

  return current;
}

const listNames = (networks: readonly ContainerNetwork[]) => networks.map(n => n.name).join(', ') || 'no network';

/** Diagnoses whether `fromReference` can reach `targetReference`; throws InputError for unknown containers. */
export async function diagnose(engine: EnginePort, fromReference: string, targetReference: string, options: DoctorOptions = {}): Promise<DoctorReport> {
  const signal = options.signal ?? new AbortController().signal;
  const port = options.port;
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65_535)) {
    throw new InputError(`${String(port)} is not a TCP port.`, 'A port is a number from 1 to 65535.');
  }

  const a = await requireContainer(engine, fromReference);
  const target = await resolveTarget(engine, a, targetReference);
  const b = target.details;
  if (a.id === b.id) {
    throw new InputError(`${a.name} and ${target.name} are the same container.`, 'A container reaches itself at localhost.');
  }

  const checks: Check[] = [];
  const reasons: string[] = [];
  const fixes: Fix[] = [];
  const reachableAs: string[] = [];
  // Changed through the closures below, so not narrowed by the compiler.
  let level = 'reachable' as Verdict;
  const downgrade = (to: Verdict) => {
    if (to === 'unreachable' || (to === 'ip-only' && level === 'reachable')) {
      level = to;
    }
  };

  const problem = (id: string, message: string, verdict: Verdict, fix?: Fix) => {
    checks.push({id, status: 'problem', message});
    reasons.push(message);
    downgrade(verdict);
    if (fix && !fixes.some(f => f.label === fix.label)) {
      fixes.push(fix);
    }
  };

  const ok = (id: string, message: string) => checks.push({id, status: 'ok', message});
  const note = (id: string, message: string) => checks.push({id, status: 'note', message});

  if (b.isRunning) {
    ok('target-running', `${b.name} is running.`);
  } else {
    problem('target-running', `${b.name} is ${b.state || 'not running'}: a stopped container has no address and answers nothing.`, 'unreachable', startFix(b.name));
  }

  if (a.isRunning) {
    ok('source-running', `${a.name} is running.`);
  } else {
    problem('source-running', `${a.name} is ${a.state || 'not running'}: it reaches nothing until it runs (and cannot be probed).`, 'unreachable', startFix(a.name));
  }

  let nsA = await namespaceOwner(engine, a);
  let nsB = await namespaceOwner(engine, b);
  for (const [details, owner] of [[a, nsA], [b, nsB]] as const) {
    if (owner.id !== details.id) {
      note('namespace', `${details.name} shares ${owner.name}'s network namespace (container: mode): its networks and names are ${owner.name}'s.`);
    }
  }

  const kindA = modeKind(currentMode(nsA));
  const kindB = modeKind(currentMode(nsB));
  let ips: string[] = [];
  let sharedUsable: ContainerNetwork[] = [];
  const networks = new Map<string, NetworkSummary>((await engine.listNetworks({signal})).map(n => [n.id, n]));
  // A container that never started has no endpoints yet: its networks carry names but no IDs. Matched by name,
  // it shares its networks as it will once started (else "share no network", with a wrong fix, for a stopped one).
  const byName = new Map([...networks.values()].map(n => [n.name, n.id]));
  const withIds = (details: ContainerDetails): ContainerDetails => ({...details, networks: details.networks.map(n => (n.networkId ? n : {...n, networkId: byName.get(n.name) ?? ''}))});
  nsA = withIds(nsA);
  nsB = withIds(nsB);
  const userNetworksOf = (details: ContainerDetails) => details.networks.filter(n => n.name !== 'bridge' && networks.get(n.networkId)?.options[iccOption] !== 'false');

  if (nsA.id === nsB.id || (kindA === 'host' && kindB === 'host')) {
    ok('namespace', nsA.id === nsB.id ? `${a.name} and ${b.name} share one network namespace: ${a.name} reaches ${b.name} at localhost.` : `Both use the host's network stack: ${a.name} reaches ${b.name} at localhost.`);
    reachableAs.push('localhost');
  } else if (kindA === 'none' || kindB === 'none') {
    for (const [details, owner, kind, other] of [[a, nsA, kindA, nsB], [b, nsB, kindB, nsA]] as const) {
      if (kind === 'none') {
        const to = userNetworksOf(other)[0]?.name ?? 'bridge';
        problem('mode', `${details.name} is in none mode${owner.id === details.id ? '' : ` (through ${owner.name})`}: it has only loopback.`, 'unreachable', switchModeFix(owner.name, to));
      }
    }
  } else if (kindA === 'host') {
    ips = nsB.networks.map(n => n.ipv4).filter(Boolean);
    note('mode', `${a.name} uses the host's network: it reaches ${b.name} by address (${ips.join(', ') || 'none yet'}) through the host's routes to the bridges.`);
    reachableAs.push(...ips);
    if (target.by === 'name') {
      problem('name', `${a.name} uses the host's network, where the engine's DNS does not answer: ${target.name} does not resolve.`, 'ip-only', switchModeFix(nsA.name, userNetworksOf(nsB)[0]?.name ?? 'bridge'));
    }
  } else if (kindB === 'host') {
    const gateways = nsA.networks.map(n => n.gateway).filter(Boolean);
    note('mode', `${b.name} uses the host's network: ${a.name} reaches it at the host's address on its own network (gateway ${gateways.join(', ') || '-'}), if ${b.name} listens there.`);
    reachableAs.push(...gateways);
    ips = gateways;
    if (target.by === 'name') {
      problem('name', `${b.name} uses the host's network and has no endpoint on ${a.name}'s networks: ${target.name} does not resolve.`, 'ip-only', switchModeFix(nsB.name, userNetworksOf(nsA)[0]?.name ?? 'bridge'));
    }
  } else {
    const shared = nsA.networks.filter(n => nsB.networks.some(m => m.networkId === n.networkId));
    sharedUsable = shared.filter(n => networks.get(n.networkId)?.options[iccOption] !== 'false');
    for (const network of shared) {
      const summary = networks.get(network.networkId);
      if (summary?.options[iccOption] === 'false') {
        const message = `Inter-container communication is disabled on ${network.name} (${iccOption}=false): containers on it cannot reach each other.`;
        // Another shared network still carries the traffic: then it is only worth knowing.
        if (sharedUsable.length > 0) {
          note('icc', message);
        } else {
          problem('icc', message, 'unreachable');
        }
      } else if (summary?.isInternal) {
        note('internal', `${network.name} is internal: fine between containers on it; nothing leaves it towards the host or outside.`);
      }
    }
    if (shared.length === 0) {
      problem('shared-network', `${a.name} and ${b.name} share no network: ${a.name} is on ${listNames(nsA.networks)}, ${b.name} on ${listNames(nsB.networks)}.`, 'unreachable');
      const internalOf = (details: ContainerDetails) => details.networks.filter(n => networks.get(n.networkId)?.isInternal);
      const aInternal = internalOf(nsA);
      const bInternal = internalOf(nsB);
      if (aInternal.length > 0 && aInternal.length === nsA.networks.length) {
        problem('internal', `${a.name}'s network${aInternal.length > 1 ? 's are' : ' is'} internal (${listNames(aInternal)}): nothing leaves ${aInternal.length > 1 ? 'them' : 'it'}, not even towards the host, so ${b.name} is reachable only if it joins.`, 'unreachable', connectFix(nsB.name, aInternal[0]!.name, ` (${a.name} stays isolated)`));
      } else if (bInternal.length > 0 && bInternal.length === nsB.networks.length) {
        problem('internal', `${b.name}'s network${bInternal.length > 1 ? 's are' : ' is'} internal (${listNames(bInternal)}): only containers on ${bInternal.length > 1 ? 'them' : 'it'} reach ${b.name}.`, 'unreachable', connectFix(nsA.name, bInternal[0]!.name));
      } else {
        const destination = userNetworksOf(nsB)[0];
        const knowsName = target.by === 'ip' || !destination || namesKnown(nsA, nsB, [destination.name]).has(target.name.toLowerCase());
        fixes.push(destination && knowsName ? connectFix(nsA.name, destination.name, ` (where ${b.name} is)`) : linkFix(nsA.name, nsB.name, target.by === 'name' ? target.name : '', destination?.name ?? ''));
        if (b.ports.some(p => p.publicPort)) {
          // Published ports are reached through the host: routed between bridges, so forwarding matters.
          const forwarding = await detectForwarding(engine, {live: 'auto', signal}).catch(() => undefined);
          if (forwarding?.state === 'off') {
            problem('forwarding', `IPv4 forwarding is off on the engine's host: going through ${b.name}'s published ports from another network is dropped too.`, 'unreachable', forwardingFix());
          } else if (forwarding) {
            note('forwarding', `IPv4 forwarding is ${forwarding.state}; ${b.name} publishes ports (${b.ports.filter(p => p.publicPort).map(p => `${p.publicPort}→${p.privatePort}`).join(', ')}), which ${a.name} could try through the host's address.`);
          }
        }
      }
    } else if (sharedUsable.length === 0) {
      fixes.push(linkFix(nsA.name, nsB.name, target.by === 'name' && target.name !== b.name ? target.name : '', defaultNetworkName(nsB.name)));
    } else {
      ips = sharedUsable.map(n => nsB.networks.find(m => m.networkId === n.networkId)?.ipv4 ?? '').filter(Boolean);
      ok('shared-network', `${a.name} and ${b.name} share ${listNames(sharedUsable)}${ips.length > 0 ? `; ${b.name} has ${ips.join(', ')} there` : ''}.`);
      if (target.by === 'ip' && b.isRunning && !ips.includes(target.name)) {
        const owner = nsB.networks.find(n => n.ipv4 === target.name);
        problem('address', `${target.name} is ${b.name}'s address on ${owner?.name ?? 'another network'}, which ${a.name} is not on; use ${ips.join(' or ')}.`, 'unreachable', owner ? connectFix(nsA.name, owner.name) : undefined);
      }

      const known = namesKnown(nsA, nsB, sharedUsable.map(n => n.name));
      // Extra hosts and links end up in /etc/hosts: read it whatever the image has.
      const hosts = await readHostsFile(engine, nsA.id, {signal}).catch(() => []);
      if (target.by === 'name') {
        const fromHosts = hostsAddresses(hosts, target.name);
        if (fromHosts.some(address => nsB.networks.some(n => n.ipv4 === address))) {
          if (!known.has(target.name.toLowerCase())) {
            known.set(target.name.toLowerCase(), `${a.name}'s /etc/hosts`);
          }
        } else if (fromHosts.length > 0 && b.isRunning) {
          problem('hosts', `${a.name}'s /etc/hosts maps ${target.name} to ${fromHosts.join(', ')}, which is not ${b.name}'s address (a link or extra host gone stale: links break when the source is recreated).`, 'ip-only', linkFix(nsA.name, nsB.name, target.name, userNetworksOf(nsB)[0]?.name ?? ''));
        }

        const how = known.get(target.name.toLowerCase());
        if (how) {
          ok('name', `${a.name} knows ${target.name} through ${how}.`);
        } else {
          const isBridgeOnly = sharedUsable.every(n => n.name === 'bridge');
          const why = isBridgeOnly
            ? 'on the default bridge the engine\'s DNS does not serve container names; only a legacy link or an /etc/hosts entry does'
            : `${target.name} is neither ${b.name}'s name nor one of its aliases on ${listNames(sharedUsable.filter(n => n.name !== 'bridge'))}`;
          const network = sharedUsable.find(n => n.name !== 'bridge')?.name ?? userNetworksOf(nsB)[0]?.name ?? '';
          problem('name', `${a.name} does not know the name ${target.name}: ${why}.`, 'ip-only', linkFix(nsA.name, nsB.name, target.name, network));
        }
      }

      reachableAs.push(...[...known.keys()].filter(name => name !== b.id.slice(0, 12)), ...ips);
    }
  }

  const probes = options.isProbing === false || !a.isRunning || !b.isRunning || kindA === 'none' ? {} : await probe(engine, a, target, ips, reachableAs, port, signal);
  if (probes.resolve) {
    const addresses = probes.resolve.addresses;
    const wanted = [...ips, ...nsB.networks.map(n => n.ipv4)].filter(Boolean);
    if (addresses.some(address => wanted.includes(address))) {
      ok('probe-resolve', `Inside ${a.name}, ${probes.resolve.name} resolves to ${addresses.join(', ')} (${probes.resolve.method}).`);
      const problems = checks.filter(c => c.status === 'problem');
      if (level === 'ip-only' && problems.length > 0 && problems.every(c => c.id === 'name')) {
        // The probe is the truth: a search domain or a DNS entry the engine cannot see.
        level = 'reachable';
      }
    } else if (addresses.length > 0) {
      problem('probe-resolve', `Inside ${a.name}, ${probes.resolve.name} resolves to ${addresses.join(', ')}, not to ${b.name} (${probes.resolve.method}).`, 'ip-only');
    } else if (probes.resolve.method !== 'none') {
      checks.push({id: 'probe-resolve', status: level === 'reachable' ? 'problem' : 'note', message: `Inside ${a.name}, ${probes.resolve.name} does not resolve (${probes.resolve.method}).`});
      if (level === 'reachable' && probes.resolve.method !== '/etc/hosts') {
        reasons.push(`Inside ${a.name}, ${probes.resolve.name} does not resolve.`);
        downgrade('ip-only');
      }
    }
  }

  if (probes.ping) {
    const answered = probes.ping.isAnswered;
    checks.push({id: 'probe-ping', status: answered ? 'ok' : answered === false ? (level === 'unreachable' ? 'note' : 'problem') : 'note', message: answered === null ? `${a.name}'s image has no ping.` : `${probes.ping.address} ${answered ? 'answers' : 'does not answer'} a ping from ${a.name}.`});
  }

  if (probes.tcp) {
    const {outcome, host, port: tcpPort} = probes.tcp;
    const where = `${host}:${tcpPort}`;
    if (outcome === 'open') {
      ok('probe-tcp', `${a.name} connects to ${where}.`);
    } else if (outcome === 'refused') {
      problem('probe-tcp', `${where} refuses the connection: ${b.name} is reachable but nothing listens on port ${tcpPort} there.`, 'unreachable');
    } else if (outcome === 'no-answer' || outcome === 'unreachable') {
      problem('probe-tcp', `${where} ${outcome === 'no-answer' ? 'does not answer' : 'is unreachable'} from ${a.name}${level === 'unreachable' ? '' : ': something drops the traffic (a firewall rule, or ICC off)'}.`, 'unreachable');
    } else {
      note('probe-tcp', `${a.name}'s image has no nc: the TCP connect to ${where} was not tried.`);
    }
  }

  const verdict: Verdict = level === 'ip-only' && target.by === 'ip' ? 'reachable' : level;
  const names = [...new Set(reachableAs)];
  const summary = verdict === 'reachable'
    ? `${a.name} can reach ${b.name}${names.length > 0 ? ` as ${names.slice(0, 6).join(', ')}` : ''}${port ? ` (port ${port})` : ''}.`
    : verdict === 'ip-only'
      ? `${a.name} reaches ${b.name} only by address (${ips.join(', ') || '-'}), not as ${target.name}.`
      : `${a.name} cannot reach ${b.name}: ${reasons[0] ?? 'see the checks'}`;
  return {from: a.name, to: b.name, target: target.name, by: target.by, ...(port ? {port} : {}), verdict, summary, reachableAs: verdict === 'unreachable' ? [] : names, reasons: verdict === 'reachable' ? [] : reasons, checks, probes, fixes: verdict === 'reachable' ? [] : fixes};
}

async function probe(engine: EnginePort, a: ContainerDetails, target: Target, ips: readonly string[], reachableAs: readonly string[], port: number | undefined, signal: AbortSignal): Promise<Probes> {
  const result: {-readonly [K in keyof Probes]: Probes[K]} = {};
  let host = ips[0] ?? (reachableAs.includes('localhost') ? 'localhost' : '');
  if (target.by === 'name' && !reachableAs.includes('localhost')) {
    const resolution = await resolveInContainer(engine, a.id, target.name, signal, true);
    result.resolve = {name: target.name, method: resolution.method, addresses: resolution.addresses};
    host = resolution.addresses.length > 0 ? target.name : host;
  } else if (target.by === 'ip') {
    host = target.name;
  }

  const address = target.by === 'ip' ? target.name : result.resolve?.addresses[0] ?? ips[0];
  if (address && address !== 'localhost') {
    result.ping = {address, isAnswered: (await pingFrom(engine, a.id, address, signal)) ?? null};
  }

  if (port && host) {
    result.tcp = {host, port, ...await tcpConnectFrom(engine, a.id, host, port, signal)};
  }

  return result;
}
