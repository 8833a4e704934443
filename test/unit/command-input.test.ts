// Names and paths a command line gives that can never be right, refused by the commands themselves before
// the engine is asked: a clear message naming the input and what a good one looks like, exit code 2. The
// engine here answers nothing: it records what it was asked, and every case expects it was asked nothing.
import {Command} from 'commander';
import {describe, expect, it} from 'vitest';
import type {CommandContext} from '../../source/commands/context.js';
import {exitCodeOf, exitCodes, formatError} from '../../source/commands/errors.js';
import {commandModules} from '../../source/commands/index.js';
import type {EnginePort} from '../../source/engine/port.js';

/** Runs `hawser ARGS` in this process; returns the error it failed with (or undefined) and what the engine was asked. */
async function hawser(...args: string[]): Promise<{error: unknown; asked: string[]}> {
  return hawserWith({isReadOnly: false}, ...args);
}

async function hawserWith(options: {isReadOnly: boolean}, ...args: string[]): Promise<{error: unknown; asked: string[]}> {
  const asked: string[] = [];
  const engine = new Proxy({}, {
    get(_target, name) {
      // Not a promise: `await engine` must not take it for one.
      return name === 'then' ? undefined : (..._arguments: unknown[]) => {
        asked.push(String(name));
        throw new Error(`the engine was asked ${String(name)}`);
      };
    },
  }) as EnginePort;
  const context: CommandContext = {connect: () => engine, connectTo: () => engine, isReadOnly: () => options.isReadOnly};
  const program = new Command().exitOverride().configureOutput({writeOut() {}, writeErr() {}});
  for (const register of commandModules) {
    register(program, context);
  }

  const error = await program.parseAsync(['node', 'hawser', ...args]).then(() => undefined, (failure: unknown) => failure);
  return {error, asked};
}

/** Expects `hawser ARGS` refused as bad input (exit 2) with a message matching `message`, the engine never asked. */
async function refused(args: string[], message: RegExp, hint: RegExp): Promise<void> {
  const {error, asked} = await hawser(...args);
  expect(asked, `hawser ${args.map(a => JSON.stringify(a)).join(' ')}`).toEqual([]);
  const text = formatError(error);
  const [first = '', second = ''] = text.split('\n');
  expect(first, `hawser ${args.map(a => JSON.stringify(a)).join(' ')}`).toMatch(message);
  expect(second).toMatch(hint);
  expect(exitCodeOf(error)).toBe(exitCodes.usage);
}

const aContainer = /A container name starts with a letter or digit .*\(like web or db-1\)/;
const aNetwork = /Give a network's name or id, like appnet or bridge/;
const aVolume = /A volume name is like mysql-data/;

