// The legacy link (`docker run --link source:alias`): set only at create time, so the receiver is
// recreated safely (source/jobs/recreate) with HostConfig.Links added. Works only on the default
// bridge with a running source; copies every env var of the source into the receiver.
import type {EnginePort} from '../../engine/port.js';
import type {ContainerDetails} from '../../engine/types.js';
import {maskEnvEntry, splitEnv} from '../../model/secrets.js';
import {InputError, type Job, type JobEvent} from '../job.js';
import {findDependants, type Dependant} from '../recreate/dependants.js';
import {repointDependants} from '../recreate/repoint.js';
import {currentMode, describeMode, modeKind} from '../../model/network-modes.js';
import {loadPlanContext} from '../recreate/plan-context.js';
import {planRecreate, type RecreatePlan} from '../recreate/plan.js';
import {recreatePreviewSteps} from '../recreate/preview-steps.js';
import {recreateSteps, type RecreateOptions} from '../recreate/recreate-job.js';
import {linkEnvPrefix} from '../../model/aliases.js';
import {addressOn, legacyLinksOf, resolveLinkPair, type LegacyLink} from './endpoints.js';
import type {LinkRequest, PreparedLink} from './modern-link.js';
import {runTool} from './probes.js';
import {verifyName} from './verify.js';

/** What a legacy link will do, as data. */
export type LegacyLinkSummary = {
  readonly kind: 'legacy';
  readonly receiver: string;
  readonly source: string;
  readonly alias: string;
  /** The env vars the receiver will get, secret values masked. */
  readonly injectedEnv: readonly string[];
  readonly dependants: readonly Dependant[];
};

/** The env vars a link injects into the receiver, as `NAME=value` with secret values masked. */
export function injectedEnv(source: ContainerDetails, alias: string): string[] {
  const prefix = linkEnvPrefix(alias);
  const address = addressOn(source, 'bridge') || '…';
  const ports = source.ports.map(p => `${prefix}PORT_${p.privatePort}_${p.protocol.toUpperCase()}=${p.protocol}://${address}:${p.privatePort} (and its _ADDR, _PORT, _PROTO)`);
  const env = source.env
    .map(entry => splitEnv(entry))
    // The engine skips HOME and PATH (daemon/links): they describe the image, not the service.
    .filter(({name}) => name !== 'HOME' && name !== 'PATH')
    .map(({name, value}) => `${prefix}ENV_${maskEnvEntry(`${name}=${value}`)}`);
  return [`${prefix}NAME=/<receiver>/${alias}`, ...ports, ...env];
}

function modernHint(receiver: ContainerDetails, source: ContainerDetails, alias: string): string {
  const shared = source.networks.map(n => n.name).find(name => name !== 'bridge' && receiver.networks.some(n => n.name === name));
  const network = shared ?? source.networks.map(n => n.name).find(name => name !== 'bridge');
  return `Link the modern way instead (live, no env vars copied): hawser link ${receiver.name} ${source.name}:${alias}${network ? ` --network ${network}` : ''}`;
}

/** Refuses what the engine would refuse at start, with the reason and the modern way; nothing is changed. */
export function assertLegacyLinkable(receiver: ContainerDetails, source: ContainerDetails, alias: string): void {
  const receiverMode = currentMode(receiver);
  if (modeKind(receiverMode) !== 'bridge') {
    throw new InputError(`Legacy links work only on the default bridge, and ${receiver.name} is in ${describeMode(receiverMode)} mode.`, modernHint(receiver, source, alias));
  }

  if (!source.networks.some(n => n.name === 'bridge')) {
    const where = source.networks.map(n => n.name).join(', ') || describeMode(currentMode(source));
    throw new InputError(`Legacy links work only on the default bridge, and ${source.name} is not on it (it is on ${where}): the engine would refuse with "does not belong to the default network".`, modernHint(receiver, source, alias));
  }

  if (!source.isRunning) {
    throw new InputError(`${source.name} is not running, and a legacy link needs a running source: the engine refuses to start ${receiver.name} otherwise ("Cannot link to a non running container").`, `Start ${source.name} first (docker start ${source.name}). ${modernHint(receiver, source, alias)}`);
  }
}


