// Creating a network: validated before the engine is asked; pool exhaustion answered with a free subnet.
import {EngineError} from '../../engine/errors.js';
import type {EnginePort} from '../../engine/port.js';
import {JobError, type PreparedJob} from '../job.js';
import {freeSubnet, validateCreateNetwork, type CreateNetworkInput} from './validate.js';

/** True for the engine's "default address pools are used up" refusal. */
export function isPoolExhausted(error: unknown): boolean {
  return error instanceof Error && /non-overlapping IPv4 address pool|could not find an available.*address pool/i.test(error.message);
}

/** Validates and plans a network create; throws InputError (nothing created) on bad input. */
export async function prepareCreateNetwork(engine: EnginePort, input: CreateNetworkInput): Promise<PreparedJob> {
  const [existing, info] = await Promise.all([engine.listNetworks(), engine.info()]);
  const spec = validateCreateNetwork(input, existing, info.isSwarmManager);
  const pool = spec.ipam?.[0];
  const details = [
    spec.driver,
    pool ? `subnet ${pool.subnet}` : 'subnet from the engine\'s pools',
    ...(pool?.gateway ? [`gateway ${pool.gateway}`] : []),
    ...(pool?.ipRange ? [`IP range ${pool.ipRange}`] : []),
    ...(spec.internal ? ['internal (no outside access)'] : []),
    ...(spec.attachable ? ['attachable'] : []),
    ...Object.entries(spec.labels ?? {}).map(([k, v]) => `label ${k}=${v}`),
    ...Object.entries(spec.options ?? {}).map(([k, v]) => `option ${k}=${v}`),
  ];
  return {
    preview: {title: `Create network ${spec.name}`, steps: [`Create ${spec.name}: ${details.join(', ')}`], warnings: [], isDestructive: false},
    async * job(engine, signal) {
      let id: string;
      try {
        ({id} = await engine.createNetwork(spec, {signal}));
      } catch (error) {
        if (isPoolExhausted(error)) {
          const free = freeSubnet(await engine.listNetworks().catch(() => []));
          throw new JobError(
            'The engine\'s default address pools are used up: it has no subnet left to give this network.',
            free ? `Give it a subnet yourself: ${free} is free on this engine (--subnet ${free}).` : 'Give it a subnet yourself (--subnet), or remove unused networks (hawser network prune).',
          );
        }

        throw error instanceof EngineError ? new JobError(`The engine refused network ${spec.name}: ${error.message}`, error.hint) : error;
      }

      const created = await engine.inspectNetwork(id, {signal}).catch(() => undefined);
      const subnet = created?.ipam[0]?.subnet;
      yield {type: 'done', summary: `Created network ${spec.name}${subnet ? ` (${subnet})` : ''}.`, data: {id, name: spec.name, subnet}};
    },
  };
}
