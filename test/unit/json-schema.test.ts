// Every JSON record a command prints carries the schema version and only the keys docs/json.md shows for it:
// the commands run in-process on the fake engine (a few engine calls faked here), the rest of the records
// (the job events) through the CLI's own printer. Fails when a record gains an undocumented key, loses its
// version, or the page documents a record nothing prints.
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest';
import {registerCommands} from '../../source/commands/index.js';
import {confirmAndRun, jsonSchemaVersion} from '../../source/commands/job-output.js';
import {createProgram} from '../../source/commands/program.js';
import type {ConnectSpec, CreateNetworkSpec} from '../../source/engine/port.js';
import type {Job} from '../../source/jobs/job.js';
import {FakeEngine, fakeContainer, fakeNetwork, fakeVolume} from '../helpers/fake-engine.js';
import {tarOf} from '../helpers/tar.js';

type Json = Record<string, unknown>;

const page = readFileSync('docs/json.md', 'utf8');

/** Record name → the example's keys, from the `<!-- record: NAME -->` blocks of docs/json.md. */
const documented = new Map([...page.matchAll(/<!-- record: ([\w-]+) -->\n```json\n([\s\S]*?)\n```/g)].map(([, name, example]) => [name!, JSON.parse(example!) as Json]));

/** Command → the keys its done event's `data` may have, from the table of docs/json.md. */
const dataKeys = new Map([...page.matchAll(/^\| `([\w -]+?)(?: --fix)?` \| (.*) \|$/gm)].map(([, command, cell]) => [command!, new Set([...cell!.matchAll(/`(\w+)`/g)].map(([, key]) => key!))]));

/** An engine that also creates, removes, connects and disconnects networks, in memory. */
function engineWithNetworks(): FakeEngine {
  const engine = new FakeEngine();
  engine.containers = [fakeContainer('web'), fakeContainer('db')];
  engine.networks = [fakeNetwork('bridge'), fakeNetwork('host', {driver: 'host'}), fakeNetwork('none', {driver: 'null'}), fakeNetwork('appnet', {ipam: [{subnet: '172.20.0.0/16', gateway: '172.20.0.1'}]})];
  engine.volumes = [fakeVolume('data', {createdAt: '2026-11-28T09:12:44Z'})];
  const container = (id: string) => engine.containers.findIndex(c => c.id === id || c.name === id);
  const network = (id: string) => engine.networks.find(n => n.id === id || n.name === id)!;
  return Object.assign(engine, {
    async createNetwork(spec: CreateNetworkSpec) {
      const created = fakeNetwork(spec.name, {ipam: [{subnet: '10.90.0.0/24'}]});
      engine.networks.push(created);
      return {id: created.id};
    },
    async removeNetwork(id: string) {
      engine.networks = engine.networks.filter(n => n.id !== id);
    },
    async connectNetwork(id: string, containerId: string, spec?: ConnectSpec) {
      const index = container(containerId);
      const {name, id: networkId} = network(id);
      const on = {name, networkId, ipv4: spec?.ipv4 ?? '172.20.0.9', gateway: '172.20.0.1', mac: '', aliases: [...spec?.aliases ?? []], links: []};
      engine.containers[index] = {...engine.containers[index]!, networks: [...engine.containers[index]!.networks, on]};
    },
    async disconnectNetwork(id: string, containerId: string) {
      const index = container(containerId);
      engine.containers[index] = {...engine.containers[index]!, networks: engine.containers[index]!.networks.filter(n => n.networkId !== network(id).id)};
    },
  });
}

/** Runs `hawser ARGS` in-process against `engine`; resolves to the JSON values it printed on stdout, and what it threw. */
async function run(engine: FakeEngine, args: readonly string[]): Promise<{values: unknown[]; error?: unknown}> {
  const program = createProgram('0.0.0-test');
  registerCommands(program, {connect: () => engine, connectTo: () => engine, connectWith: () => engine, isReadOnly: () => false});
  const out: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(chunk => out.push(String(chunk)) > 0);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  let error: unknown;
  try {
    await program.parseAsync(args, {from: 'user'});
  } catch (thrown) {
    error = thrown;
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    process.exitCode = undefined;
  }

  return {values: out.join('').split('\n').filter(Boolean).map(line => JSON.parse(line) as unknown), error};
}

/** Runs `hawser ARGS` as `run` does; resolves to the JSON values printed by a run that must not fail. */
async function jsonOf(engine: FakeEngine, args: readonly string[]): Promise<unknown[]> {
  const {values, error} = await run(engine, args);
  expect(error, `hawser ${args.join(' ')}`).toBeUndefined();
  return values;
}

/** Each printed record with the name docs/json.md gives it, and the command that printed it. */
const seen: {readonly command: string; readonly name: string; readonly record: Json}[] = [];

function collect(command: string, values: readonly unknown[], arrayOf?: string, documentOf?: string): void {
  for (const value of values) {
    if (Array.isArray(value)) {
      expect(arrayOf, `${command} printed an array`).toBeDefined();
      for (const record of value as Json[]) {
        seen.push({command, name: arrayOf!, record});
      }
    } else {
      const record = value as Json;
      seen.push({command, name: documentOf ?? String(record['type']), record});
    }
  }
}

