// What `hawser __complete` offers, worked out in-process from the command definitions with names from the fake
// engine: the right kind in each place (containers where a container is expected, never volumes), `ls` kinds,
// flags, option values, archives as a file directive, and nothing (quickly) when the engine does not answer.
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {Argument, Command} from 'commander';
import {afterAll, describe, expect, it} from 'vitest';
import {completeWords, formatCompletion, splitLine, typedGlobals, type Completion} from '../../source/commands/complete.js';
import {engineNames} from '../../source/commands/completion.js';
import {registerCommands} from '../../source/commands/index.js';
import {createProgram} from '../../source/commands/program.js';
import {kindOf} from '../../source/commands/value-kinds.js';
import type {EnginePort} from '../../source/engine/port.js';
import {FakeEngine, fakeContainer, fakeNetwork, fakeVolume} from '../helpers/fake-engine.js';

const noEngine = () => {
  throw new Error('not in this test');
};
const program = createProgram('0.0.0-test');
registerCommands(program, {connect: noEngine, connectTo: noEngine, connectWith: noEngine, isReadOnly: () => false});

const engine = new FakeEngine();
engine.containers = [fakeContainer('web'), fakeContainer('db')];
engine.networks = [fakeNetwork('bridge'), fakeNetwork('host'), fakeNetwork('none'), fakeNetwork('appnet')];
engine.volumes = [fakeVolume('data'), fakeVolume('webdata')];
const names = engineNames(async () => engine, 500);

async function offered(...words: string[]): Promise<string[]> {
  const completion = await completeWords(program, words, names);
  expect(completion.type, `hawser ${words.join(' ')}`).toBe('values');
  return (completion as Extract<Completion, {type: 'values'}>).candidates.map(c => c.value);
}

describe('what TAB offers', () => {
  it('subcommands, with the hidden callback left out', async () => {
    expect(await offered('')).toEqual(['backup', 'doctor', 'forwarding', 'link', 'unlink', 'ls', 'netmode', 'network', 'recover', 'restore', 'sandbox', 'verify', 'volume', 'completion', 'man', 'help']);
    expect(await offered('net')).toEqual(['netmode', 'network']);
    expect(await offered('network', '')).toEqual(['ls', 'create', 'rm', 'connect', 'disconnect', 'prune', 'help']);
    expect(await offered('-H', 'tcp://far:2375', 'ne')).toEqual(['netmode', 'network']);
  });

  it('containers where a container is expected, networks and modes for a mode, volumes for a backup', async () => {
    expect(await offered('netmode', '')).toEqual(['db', 'web']);
    expect(await offered('netmode', 'web', '')).toEqual(['bridge', 'host', 'none', 'appnet', 'container:db', 'container:web']);
    expect(await offered('netmode', 'web', 'container:w')).toEqual(['container:web']);
    expect(await offered('link', 'web', '')).toEqual(['db', 'web']);
    expect(await offered('unlink', '')).toEqual(['db', 'web']);
    expect(await offered('doctor', 'web', 'd')).toEqual(['db']);
    expect(await offered('backup', '')).toEqual(['data', 'webdata']);
    // A variadic argument keeps offering its kind.
    expect(await offered('backup', 'data', 'web')).toEqual(['webdata']);
    expect(await offered('network', 'connect', '')).toEqual(['appnet', 'bridge', 'host', 'none']);
    expect(await offered('network', 'connect', 'appnet', '')).toEqual(['db', 'web']);
    expect(await offered('network', 'rm', 'a')).toEqual(['appnet']);
  });

  it('the kinds of ls, the shells of completion, fixed option values, and values after --flag=', async () => {
    expect(await offered('ls', '')).toEqual(['containers', 'networks', 'volumes']);
    expect(await offered('completion', '')).toEqual(['bash', 'zsh', 'fish']);
    expect(await offered('network', 'create', 'x', '--driver', 'ma')).toEqual(['macvlan']);
    expect(await offered('sandbox', 'up', '--engine=2')).toEqual(['--engine=20', '--engine=26', '--engine=28']);
    expect(await offered('restore', 'a.tar', '--volume', '')).toEqual(['data', 'webdata']);
    expect(await offered('link', 'web', 'db', '--network=app')).toEqual(['--network=appnet']);
    expect(await offered('help', 'network', 'cr')).toEqual(['create']);
    expect(await offered('network', 'help', 'p')).toEqual(['prune']);
  });

  it('flags: the command\'s own and the global ones, each once; options when nothing more is to be named', async () => {
    expect(await offered('backup', '--g')).toEqual(['--gzip']);
    expect(await offered('backup', 'data', '--')).toEqual(['--output', '--gzip', '--stop', '--pause', '--yes', '--json', '--via-api', '--help', '--host', '--context', '--sandbox', '--read-only']);
    expect(await offered('recover', '')).toEqual(['--rollback', '--finish', '--yes', '--json', '--help', '--host', '--context', '--sandbox', '--read-only']);
    expect(await offered('--re')).toEqual(['--read-only']);
    expect(await offered('-')).toContain('-H');
    // An option's value is not taken for an argument: after -o FILE comes the volume again.
    expect(await offered('backup', '-o', '/tmp/x.tar', '')).toEqual(['data', 'webdata']);
  });

  it('archives, paths and folders as a directive the shell answers with its own file completion', async () => {
    expect(await completeWords(program, ['restore', ''], names)).toEqual({type: 'files', extensions: ['tar', 'tar.gz', 'tgz']});
    expect(await completeWords(program, ['verify', 'back'], names)).toEqual({type: 'files', extensions: ['tar', 'tar.gz', 'tgz']});
    expect(await completeWords(program, ['backup', 'data', '--output', ''], names)).toEqual({type: 'files', extensions: []});
    expect(await completeWords(program, ['forwarding', '--fix', '--persist', '--sysctl-dir', ''], names)).toEqual({type: 'directories'});
  });

  it('nothing for a free-text value, after --, or past the last argument of a command that takes none', async () => {
    expect(await offered('network', 'create', '')).toEqual([]);
    expect(await offered('network', 'create', 'x', '--subnet', '')).toEqual([]);
    expect(await offered('verify', '--', 'x', '')).toEqual([]);
    expect(await offered('nosuchcommand', '')).toEqual([]);
  });
});

