// After a link: does the alias resolve, from inside the receiver, to the source? Checked with the
// receiver's own tools, or its /etc/hosts when it has none.
import type {EnginePort} from '../../engine/port.js';
import {resolveInContainer, type Resolution} from './probes.js';

/** What the check found. */
export type VerifyOutcome = {
  /** resolves: to the source; elsewhere: to another address; missing: not at all; unverified: no way to tell. */
  readonly status: 'resolves' | 'elsewhere' | 'missing' | 'unverified';
  readonly name: string;
  readonly method: Resolution['method'];
  readonly addresses: readonly string[];
  readonly expected: readonly string[];
  /** One line for a person. */
  readonly message: string;
};

/** Resolves `name` inside the receiver and compares with the source's addresses. */
export async function verifyName(engine: EnginePort, receiver: string, name: string, expected: readonly string[], signal: AbortSignal): Promise<VerifyOutcome> {
  const details = await engine.inspectContainer(receiver, {signal});
  const resolution = await resolveInContainer(engine, details.id, name, signal, details.isRunning);
  const wanted = expected.filter(Boolean);
  const how = resolution.method === '/etc/hosts' ? 'its /etc/hosts (read through the archive API)' : resolution.method;
  const base = {name, method: resolution.method, addresses: resolution.addresses, expected: wanted};
  if (resolution.addresses.some(address => wanted.includes(address))) {
    return {...base, status: 'resolves', message: `${name} resolves to ${resolution.addresses.join(', ')} inside ${details.name} (checked with ${how}).`};
  }

  if (resolution.addresses.length > 0) {
    return {...base, status: 'elsewhere', message: `${name} resolves to ${resolution.addresses.join(', ')} inside ${details.name}, not to ${wanted.join(', ') || 'the source'} (checked with ${how}).`};
  }

  if (!resolution.isDefinite) {
    const why = details.isRunning ? `${details.name}'s image has none of getent, ping or nslookup, and its /etc/hosts does not list ${name}` : `${details.name} is not running and its /etc/hosts does not list ${name}`;
    return {...base, status: 'unverified', message: `Could not check that ${name} resolves: ${why}; the engine's DNS serves it on user-defined networks.`};
  }

  return {...base, status: 'missing', message: `${name} does not resolve inside ${details.name} (checked with ${how}).`};
}
