// IPv4 arithmetic, network input rules and the pool-exhaustion answer, without an engine.
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import type {EnginePort} from '../../source/engine/port.js';
import type {NetworkSummary} from '../../source/engine/types.js';
import {EngineError} from '../../source/engine/errors.js';
import {JobError, runToEnd} from '../../source/jobs/job.js';
import {prepareCreateNetwork} from '../../source/jobs/networks/create.js';
import {cidrsOverlap, findFreeSubnet, formatIpv4, parseCidr, parseIpv4} from '../../source/jobs/networks/ipv4.js';
import {parseKeyValues, validateCreateNetwork} from '../../source/jobs/networks/validate.js';

const network = (name: string, subnet: string): NetworkSummary => ({id: name, name, driver: 'bridge', scope: 'local', isInternal: false, isAttachable: false, ipam: [{subnet}], options: {}, labels: {}, created: ''});

describe('ipv4', () => {
  it('formats what it parses', () => {
    fc.assert(fc.property(fc.integer({min: 0, max: (2 ** 32) - 1}), value => {
      expect(parseIpv4(formatIpv4(value))).toBe(value);
    }));
  });

  it('refuses malformed addresses and blocks', () => {
    expect(parseIpv4('10.0.0.256')).toBeUndefined();
    expect(parseIpv4('10.0.0')).toBeUndefined();
    expect(parseIpv4('010.0.0.1')).toBeUndefined();
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('10.0.0.1/24')).toBeUndefined();
    expect(parseCidr('10.0.0.1/24', false)?.text).toBe('10.0.0.0/24');
  });

  it('finds a free subnet that overlaps none of the used ones', () => {
    const cidr = fc.tuple(fc.integer({min: 0, max: (2 ** 32) - 1}), fc.integer({min: 8, max: 28})).map(([a, p]) => parseCidr(`${formatIpv4(a)}/${p}`, false)!);
    fc.assert(fc.property(fc.array(cidr, {maxLength: 40}), fc.integer({min: 16, max: 28}), (used, prefix) => {
      const free = findFreeSubnet(used, prefix);
      if (free) {
        expect(free.prefix).toBe(prefix);
        expect(used.some(u => cidrsOverlap(u, free))).toBe(false);
      }
    }));
    // With the docker default pools all taken, it still finds one.
    const pools = Array.from({length: 15}, (_, i) => parseCidr(`172.${17 + i}.0.0/16`)!);
    expect(findFreeSubnet(pools)?.text).toBe('10.200.0.0/24');
  });
});

describe('validateCreateNetwork', () => {
  const existing = [network('bridge', '172.17.0.0/16'), network('app', '10.200.0.0/24')];

  it('builds the engine spec from good input', () => {
    expect(validateCreateNetwork({name: 'web', subnet: '10.5.0.0/24', gateway: '10.5.0.1', ipRange: '10.5.0.128/25', labels: {a: 'b'}}, existing, false)).toEqual({
      name: 'web', driver: 'bridge', internal: false, attachable: false, ipam: [{subnet: '10.5.0.0/24', gateway: '10.5.0.1', ipRange: '10.5.0.128/25'}], labels: {a: 'b'}, options: {},
    });
  });

  it('offers a free subnet when the asked one overlaps', () => {
    expect(() => validateCreateNetwork({name: 'web', subnet: '10.200.0.0/16'}, existing, false)).toThrow(/overlaps network app/);
    const failure = (() => {
      try {
        validateCreateNetwork({name: 'web', subnet: '10.200.0.128/25'}, existing, false);
      } catch (error) {
        return error as JobError;
      }
    })();
    expect(failure?.hint).toBe('10.200.1.0/25 is free on this engine.');
  });

  it('allows overlay only on a swarm manager', () => {
    expect(() => validateCreateNetwork({name: 'o', driver: 'overlay'}, existing, false)).toThrow(/not a swarm manager/);
    expect(validateCreateNetwork({name: 'o', driver: 'overlay', isAttachable: true}, existing, true).attachable).toBe(true);
  });

  it('parses labels and refuses pairs without =', () => {
    expect(parseKeyValues('a=1, b = two,c=', 'label')).toEqual({a: '1', b: 'two', c: ''});
    expect(() => parseKeyValues('a=1,oops', 'label')).toThrow(/key=value/);
  });
});

describe('prepareCreateNetwork', () => {
  it('answers pool exhaustion with a subnet that is free', async () => {
    const networks = Array.from({length: 15}, (_, i) => network(`n${i}`, `172.${17 + i}.0.0/16`));
    const engine = {
      listNetworks: async () => networks,
      info: async () => ({isSwarmManager: false}),
      createNetwork: async () => {
        throw new EngineError('could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network', '', 404, 'engine');
      },
    } as unknown as EnginePort;
    const prepared = await prepareCreateNetwork(engine, {name: 'more'});
    const failure = await runToEnd(prepared.job, engine).catch((error: unknown) => error as JobError);
    expect(failure).toBeInstanceOf(JobError);
    expect((failure as JobError).message).toContain('address pools are used up');
    expect((failure as JobError).hint).toContain('--subnet 10.200.0.0/24');
  });
});
