// Builds the cross-resource index once per snapshot, so rows never scan lists.
import type {ContainerSummary, VolumeUsage} from '../engine/types.js';
import type {InspectedMode, ResourceIndex} from './kind.js';

/** Indexes containers by id, network and volume; carries the volume sizes and inspected modes as given. */
export function buildIndex(containers: readonly ContainerSummary[], volumeUsage?: ReadonlyMap<string, VolumeUsage>, inspectedModes?: ReadonlyMap<string, InspectedMode>): ResourceIndex {
  const containerById = new Map<string, ContainerSummary>();
  const containersByNetwork = new Map<string, ContainerSummary[]>();
  const containersByVolume = new Map<string, ContainerSummary[]>();
  const add = (map: Map<string, ContainerSummary[]>, key: string, container: ContainerSummary) => {
    const list = map.get(key);
    if (list) {
      list.push(container);
    } else {
      map.set(key, [container]);
    }
  };

  for (const container of containers) {
    containerById.set(container.id, container);
    for (const network of container.networks) {
      // By name: a created container has no network id yet, and names are unique per engine.
      add(containersByNetwork, network.name, container);
    }

    for (const mount of container.mounts) {
      if (mount.type === 'volume' && mount.name) {
        add(containersByVolume, mount.name, container);
      }
    }
  }

  return {containerById, containersByNetwork, containersByVolume, volumeUsage, inspectedModes};
}
