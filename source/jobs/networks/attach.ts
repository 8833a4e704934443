// Connecting a container to a network (aliases, static IPv4) and disconnecting it.
import type {EnginePort} from '../../engine/port.js';
import {readBackEndpoints} from '../read-back.js';
import {InputError, JobError, type PreparedJob} from '../job.js';
import {findContainer} from '../network-mode/targets.js';
import {currentMode, modeKind} from '../../model/network-modes.js';
import {cidrContains, parseCidr, parseIpv4} from './ipv4.js';
import {findNetwork, isBuiltin} from './find.js';
import {nameProblem} from './validate.js';

/** What to connect, with optional aliases and static address. */
export type ConnectInput = {readonly network: string; readonly container: string; readonly aliases?: readonly string[]; readonly ipv4?: string};

/** Splits "a, b c" into alias names. */
export function parseAliases(text: string | undefined): string[] {
  return (text ?? '').split(/[\s,]+/).map(a => a.trim()).filter(Boolean);
}

/** Validates and plans a connect; a none-mode container is disconnected from none first (what pipework was for). */
export async function prepareConnect(engine: EnginePort, input: ConnectInput): Promise<PreparedJob> {
  const [network, container] = await Promise.all([findNetwork(engine, input.network), findContainer(engine, input.container)]);
  const aliases = [...new Set(input.aliases ?? [])];
  const ipv4 = input.ipv4?.trim() ?? '';
  if (network.name === 'host' || network.name === 'none') {
    throw new InputError(`Joining ${network.name} is a network mode, not a connection.`, `Use hawser netmode ${container.name} ${network.name}.`);
  }

  const mode = currentMode(container);
  if (modeKind(mode) === 'host' || modeKind(mode) === 'container') {
    throw new InputError(`${container.name} uses ${modeKind(mode) === 'host' ? 'the host\'s network' : 'another container\'s namespace'}, which cannot join other networks.`, `Switch its mode first: hawser netmode ${container.name} ${network.name}.`);
  }

  if (container.networks.some(n => n.networkId === network.id || n.name === network.name)) {
    throw new InputError(`${container.name} is already connected to ${network.name}.`, 'Disconnect it first to change its aliases or address.');
  }

  const isDefaultBridge = isBuiltin(network);
  for (const alias of aliases) {
    const problem = nameProblem(alias, `The alias "${alias}"`);
    if (problem) {
      throw new InputError(problem, 'Aliases are DNS names: letters, digits, _ . -.');
    }
  }

  if (isDefaultBridge && (aliases.length > 0 || ipv4)) {
    throw new InputError('The default bridge takes neither aliases nor static addresses.', 'Use a user-defined network (hawser network create NAME) for names that resolve and fixed addresses.');
  }

  if (ipv4) {
    const address = parseIpv4(ipv4);
    if (address === undefined) {
      throw new InputError(`${ipv4} is not an IPv4 address.`, 'Write it like 10.20.0.5.');
    }

    const subnets = network.ipam.map(p => ({pool: p, cidr: parseCidr(p.subnet, false)})).filter(p => p.cidr);
    const home = subnets.find(p => cidrContains(p.cidr!, address));
    if (!home) {
      throw new InputError(`${ipv4} is not inside ${network.name}'s subnet${subnets.length === 1 ? '' : 's'} ${subnets.map(p => p.pool.subnet).join(', ') || '(none configured)'}.`, 'Pick an address inside the subnet.');
    }

    const cidr = home.cidr!;
    if (address === cidr.base || address === cidr.base + (2 ** (32 - cidr.prefix)) - 1 || ipv4 === home.pool.gateway) {
      throw new InputError(`${ipv4} is the network, broadcast or gateway address of ${network.name}.`, 'Pick another address inside the subnet.');
    }

    const holder = network.members.find(m => m.ipv4 === ipv4);
    if (holder) {
      throw new InputError(`${ipv4} is taken by ${holder.name} on ${network.name}.`, 'Pick a free address.');
    }
  }

  const isNone = modeKind(mode) === 'none' && container.networks.some(n => n.name === 'none');
  const what = [aliases.length > 0 ? `aliases ${aliases.join(', ')}` : '', ipv4 ? `address ${ipv4}` : ''].filter(Boolean).join(', ');
  return {
    preview: {
      title: `Connect ${container.name} to ${network.name}`,
      steps: [...(isNone ? [`Disconnect ${container.name} from none (a container in none cannot join networks)`] : []), `Connect ${container.name} to ${network.name}${what ? ` with ${what}` : ''}`],
      warnings: [],
      isDestructive: false,
    },
    async * job(engine, signal) {
      if (isNone) {
        yield {type: 'step', title: 'Disconnecting from none'};
        await engine.disconnectNetwork('none', container.id, {signal});
      }

      yield {type: 'step', title: `Connecting to ${network.name}`};
      try {
        await engine.connectNetwork(network.id, container.id, {aliases, ...(ipv4 ? {ipv4} : {})}, {signal});
      } catch (error) {
        if (isNone) {
          await engine.connectNetwork('none', container.id).catch(() => undefined);
        }

        // The engine hands out fixed addresses only on a subnet given when the network was made; its API does not
        // tell such a network from one whose subnet it chose, so this is known only from its answer.
        if (ipv4 && /user configured subnets/i.test(error instanceof Error ? error.message : '')) {
          throw new JobError(`${network.name}'s subnet was chosen by the engine, and the engine gives fixed addresses (--ip ${ipv4}) only on a subnet set when the network was made. Nothing was changed.`, `Connect without --ip, or make a network with its own subnet (for example hawser network create NAME --subnet 10.30.0.0/24) and connect to that.`);
        }

        throw error;
      }

      const after = await readBackEndpoints(engine, container.id, [{network: network.id, isAttached: true, aliases, ...(ipv4 ? {ipv4} : {})}], signal);
      const ip = after.networks.find(n => n.networkId === network.id)?.ipv4;
      yield {type: 'done', summary: `${container.name} is connected to ${network.name}${ip ? ` at ${ip}` : ''}${aliases.length > 0 ? `, known there as ${aliases.join(', ')}` : ''}.`, data: {container: container.name, network: network.name, ipv4: ip, aliases}};
    },
  };
}

