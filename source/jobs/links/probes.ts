// Looks from inside a container with whatever tools its image has (getent, ping, nslookup, nc):
// does a name resolve, does an address answer, does a TCP port accept. Commands are argument
// arrays, never shell strings, so a name typed by the user cannot run anything.
import type {EnginePort} from '../../engine/port.js';
import {readHostsFile, hostsAddresses} from './hosts-file.js';

/** How one command in the container went: ran (with its exit code), missing from the image, or timed out. */
export type ToolRun =
  | {readonly status: 'ran'; readonly exitCode: number; readonly output: string}
  | {readonly status: 'missing' | 'timeout' | 'error'; readonly output: string};

const missingPattern = /executable file not found|no such file or directory|not found in \$PATH|applet not found/i;

/** Runs `cmd` in a running container, giving up after `timeoutMs`; never throws. */
export async function runTool(engine: EnginePort, container: string, cmd: readonly string[], signal: AbortSignal, timeoutMs = 8000): Promise<ToolRun> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const result = await engine.exec(container, cmd, {signal: AbortSignal.any([signal, timeout])});
    const output = `${result.stdout}${result.stderr}`;
    // The runtime reports a missing binary as exit 126/127 with its own message.
    if ((result.exitCode === 126 || result.exitCode === 127) && missingPattern.test(output)) {
      return {status: 'missing', output};
    }

    return {status: 'ran', exitCode: result.exitCode, output};
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (timeout.aborted && !signal.aborted) {
      return {status: 'timeout', output: message};
    }

    return {status: missingPattern.test(message) ? 'missing' : 'error', output: message};
  }
}

/** How a name was resolved inside a container. */
export type Resolution = {
  /** The tool that answered: `getent`, `ping`, `nslookup`, `/etc/hosts` (read through the archive API), or `none`. */
  readonly method: 'getent' | 'ping' | 'nslookup' | '/etc/hosts' | 'none';
  /** The addresses found; empty when the name does not resolve (or could not be checked). */
  readonly addresses: readonly string[];
  /** False when no tool could give a definite answer (only /etc/hosts was read and the name is not in it). */
  readonly isDefinite: boolean;
};

const ipv4 = /\b(\d{1,3}(?:\.\d{1,3}){3})\b/;

/** Parses `nslookup NAME` output: the addresses after the "Name:" line (the server's own address comes before it). */
export function parseNslookup(output: string): string[] {
  const afterName = output.split(/^Name:.*$/m).slice(1).join('\n');
  return [...afterName.matchAll(/^Address(?:es)?(?:\s+\d+)?:\s*([0-9.]+)\s*$/gm)].map(match => match[1]!).filter(address => ipv4.test(address));
}

/**
 * Resolves `name` inside the container, with the first tool its image has: getent (NSS: /etc/hosts
 * and DNS), ping (which resolves before it sends), nslookup (DNS only). Without any of them, or when
 * the container is not running, reads /etc/hosts through the archive API, which proves a legacy link
 * or an extra host but cannot see the engine's DNS.
 */
export async function resolveInContainer(engine: EnginePort, container: string, name: string, signal: AbortSignal, isRunning = true): Promise<Resolution> {
  if (isRunning) {
    const getent = await runTool(engine, container, ['getent', 'hosts', name], signal);
    if (getent.status === 'ran') {
      const addresses = getent.exitCode === 0 ? getent.output.split('\n').map(line => ipv4.exec(line)?.[1]).filter((a): a is string => Boolean(a)) : [];
      return {method: 'getent', addresses: [...new Set(addresses)], isDefinite: true};
    }

    const ping = await runTool(engine, container, ['ping', '-c', '1', '-W', '1', name], signal);
    if (ping.status === 'ran') {
      const resolved = new RegExp(`^PING \\S+ \\((\\d{1,3}(?:\\.\\d{1,3}){3})\\)`, 'm').exec(ping.output)?.[1];
      if (resolved || /bad address|unknown host|Name or service not known|Temporary failure in name resolution/i.test(ping.output)) {
        return {method: 'ping', addresses: resolved ? [resolved] : [], isDefinite: true};
      }
    }

    const nslookup = await runTool(engine, container, ['nslookup', name], signal);
    if (nslookup.status === 'ran') {
      return {method: 'nslookup', addresses: nslookup.exitCode === 0 ? parseNslookup(nslookup.output) : [], isDefinite: nslookup.exitCode === 0 || /can't find|NXDOMAIN/i.test(nslookup.output)};
    }
  }

  try {
    const addresses = hostsAddresses(await readHostsFile(engine, container, {signal}), name);
    return {method: '/etc/hosts', addresses, isDefinite: addresses.length > 0};
  } catch {
    return {method: 'none', addresses: [], isDefinite: false};
  }
}

/** Does `address` answer one ping from inside the container? undefined when ping is missing. */
export async function pingFrom(engine: EnginePort, container: string, address: string, signal: AbortSignal): Promise<boolean | undefined> {
  const run = await runTool(engine, container, ['ping', '-c', '1', '-W', '2', address], signal);
  if (run.status === 'ran') {
    return run.exitCode === 0;
  }

  return run.status === 'timeout' ? false : undefined;
}

/** The outcome of a TCP connect: open, refused (reachable, nothing listens), no answer, or not checked. */
export type TcpOutcome = 'open' | 'refused' | 'no-answer' | 'unreachable' | 'unknown';

function tcpOutcomeOf(run: ToolRun): TcpOutcome {
  if (run.status === 'timeout') {
    return 'no-answer';
  }

  if (run.status !== 'ran') {
    return 'unknown';
  }

  if (run.exitCode === 0) {
    return 'open';
  }

  if (/refused/i.test(run.output)) {
    return 'refused';
  }

  if (/unreachable|no route/i.test(run.output)) {
    return 'unreachable';
  }

  return /timed out|timeout/i.test(run.output) ? 'no-answer' : 'unknown';
}

/** Tries a TCP connect to host:port from inside the container with nc (with or without -z). */
export async function tcpConnectFrom(engine: EnginePort, container: string, host: string, port: number, signal: AbortSignal): Promise<{outcome: TcpOutcome; tool: string}> {
  const withZ = await runTool(engine, container, ['nc', '-z', '-w', '2', host, String(port)], signal);
  if (withZ.status === 'ran' && !/invalid option|unrecognized option|usage:/i.test(withZ.output)) {
    return {outcome: tcpOutcomeOf(withZ), tool: 'nc -z'};
  }

  if (withZ.status === 'missing') {
    return {outcome: 'unknown', tool: 'none'};
  }

  // BusyBox nc has no -z: without stdin it connects, sends nothing and waits for the server to
  // close. A server that keeps the connection open (a database greeting and waiting) would hold it,
  // so `timeout` ends it: killed after the 2-second connect timeout means it connected.
  const limited = await runTool(engine, container, ['timeout', '4', 'nc', '-w', '2', host, String(port)], signal);
  if (limited.status === 'ran') {
    return {outcome: limited.exitCode === 143 || limited.exitCode === 124 ? 'open' : tcpOutcomeOf(limited), tool: 'nc'};
  }

  const plain = await runTool(engine, container, ['nc', '-w', '2', host, String(port)], signal, 6000);
  return {outcome: plain.status === 'timeout' ? 'open' : tcpOutcomeOf(plain), tool: 'nc'};
}
