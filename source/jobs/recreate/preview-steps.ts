// The steps a recreate's preview lists, the same for a mode switch, a legacy link and an unlink:
// what is made, stopped, renamed, checked and removed, and what happens on failure.
import type {ContainerDetails} from '../../engine/types.js';
import type {Dependant} from './dependants.js';
import type {RecreatePlan} from './plan.js';

/** `change`: what the new container differs in, as the first step says it ("in host mode", "with the changed links"). */
export function recreatePreviewSteps(details: ContainerDetails, plan: RecreatePlan, dependants: readonly Dependant[], change: string): string[] {
  return [
    `Create a new ${details.name} ${change} under a temporary name`,
    ...(details.isRunning ? [`Stop ${details.name} (restart policy taken away meanwhile) and rename it aside`] : [`Rename ${details.name} aside`]),
    `Give the new one the name ${details.name}${plan.extraNetworks.length > 0 ? `, connect ${plan.extraNetworks.map(n => n.name).join(', ')}` : ''}${details.isRunning ? ', start it and wait until it is up' : ''}`,
    'Read the new one back and check it against this plan (networks and their settings, ports, links, mounts, env, labels)',
    `Remove the old one, keeping its volumes${plan.anonymousVolumes.length > 0 ? ` (anonymous volumes carried over: ${plan.anonymousVolumes.map(v => v.slice(0, 12)).join(', ')})` : ''}`,
    ...plan.restored.map(r => `Restore ${r.description}`),
    ...dependants.map(d => d.kind === 'namespace'
      ? `Re-point ${d.name} (shares ${details.name}'s namespace) to the new container`
      : `Recreate ${d.name} so its link ${d.alias ?? ''} points at the new ${details.name}`),
    'On any failure or difference: remove the new one and put the original back exactly as it was',
  ];
}
