// The everyday container actions (start, stop, restart, pause, remove) as ActionForms, so the TUI and
// the CLI share one preview and one job for each.
import type {EnginePort} from '../engine/port.js';
import type {ContainerDetails} from '../engine/types.js';
import {linkAliasFor, parseLinkRefusal} from './links/link-refusal.js';
import type {ActionForm} from './action-form.js';
import {InputError, JobError, type Job, type PreparedJob} from './job.js';

/** The lifecycle actions hawser offers. */
export type LifecycleAction = 'start' | 'stop' | 'restart' | 'pause' | 'unpause' | 'remove' | 'forceRemove';

const titles: Record<LifecycleAction, string> = {
  start: 'Start', stop: 'Stop', restart: 'Restart', pause: 'Pause', unpause: 'Unpause', remove: 'Remove', forceRemove: 'Force-remove',
};

async function prepare(engine: EnginePort, container: string, action: LifecycleAction): Promise<PreparedJob> {
  const details = await engine.inspectContainer(container);
  const name = details.name;
  const steps: string[] = [];
  const warnings: string[] = [];
  if (action === 'start' && details.isRunning) {
    throw new InputError(`${name} is already running.`);
  }

  if ((action === 'stop' || action === 'pause') && !details.isRunning) {
    throw new InputError(`${name} is not running.`, 'Start it first.');
  }

  if (action === 'remove' && details.isRunning) {
    throw new InputError(`${name} is running; a plain remove would fail.`, 'Stop it first, or use force-remove (D), which kills it.');
  }

  const anonymous = details.mounts.filter(m => m.type === 'volume' && m.name && /^[0-9a-f]{64}$/.test(m.name));
  switch (action) {
    case 'stop': steps.push(`send ${String((details.raw['Config'] as {StopSignal?: string} | undefined)?.StopSignal ?? 'SIGTERM')} to ${name}, then SIGKILL after 10 s`); break;
    case 'remove':
    case 'forceRemove': {
      steps.push(`${action === 'forceRemove' && details.isRunning ? 'kill and ' : ''}remove the container ${name}`);
      warnings.push(`${name} is gone for good: its writable layer (files not in volumes) is deleted.`);
      if (anonymous.length > 0) {
        warnings.push(`Its ${anonymous.length} anonymous volume(s) are kept (back them up or remove them from the volumes panel).`);
      }

      if (details.restartPolicy !== 'no') {
        steps.push(`its restart policy (${details.restartPolicy}) goes with it`);
      }

      break;
    }

    default: steps.push(`${action} ${name}`);
  }

  const job: Job = async function * (port, signal) {
    yield {type: 'step', title: `${titles[action]} ${name}`};
    const o = {signal};
    switch (action) {
      case 'start': await port.startContainer(details.id, o).catch(async (error: unknown) => throwLinkFailure(error, details, port)); break;
      case 'stop': await port.stopContainer(details.id, o); break;
      case 'restart': await port.restartContainer(details.id, o).catch(async (error: unknown) => throwLinkFailure(error, details, port)); break;
      case 'pause': await port.pauseContainer(details.id, o); break;
      case 'unpause': await port.unpauseContainer(details.id, o); break;
      case 'remove': await port.removeContainer(details.id, o); break;
      case 'forceRemove': await port.removeContainer(details.id, {...o, force: true}); break;
    }

    yield {type: 'done', summary: `${titles[action]}: ${name} done.`};
  };

  return {preview: {title: `${titles[action]} ${name}?`, steps, warnings, isDestructive: action === 'remove' || action === 'forceRemove'}, job};
}

/** An ActionForm with no questions for one lifecycle action on one container. */
export function lifecycleForm(container: string, action: LifecycleAction): ActionForm {
  return {title: `${titles[action]} container`, fields: [], prepare: async engine => prepare(engine, container, action)};
}

/**
 * The engine's refusal to start a container whose legacy link it cannot make, said with what to do
 * (for every engine's wording, see link-refusal.ts), the engine's own words kept as detail; any
 * other error as it is.
 */
async function throwLinkFailure(error: unknown, details: ContainerDetails, port: EnginePort): Promise<never> {
  const text = error instanceof Error ? error.message : String(error);
  const refusal = parseLinkRefusal(text);
  if (!refusal) {
    throw error;
  }

  // Engine 28 names the source by id only.
  const source = refusal.isSourceId ? await port.inspectContainer(refusal.source).then(found => found.name, () => refusal.source.slice(0, 12)) : refusal.source;
  const links = ((details.raw['HostConfig'] as Record<string, unknown> | undefined)?.['Links'] ?? []) as string[];
  const alias = refusal.alias ?? linkAliasFor(Array.isArray(links) ? links : [], source);
  const why = refusal.why === 'not-running' ? 'which is not running (or gone)' : 'which is not on the default bridge';
  throw new JobError(
    `${details.name} did not start: the engine cannot make its legacy link to ${source}${alias ? ` (as ${alias})` : ''}, ${why}. The engine said: "${text}"`,
    refusal.why === 'not-running'
      ? `Start ${source}, or remove the link: hawser unlink ${details.name} ${alias ?? source}.`
      : `Put ${source} back on bridge (hawser netmode ${source} bridge), or remove the link: hawser unlink ${details.name} ${alias ?? source}.`,
  );
}
