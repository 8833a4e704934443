// The pure parts of links and the doctor: alias rules, /etc/hosts and nslookup parsing, CLI argument
// parsing, the env vars a legacy link injects, and which names of B a container knows.
import {describe, expect, it} from 'vitest';
import {containerFromInspect} from '../../source/engine/records.js';
import {namesKnown} from '../../source/jobs/doctor/names.js';
import {aliasProblem, linkEnvPrefix} from '../../source/model/aliases.js';
import {parseSourceAlias} from '../../source/jobs/links/forms.js';
import {hostsAddresses, parseHosts} from '../../source/jobs/links/hosts-file.js';
import {injectedEnv} from '../../source/jobs/links/legacy-link.js';
import {parseNslookup} from '../../source/jobs/links/probes.js';

function container(name: string, id: string, extra: {env?: string[]; links?: string[]; networks?: Record<string, Record<string, unknown>>} = {}) {
  return containerFromInspect({
    Id: id,
    Name: `/${name}`,
    Config: {Env: extra.env ?? [], Hostname: id.slice(0, 12)},
    HostConfig: {NetworkMode: 'bridge', Links: extra.links ?? null},
    State: {Status: 'running', Running: true},
    NetworkSettings: {Networks: extra.networks ?? {bridge: {NetworkID: 'b', IPAddress: '172.17.0.2'}}, Ports: {'3306/tcp': null}},
  });
}

describe('aliases', () => {
  it('accepts DNS names and refuses the rest', () => {
    for (const good of ['aliasmysql', 'db', 'my-db', 'my_db', 'db.internal', 'a1']) {
      expect(aliasProblem(good)).toBeUndefined();
    }

    for (const bad of ['', '-db', 'db-', 'bad alias', 'a..b', 'x;rm', '10.0.0.1', 'a'.repeat(64)]) {
      expect(aliasProblem(bad)).toBeDefined();
    }
  });

  it('makes the env prefix as the engine does', () => {
    expect(linkEnvPrefix('aliasmysql')).toBe('ALIASMYSQL_');
    expect(linkEnvPrefix('my-db')).toBe('MY_DB_');
  });

  it('parses SOURCE[:ALIAS]', () => {
    expect(parseSourceAlias('mysql')).toEqual({source: 'mysql'});
    expect(parseSourceAlias('mysql:aliasmysql')).toEqual({source: 'mysql', alias: 'aliasmysql'});
    expect(() => parseSourceAlias('mysql:')).toThrow(/SOURCE:ALIAS/);
    expect(() => parseSourceAlias('a:b:c')).toThrow(/SOURCE:ALIAS/);
  });
});

describe('what a container sees', () => {
  it('parses /etc/hosts', () => {
    const entries = parseHosts('127.0.0.1\tlocalhost\n# comment\n172.17.0.2\taliasmysql 56c05a0ae035 mysql\n\n172.17.0.3 7b7dc7e4a40d\n');
    expect(hostsAddresses(entries, 'AliasMySQL')).toEqual(['172.17.0.2']);
    expect(hostsAddresses(entries, 'nginx')).toEqual([]);
  });

  it('parses busybox nslookup, skipping the server\'s own address', () => {
    const output = 'Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\nNon-authoritative answer:\nName:\taliasx\nAddress: 172.18.0.2\n';
    expect(parseNslookup(output)).toEqual(['172.18.0.2']);
    expect(parseNslookup(';; connection timed out; no servers could be reached\n')).toEqual([]);
  });
});

describe('legacy link env', () => {
  it('lists every env var of the source under the alias, secrets masked, without HOME and PATH', () => {
    const mysql = container('mysql', 'a'.repeat(64), {env: ['MYSQL_ROOT_PASSWORD=server', 'MYSQL_DATABASE=app', 'PATH=/bin', 'HOME=/root']});
    const env = injectedEnv(mysql, 'aliasmysql');
    expect(env).toContain('ALIASMYSQL_ENV_MYSQL_ROOT_PASSWORD=••••••••');
    expect(env).toContain('ALIASMYSQL_ENV_MYSQL_DATABASE=app');
    expect(env.join('\n')).not.toContain('server');
    expect(env.some(line => line.includes('_ENV_PATH') || line.includes('_ENV_HOME'))).toBe(false);
    expect(env.some(line => line.startsWith('ALIASMYSQL_PORT_3306_TCP=tcp://172.17.0.2:3306'))).toBe(true);
  });
});

describe('names the doctor credits', () => {
  const bId = 'b'.repeat(64);
  const mysql = container('mysql', bId, {networks: {
    bridge: {NetworkID: 'br', IPAddress: '172.17.0.2'},
    appnet: {NetworkID: 'app', IPAddress: '10.0.0.2', Aliases: ['db', bId.slice(0, 12)]},
  }});

  it('on the default bridge only a legacy link gives names', () => {
    const plain = container('web', 'c'.repeat(64));
    expect([...namesKnown(plain, mysql, ['bridge']).keys()]).toEqual([]);
    const linked = container('web', 'c'.repeat(64), {links: ['/mysql:/web/aliasmysql']});
    expect([...namesKnown(linked, mysql, ['bridge']).keys()]).toEqual(expect.arrayContaining(['aliasmysql', 'mysql']));
  });

  it('on a user-defined network the name and the aliases resolve', () => {
    const web = container('web', 'c'.repeat(64), {networks: {appnet: {NetworkID: 'app', IPAddress: '10.0.0.3', Links: ['/mysql:/web/legacydb']}}});
    const known = namesKnown(web, mysql, ['appnet']);
    expect(known.has('mysql')).toBe(true);
    expect(known.has('db')).toBe(true);
    expect(known.get('legacydb')).toMatch(/link on appnet/);
  });
});