describe('the JSON output of every command', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'hawser-json-'));
  const stateDir = process.env['HAWSER_STATE_DIR'];

  beforeAll(async () => {
    process.env['HAWSER_STATE_DIR'] = path.join(folder, 'state');
    const archive = path.join(folder, 'plain.tar');
    writeFileSync(archive, await tarOf([{name: './index.html', body: 'hello'}], {mtime: new Date(1_700_000_000_000)}));
    const engine = engineWithNetworks();
    collect('ls containers', await jsonOf(engine, ['ls', 'containers', '--json']), 'container');
    collect('ls networks', await jsonOf(engine, ['ls', 'networks', '--json']), 'network');
    collect('ls volumes', await jsonOf(engine, ['ls', 'volumes', '--json']), 'volume');
    collect('network ls', await jsonOf(engine, ['network', 'ls', '--json']), 'network-details');
    collect('doctor', await jsonOf(engine, ['doctor', 'web', 'db', '--no-probe', '--json']), undefined, 'doctor-report');
    collect('forwarding', await jsonOf(engine, ['forwarding', '--json']), undefined, 'forwarding-report');
    collect('recover', await jsonOf(engine, ['recover', '--json']));
    collect('verify', await jsonOf(engine, ['verify', archive, '--json']));
    // The switch needs a recreate the fake engine cannot do: its plan and preview are printed before the job fails.
    const netmode = await run(engine, ['netmode', 'web', 'appnet', '--yes', '--json']);
    expect(String(netmode.error)).toMatch(/createContainer is not faked/);
    collect('netmode', netmode.values);
    collect('network create', await jsonOf(engine, ['network', 'create', 'backend', '--yes', '--json']));
    collect('network connect', await jsonOf(engine, ['network', 'connect', 'backend', 'web', '--alias', 'api', '--yes', '--json']));
    collect('network disconnect', await jsonOf(engine, ['network', 'disconnect', 'backend', 'web', '--yes', '--json']));
    collect('network rm', await jsonOf(engine, ['network', 'rm', 'backend', '--yes', '--json']));
    collect('network prune', await jsonOf(engine, ['network', 'prune', '--yes', '--json']));
    // Now nothing is unused: the prune says so in a done of its own.
    collect('network prune', await jsonOf(engine, ['network', 'prune', '--yes', '--json']));
    // The events every job can print, through the printer the commands use.
    const job: Job = async function * () {
      yield {type: 'step', title: 'Archiving data'};
      yield {type: 'progress', done: 5, total: 10, unit: 'bytes', current: './a'};
      yield {type: 'log', line: 'a line'};
      yield {type: 'warning', message: 'a warning'};
      yield {type: 'done', summary: 'Done.', data: {}, isBadNews: false};
    };
    const out: string[] = [];
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(chunk => out.push(String(chunk)) > 0);
    try {
      await confirmAndRun({preview: {title: 'A job', steps: ['one'], warnings: [], isDestructive: false}, job}, engine, {json: true, yes: true});
    } finally {
      stdout.mockRestore();
    }

    collect('a job', out.join('').split('\n').filter(Boolean).map(line => JSON.parse(line) as unknown));
  });

  afterAll(() => {
    if (stateDir === undefined) {
      delete process.env['HAWSER_STATE_DIR'];
    } else {
      process.env['HAWSER_STATE_DIR'] = stateDir;
    }

    rmSync(folder, {recursive: true, force: true});
  });

  it('docs/json.md shows each record with the current schema version first', () => {
    expect(jsonSchemaVersion).toBe(1);
    expect([...documented.keys()].sort()).toEqual(['container', 'doctor-report', 'done', 'forwarding-report', 'log', 'network', 'network-details', 'pending', 'plan', 'preview', 'progress', 'step', 'volume', 'warning']);
    for (const [name, example] of documented) {
      expect(Object.keys(example)[0], name).toBe('schemaVersion');
      expect(example['schemaVersion'], name).toBe(jsonSchemaVersion);
    }
  });

  it('every record printed starts with the schema version and has only the keys docs/json.md shows', () => {
    for (const {command, name, record} of seen) {
      expect(Object.keys(record)[0], `${command}: ${JSON.stringify(record)}`).toBe('schemaVersion');
      expect(record['schemaVersion']).toBe(jsonSchemaVersion);
      const example = documented.get(name);
      expect(example, `${command} printed a ${name} record, which docs/json.md does not show`).toBeDefined();
      const extra = Object.keys(record).filter(key => !(key in example!));
      expect(extra, `${command}: keys of its ${name} record that docs/json.md does not show`).toEqual([]);
    }
  });

  it('every record docs/json.md shows is printed by some command here', () => {
    expect(new Set(seen.map(({name}) => name))).toEqual(new Set(documented.keys()));
  });

  it('a done event\'s data has only the keys docs/json.md lists for its command', () => {
    const dones = seen.filter(({name, command}) => name === 'done' && command !== 'a job');
    expect(new Set(dones.map(({command}) => command))).toEqual(new Set(['verify', 'network create', 'network connect', 'network disconnect', 'network rm', 'network prune']));
    for (const {command, record} of dones) {
      const keys = dataKeys.get(command);
      expect(keys, `docs/json.md has no data row for ${command}`).toBeDefined();
      expect(Object.keys(record['data'] as Json).filter(key => !keys!.has(key)), `${command}: data keys docs/json.md does not list`).toEqual([]);
    }
  });
});