describe('where the names come from', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'hawser-contexts-'));
  afterAll(() => rmSync(folder, {recursive: true, force: true}));

  it('the docker contexts for --context', async () => {
    const meta = path.join(folder, 'contexts', 'meta', 'abc123');
    mkdirSync(meta, {recursive: true});
    writeFileSync(path.join(meta, 'meta.json'), JSON.stringify({Name: 'prod', Endpoints: {docker: {Host: 'tcp://prod:2376'}}}));
    const before = process.env['DOCKER_CONFIG'];
    process.env['DOCKER_CONFIG'] = folder;
    try {
      expect(await offered('--context', '')).toEqual(['default', 'prod']);
      expect(await offered('--context=p')).toEqual(['--context=prod']);
    } finally {
      if (before === undefined) {
        delete process.env['DOCKER_CONFIG'];
      } else {
        process.env['DOCKER_CONFIG'] = before;
      }
    }
  });

  it('the engine the line names with --host, --context or --sandbox', () => {
    expect(typedGlobals(program, ['-H', 'tcp://far:2375', 'netmode'])).toEqual({host: 'tcp://far:2375'});
    expect(typedGlobals(program, ['--context=prod', 'ls'])).toEqual({context: 'prod'});
    expect(typedGlobals(program, ['--sandbox', 'backup'])).toEqual({sandbox: true});
    expect(typedGlobals(program, ['ls', '--', '-H', 'x'])).toEqual({});
  });

  it('an engine that is not there, or never answers, gives no names, within the time allowed, and no error', async () => {
    const gone = new FakeEngine();
    gone.failure = Object.assign(new Error('connect ENOENT /var/run/docker.sock'), {code: 'ENOENT'}) as never;
    expect(await engineNames(async () => gone, 500)('container')).toEqual([]);
    const stuck = Object.assign(new FakeEngine(), {listVolumes: async () => new Promise<never>(() => undefined)});
    const started = Date.now();
    expect(await engineNames(async () => stuck as EnginePort, 300)('volume')).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(await engineNames(async () => Promise.reject(new Error('no such context')), 300)('network')).toEqual([]);
  });

  it('asks the engine only for what the word needs', async () => {
    const counted = new FakeEngine();
    counted.volumes = [fakeVolume('data')];
    await completeWords(program, ['backup', ''], engineNames(async () => counted, 500));
    expect(counted.calls).toEqual(['listVolumes']);
    counted.calls = [];
    await completeWords(program, ['backup', '--'], engineNames(async () => counted, 500));
    expect(counted.calls).toEqual([]);
  });
});

describe('the answer the scripts read', () => {
  const values: Completion = {type: 'values', candidates: [{value: 'container:web'}, {value: 'netmode', description: 'switch a container\'s\nnetwork mode'}]};

  it('a first line saying what it is, then one candidate a line; descriptions for zsh and fish', () => {
    expect(formatCompletion(values, 'zsh', '')).toBe(':values\ncontainer:web\nnetmode\tswitch a container\'s network mode\n');
    expect(formatCompletion(values, 'fish', '')).toBe(':values\ncontainer:web\nnetmode\tswitch a container\'s network mode\n');
    expect(formatCompletion({type: 'files', extensions: ['tar', 'tgz']}, 'bash', '')).toBe(':files tar tgz\n');
    expect(formatCompletion({type: 'directories'}, 'fish', '')).toBe(':directories\n');
  });

  it('for bash, what follows the last ":" or "=" of the word, as bash completes only that much', () => {
    expect(formatCompletion({type: 'values', candidates: [{value: 'container:web'}, {value: 'container:webapp'}]}, 'bash', 'container:w')).toBe(':values\nweb\nwebapp\n');
    expect(formatCompletion({type: 'values', candidates: [{value: '--context=prod'}]}, 'bash', '--context=p')).toBe(':values\nprod\n');
  });

  it('splits bash\'s line as the shell does, the last word being the one completed', () => {
    expect(splitLine('hawser netmode web ')).toEqual(['hawser', 'netmode', 'web', '']);
    expect(splitLine('hawser restore "my backups/da')).toEqual(['hawser', 'restore', 'my backups/da']);
    expect(splitLine('hawser  restore my\\ file.tar --vol')).toEqual(['hawser', 'restore', 'my file.tar', '--vol']);
    expect(splitLine('hawser ls \'\' ')).toEqual(['hawser', 'ls', '', '']);
  });
});

it('every positional argument declares what it takes (a kind or choices), but the few that are free text', () => {
  const freeText = ['network create <name>', 'volume create <name>', '__complete [words...]'];
  const undeclared: string[] = [];
  const visit = (command: Command, prefix: string) => {
    for (const sub of command.commands) {
      const full = `${prefix}${sub.name()}`;
      undeclared.push(...(sub.registeredArguments as readonly Argument[]).filter(argument => !kindOf(argument)).map(argument => `${full} ${argument.required ? '<' : '['}${argument.name()}${argument.variadic ? '...' : ''}${argument.required ? '>' : ']'}`));
      visit(sub, `${full} `);
    }
  };

  visit(program, '');
  expect(undeclared).toEqual(freeText);
});

