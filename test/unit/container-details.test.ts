import {describe, expect, it} from 'vitest';
import {containersKind} from '../../source/resources/containers.js';
import {buildIndex} from '../../source/resources/resource-index.js';
import {fakeContainer} from '../helpers/fake-engine.js';

describe('container details', () => {
  const receiver = fakeContainer('nginx');
  const source = fakeContainer('mysql', {linkedFrom: ['nginx/alias-db']});
  const index = buildIndex([receiver, source]);
  const details = {
    ...receiver,
    env: ['ALIAS_DB_ENV_MYSQL_ROOT_PASSWORD=server', 'ALIAS_DB_PORT=tcp://172.17.0.3:3306', 'ALIAS_DB_FOO_PORT=1', 'TZ=UTC'],
    cmd: [], entrypoint: [], hostname: 'h', restartPolicy: 'no', restartCount: 0, isRunning: true, isRestarting: false,
    legacyLinks: ['/mysql:/nginx/alias-db'], imageId: 'i', raw: {},
    networks: [{...receiver.networks[0]!, name: 'appnet', aliases: ['web', receiver.id.slice(0, 12)]}],
  };
  const rows = containersKind.details(receiver, index, details).flatMap(section => section.rows.map(row => ({section: section.title, ...row})));

  it('marks exactly the env vars a legacy link injected, and masks secrets', () => {
    const env = rows.filter(row => row.section === 'Environment');
    expect(env.find(row => row.label === 'ALIAS_DB_ENV_MYSQL_ROOT_PASSWORD')).toMatchObject({isSecret: true, value: expect.stringContaining('from link alias_db')});
    expect(env.find(row => row.label === 'ALIAS_DB_PORT')?.value).toContain('from link');
    expect(env.find(row => row.label === 'ALIAS_DB_FOO_PORT')?.value).toBe('1');
    expect(env.find(row => row.label === 'TZ')).toMatchObject({value: 'UTC', isSecret: false});
  });

  it('shows links in both directions and aliases from the inspected document', () => {
    expect(rows.some(row => row.label === 'links to' && row.value.startsWith('mysql as alias-db'))).toBe(true);
    const sourceRows = containersKind.details(source, index).flatMap(section => section.rows);
    expect(sourceRows.some(row => row.label === 'linked from' && row.value.startsWith('nginx as alias-db'))).toBe(true);
    expect(rows.find(row => row.label === '  aliases')?.value).toBe('web');
  });
});