/** Checks and plans a legacy link; throws InputError (nothing changed) when it cannot work, saying why and offering the modern way. */
export async function prepareLegacyLink(engine: EnginePort, request: LinkRequest, options: RecreateOptions = {}): Promise<PreparedLink<LegacyLinkSummary>> {
  const {receiver, source, alias} = await resolveLinkPair(engine, request, 'hawser link nginx mysql:db --legacy');

  if (request.network?.trim() && request.network.trim() !== 'bridge') {
    throw new InputError('--network goes with the modern link; a legacy link always uses the default bridge.', `Leave out --network, or drop --legacy: hawser link ${receiver.name} ${source.name}:${alias} --network ${request.network.trim()}`);
  }

  assertLegacyLinkable(receiver, source, alias);
  const existing: LegacyLink[] = legacyLinksOf(receiver);
  const same = existing.find(link => link.alias === alias);
  if (same) {
    throw same.source === source.name
      ? new InputError(`${receiver.name} already links to ${source.name} as ${alias}.`, 'Nothing to do; hawser doctor checks it.')
      : new InputError(`${receiver.name} already uses the alias ${alias} for ${same.source}.`, `Pick another alias, or unlink first: hawser unlink ${receiver.name} ${alias}`);
  }

  const links = [...existing.map(link => `${link.source}:${link.alias}`), `${source.name}:${alias}`];
  const plan = planRecreate(receiver, {links}, await loadPlanContext(engine, receiver));
  const dependants = await findDependants(engine, receiver);
  const env = injectedEnv(source, alias);
  const summary: LegacyLinkSummary = {kind: 'legacy', receiver: receiver.name, source: source.name, alias, injectedEnv: env.map(line => line.replace('<receiver>', receiver.name)), dependants};
  const steps = [
    ...recreatePreviewSteps(receiver, plan, dependants, 'with the changed links'),
    `Check from inside ${receiver.name} that ${alias} resolves to ${source.name}`,
  ];
  const warnings = [
    `Every env var of ${source.name} is copied into ${receiver.name}, secrets included, readable by anyone who can inspect or exec into it:`,
    ...summary.injectedEnv.map(line => `  ${line}`),
    `Links break when ${source.name} is recreated (docker rm/run, compose up, an image update): ${receiver.name} keeps the old address and cannot start again until it is recreated too.`,
    ...(receiver.isRunning ? [`Downtime for ${receiver.name}: from the stop until the new container is up, a few seconds.`] : []),
  ];
  return {
    summary,
    preview: {title: `Link ${receiver.name} → ${source.name} as ${alias} (legacy --link: recreates ${receiver.name})`, steps, warnings, isDestructive: true},
    job: legacyLinkJob(receiver, source, alias, plan, dependants, summary, options),
  };
}

function legacyLinkJob(receiver: ContainerDetails, source: ContainerDetails, alias: string, plan: RecreatePlan, dependants: readonly Dependant[], summary: LegacyLinkSummary, options: RecreateOptions): Job {
  return async function * (engine, signal): AsyncGenerator<JobEvent> {
    const {newId} = yield * recreateSteps(engine, plan, signal, options);
    // A legacy-linked receiver stays on the default bridge.
    yield * repointDependants(engine, receiver, newId, 'bridge', dependants, signal, options);
    yield {type: 'step', title: `Checking from inside ${receiver.name} that ${alias} resolves`};
    const fresh = await engine.inspectContainer(source.id, {signal});
    const verification = await verifyName(engine, newId, alias, [addressOn(fresh, 'bridge')], signal);
    yield verification.status === 'resolves' ? {type: 'log', line: verification.message} : {type: 'warning', message: verification.message};
    // The injected vars are not in Config.Env (the engine adds them at start): look for them inside.
    const env = await runTool(engine, newId, ['env'], signal);
    const prefix = linkEnvPrefix(alias);
    const injected = env.status === 'ran' ? env.output.split('\n').filter(line => line.startsWith(prefix)).length : undefined;
    if (injected !== undefined) {
      yield {type: 'log', line: `${injected} env vars starting with ${prefix} are set inside ${receiver.name}.`};
    }

    yield {
      type: 'done',
      summary: `${receiver.name} links to ${source.name} as ${alias} (recreated as ${newId.slice(0, 12)})${verification.status === 'resolves' ? ', checked' : ''}.`,
      data: {...summary, id: newId, oldId: receiver.id, injectedCount: injected ?? null, verification: verification as unknown as Record<string, unknown>},
    };
  };
}
