// Re-pointing the containers that depended on a recreated container: those sharing its namespace
// (container:<id> names the old id) and legacy links (whose source the rename aside rewrote). Used
// after a network-mode switch, a link change, and by `hawser recover --finish`.
import type {EnginePort} from '../../engine/port.js';
import type {ContainerDetails} from '../../engine/types.js';
import {throwIfAborted, type JobEvent} from '../job.js';
import {isLinkTo, linkBreakWarning, type Dependant} from './dependants.js';
import {modeKind} from '../../model/network-modes.js';
import {loadPlanContext} from './plan-context.js';
import {normalizeLink, planRecreate} from './plan.js';
import {recreateSteps, type RecreateOptions} from './recreate-job.js';

/** Re-points containers that depended on a recreated container: namespace sharers, and legacy links (whose source the rename aside rewrote). */
export async function * repointDependants(engine: EnginePort, old: ContainerDetails, newId: string, newMode: string, dependants: readonly Dependant[], signal: AbortSignal, options: RecreateOptions): AsyncGenerator<JobEvent> {
  for (const dependant of dependants) {
    throwIfAborted(signal);
    if (dependant.kind === 'link' && modeKind(newMode) !== 'bridge') {
      yield {type: 'warning', message: linkBreakWarning(dependant, old.name)};
      continue;
    }

    yield {type: 'step', title: `Re-pointing ${dependant.name} (${dependant.kind === 'namespace' ? 'shares its namespace' : `links to it as ${dependant.alias ?? old.name}`})`};
    try {
      const details = await engine.inspectContainer(dependant.id, {signal});
      const context = {...await loadPlanContext(engine, details, {signal}), parentHostname: old.hostname};
      // The rename aside rewrote the receiver's link to the aside name: point it back at the real one.
      const links = details.legacyLinks.map(normalizeLink).map(link => {
        const [source = '', alias = ''] = link.split(':');
        return isLinkTo(source, old.name) ? `${old.name}:${alias}` : link;
      });
      const plan = planRecreate(details, dependant.kind === 'namespace' ? {networkMode: `container:${newId}`} : {links}, context);
      for await (const event of recreateSteps(engine, plan, signal, options)) {
        yield event.type === 'step' ? {type: 'log', line: event.title} : event;
      }
    } catch (error) {
      yield {type: 'warning', message: `${dependant.name} could not be re-pointed: ${error instanceof Error ? error.message : String(error)} Recreate it by hand.`};
    }
  }
}
