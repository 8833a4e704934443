// Aliases are only in a container's inspect document; the topology fetches them for the containers on
// user-defined networks (the only ones that can have aliases), a few at a time.
import type {EnginePort} from '../engine/port.js';
import type {ContainerSummary} from '../engine/types.js';
import type {AliasMap} from '../resources/topology.js';

/** Inspects the containers on user-defined networks and returns their aliases per network. */
export async function loadAliases(engine: EnginePort, containers: readonly ContainerSummary[], signal: AbortSignal, concurrency = 8): Promise<AliasMap> {
  const wanted = containers.filter(c => c.networks.some(n => !['bridge', 'host', 'none'].includes(n.name)));
  const result = new Map<string, Map<string, readonly string[]>>();
  let next = 0;
  const worker = async () => {
    while (next < wanted.length && !signal.aborted) {
      const container = wanted[next++]!;
      try {
        const details = await engine.inspectContainer(container.id, {signal});
        result.set(container.id, new Map(details.networks.map(n => [n.name, n.aliases])));
      } catch {
        // Removed meanwhile: the next snapshot drops it anyway.
      }
    }
  };

  await Promise.all(Array.from({length: Math.min(concurrency, wanted.length)}, worker));
  return result;
}