describe('names that can never be right are refused before the engine is asked', () => {
  it('container names: empty, with "/", "." and ".."', async () => {
    await refused(['netmode', '', 'bridge'], /^hawser: No container given: CONTAINER is empty\.$/, aContainer);
    await refused(['netmode', 'a/b', 'bridge'], /^hawser: "a\/b" \(CONTAINER\) is not a container name or id: a name has no "\/"\.$/, aContainer);
    await refused(['netmode', '/web', 'bridge'], /"\/web" \(CONTAINER\) is not a container name or id/, aContainer);
    await refused(['netmode', '..', 'bridge'], /^hawser: "\.\." \(CONTAINER\) is not a container name or id: "\." and "\.\." are not names\.$/, aContainer);
    await refused(['netmode', 'web', 'container:a/b'], /"a\/b" \(the container in container:NAME\) is not a container name or id/, aContainer);
    await refused(['network', 'connect', 'appnet', ''], /^hawser: No container given: CONTAINER is empty\.$/, aContainer);
    await refused(['network', 'disconnect', 'appnet', 'a/b'], /"a\/b" \(CONTAINER\) is not a container name or id/, aContainer);
    await refused(['link', 'a/b', 'db'], /"a\/b" \(RECEIVER\) is not a container name or id/, aContainer);
    await refused(['link', 'web', 'a/b:db'], /"a\/b" \(SOURCE\) is not a container name or id/, aContainer);
    await refused(['unlink', 'a/b', 'db'], /"a\/b" \(RECEIVER\) is not a container name or id/, aContainer);
    await refused(['doctor', 'a/b', 'db'], /"a\/b" \(A\) is not a container name or id/, aContainer);
  });

  it('network names: empty, with "/", "." and ".."', async () => {
    await refused(['network', 'rm', ''], /^hawser: No network given: NETWORK is empty\.$/, aNetwork);
    await refused(['network', 'rm', 'a/b'], /^hawser: "a\/b" \(NETWORK\) is not a network name or id: a name has no "\/"\.$/, aNetwork);
    await refused(['network', 'rm', '.'], /"\." \(NETWORK\) is not a network name or id/, aNetwork);
    await refused(['network', 'connect', 'a/b', 'web'], /"a\/b" \(NETWORK\) is not a network name or id/, aNetwork);
    await refused(['network', 'disconnect', '', 'web'], /No network given: NETWORK is empty/, aNetwork);
    await refused(['netmode', 'web', 'a/b'], /"a\/b" \(MODE\) is not a network name or id/, aNetwork);
    await refused(['link', 'web', 'db', '--network', ''], /No network given: --network is empty/, aNetwork);
    await refused(['network', 'create', ''], /^hawser: A network name is needed: NAME is empty\.$/, /For example: backend, app_net or web-1/);
    await refused(['network', 'create', 'a/b'], /^hawser: "a\/b" cannot be a network's name: a network name starts with a letter or digit/, /For example: backend/);
  });

  it('volume names: empty, with "/", "..", among others', async () => {
    await refused(['backup', ''], /^hawser: No volume given: VOLUME is empty\.$/, aVolume);
    await refused(['backup', 'a/b'], /^hawser: "a\/b" \(VOLUME\) is not a volume name: a name has no "\/"/, aVolume);
    await refused(['backup', 'data', '..'], /"\.\." \(VOLUME\) is not a volume name/, aVolume);
    await refused(['backup', ' '], /No volume given/, aVolume);
  });

  it('targets: empty, or with "/"', async () => {
    await refused(['doctor', 'web', 'a/b'], /"a\/b" \(B\) is not a container name, alias or address: a name has no "\/"/, /Give a container's name, one of its aliases or its IPv4 address, as in hawser doctor web db/);
    await refused(['unlink', 'web', 'a/b'], /"a\/b" \(SOURCE\|ALIAS\) is not a container name, alias or address/, /the linked container's name or the alias/);
  });

  it('a long name is shown shortened', async () => {
    const {error, asked} = await hawser('network', 'rm', `${'n'.repeat(2000)}/x`);
    expect(asked).toEqual([]);
    const [first = ''] = formatError(error).split('\n');
    expect(first).toMatch(/^hawser: "n{40}…n{8}\/x" \(NETWORK\) is not a network name or id: a name has no "\/"\.$/);
    expect(first.length).toBeLessThan(160);
  });
});

describe('a path longer than the system takes', () => {
  const long = `/tmp/${'a'.repeat(5000)}`;

  it('restore FILE and verify FILE: said as too long, with what to do, exit 2', async () => {
    for (const args of [['restore', long], ['verify', long], ['restore', `/tmp/${'d/'.repeat(2100)}a.tar`]]) {
      const {error, asked} = await hawser(...args);
      expect(asked).toEqual([]);
      expect(formatError(error)).toMatch(/^hawser: The path \/tmp\/.{10,60}… ?.{0,20} is too long: .*\n {2}Give a shorter path: shorter names, or fewer folders\.$/);
      expect(exitCodeOf(error)).toBe(exitCodes.usage);
    }
  });
});

describe('--read-only', () => {
  it('refuses a backup (it makes a helper container) and sandbox up before the engine is asked', async () => {
    for (const args of [['backup', 'data'], ['backup', 'data', '--stop'], ['sandbox', 'up']]) {
      const {error, asked} = await hawserWith({isReadOnly: true}, ...args);
      expect(asked).toEqual([]);
      expect(formatError(error)).toMatch(/--read-only/);
    }

    expect(exitCodeOf((await hawserWith({isReadOnly: true}, 'backup', 'data')).error)).toBe(exitCodes.usage);
  });
});