/** Validates and plans a disconnect. */
export async function prepareDisconnect(engine: EnginePort, input: {readonly network: string; readonly container: string; readonly force?: boolean}): Promise<PreparedJob> {
  const [network, container] = await Promise.all([findNetwork(engine, input.network), findContainer(engine, input.container)]);
  if (!container.networks.some(n => n.networkId === network.id || n.name === network.name)) {
    throw new InputError(`${container.name} is not connected to ${network.name}.`, `It is on ${container.networks.map(n => n.name).join(', ') || 'no network'}.`);
  }

  if (network.name === 'host' || modeKind(currentMode(container)) === 'host') {
    throw new InputError(`${container.name} uses the host's network, which is a mode, not a connection.`, `Switch its mode instead: hawser netmode ${container.name} bridge.`);
  }

  const isLast = container.networks.length === 1;
  return {
    preview: {
      title: `Disconnect ${container.name} from ${network.name}`,
      steps: [`Disconnect ${container.name} from ${network.name}`],
      warnings: isLast ? [`It is ${container.name}'s only network: it keeps only its loopback interface.`] : [`Connections over ${network.name} drop.`],
      isDestructive: false,
    },
    async * job(engine, signal) {
      await engine.disconnectNetwork(network.id, container.id, {signal, force: input.force});
      await readBackEndpoints(engine, container.id, [{network: network.id, isAttached: false}], signal);
      yield {type: 'done', summary: `${container.name} is disconnected from ${network.name}.`, data: {container: container.name, network: network.name}};
    },
  };
}
