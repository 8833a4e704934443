// Carries out a RecreatePlan in the order that never leaves the user with nothing: create under a
// temporary name (validation fails before anything changes), take the old one's restart policy
// away, stop it and rename it aside, give the new one the real name, connect extra networks, start,
// wait until it is up, then remove the old one keeping its volumes. On any failure after the first
// change, put the old one back exactly: remove the new one, rename the old one back, restore its
// restart policy, start it if it was running.
import {randomBytes} from 'node:crypto';
import {hostname} from 'node:os';
import type {EnginePort} from '../../engine/port.js';
import {clause, EngineError} from '../../engine/errors.js';
import {JobError, throwIfAborted, type Job, type JobEvent} from '../job.js';
import {waitUntilUp, type HealthGateOptions} from './health-gate.js';
import {testPause} from '../journal-file.js';
import {deleteJournal, isOwnerAlive, journalDir, readJournals, updateJournal, writeJournal, type RecreateJournal, type RecreateStep} from './journal.js';
import {lockContainer, when, type ContainerLock} from './lock.js';
import type {RecreatePlan} from './plan.js';
import {recreateDifferences} from './verify.js';

/** How the recreate job waits. */
export type RecreateOptions = HealthGateOptions & {
  /** Seconds the old container gets to stop before it is killed. */
  readonly stopTimeoutSeconds?: number;
  /** What the recreate is for, in words, kept in the journal for `hawser recover`. */
  readonly purpose?: string;
  /** Called after each step is done and journaled; tests use it to fail or stop the engine at a chosen point. */
  readonly afterStep?: (step: RecreateStep) => Promise<void> | void;
};

/**
 * The outcome of a successful recreate. `asideName` is the name the old container had when it was
 * removed: renaming a link source rewrites its receivers' `HostConfig.Links` to the new name, so
 * they are left pointing at `asideName` until recreated.
 */
export type RecreateResult = {readonly oldId: string; readonly newId: string; readonly name: string; readonly asideName: string};

function reason(error: unknown): string {
  return error instanceof EngineError || error instanceof JobError ? error.message : error instanceof Error ? error.message : String(error);
}

/**
 * The recreate as a stream of events that returns the new container's id; compose it into a larger
 * job with `const result = yield* recreateSteps(...)`. Throws JobError after rolling back.
 */
export async function* recreateSteps(engine: EnginePort, plan: RecreatePlan, signal: AbortSignal, options: RecreateOptions = {}): AsyncGenerator<JobEvent, RecreateResult> {
  const purpose = options.purpose ?? `recreate ${plan.name} in ${plan.toMode} mode`;
  // One hawser at a time per container, taken before the first change and let go however this ends
  // (success, failure, rollback, cancel); a lock left by a hawser that died is taken over.
  let lock: ContainerLock;
  try {
    lock = lockContainer(engine.address, plan.containerId, plan.name, purpose);
  } catch (error) {
    if (error instanceof JobError) {
      throw error;
    }

    throw new JobError(`Cannot write the recreate lock in ${journalDir()}: ${reason(error)}`, 'Nothing was changed. Make that folder writable, or set HAWSER_STATE_DIR to one that is.');
  }

  try {
    return yield * lockedRecreateSteps(engine, plan, signal, options, purpose, lock);
  } finally {
    lock.release();
  }
}

/** Refuses to start over an unfinished operation on the same container: its journal must be closed first. */
function refuseOverPendingJournal(engine: EnginePort, plan: RecreatePlan): void {
  const pending = readJournals().find(journal => journal.engine === engine.address && (journal.oldId === plan.containerId || journal.newId === plan.containerId || journal.name === plan.name));
  if (!pending) {
    return;
  }

  if (isOwnerAlive(pending)) {
    throw new JobError(`${plan.name} is being changed by another hawser (pid ${pending.pid}, since ${when(pending.startedAt)}); wait for it, or run hawser recover if it died.`, 'Nothing was changed.');
  }

  throw new JobError(
    `${plan.name} has an unfinished operation left by a hawser that is gone (pid ${pending.pid}): ${pending.purpose}, started ${when(pending.startedAt)}.`,
    'Nothing was changed. Run hawser recover first: it puts the original back (--rollback) or completes that operation (--finish).',
  );
}

async function * lockedRecreateSteps(engine: EnginePort, plan: RecreatePlan, signal: AbortSignal, options: RecreateOptions, purpose: string, lock: ContainerLock): AsyncGenerator<JobEvent, RecreateResult> {
  refuseOverPendingJournal(engine, plan);
  const suffix = randomBytes(3).toString('hex');
  const temporaryName = `${plan.name}-hawser-new-${suffix}`;
  const asideName = `${plan.name}-hawser-old-${suffix}`;
  const oldId = plan.containerId;

  // From here on the old container is addressed by id only: after the rename its name points at the new one.
  const old = await engine.inspectContainer(oldId, {signal}).catch((error: unknown) => {
    if (error instanceof EngineError && error.statusCode === 404) {
      throw new JobError(`${plan.name} changed since this was planned: container ${oldId.slice(0, 12)} is gone (replaced or removed meanwhile, by another hawser or by docker).`, 'Nothing was changed. Look at it again and retry.');
    }

    throw new JobError(`Cannot read ${plan.name}: ${reason(error)}`, 'Nothing was changed.');
  });
  if (old.name !== plan.name) {
    throw new JobError(`${plan.name} changed since this was planned: container ${oldId.slice(0, 12)} is now called ${old.name}.`, 'Nothing was changed. Look at it again and retry.');
  }

  const wasRunning = old.isRunning;
  const restartPolicy = (old.raw['HostConfig'] as Record<string, unknown> | undefined)?.['RestartPolicy'] as Record<string, unknown> | undefined ?? plan.restartPolicy;
  const hasRestartPolicy = Boolean(restartPolicy['Name']) && restartPolicy['Name'] !== 'no';

  // The journal goes down before the first change: if hawser dies from here on, `hawser recover` knows what to undo.
  const now = new Date().toISOString();
  let journal: RecreateJournal = {
    version: 1,
    kind: 'recreate',
    id: `recreate-${plan.name}-${suffix}`,
    engine: engine.address,
    name: plan.name,
    oldId,
    temporaryName,
    asideName,
    restartPolicy,
    wasRunning,
    hasHealthcheck: plan.hasHealthcheck,
    extraNetworks: plan.extraNetworks.map(n => ({name: n.name, settings: n.settings})),
    purpose,
    step: 'planned',
    pid: process.pid,
    host: hostname(),
    startedAt: now,
    updatedAt: now,
  };
  try {
    writeJournal(journal);
  } catch (error) {
    throw new JobError(`Cannot write the recreate journal in ${journalDir()}: ${reason(error)}`, 'Nothing was changed. Make that folder writable, or set HAWSER_STATE_DIR to one that is.');
  }

  const record = async (step: RecreateStep, change: {newId?: string} = {}) => {
    journal = updateJournal(journal, {step, ...change});
    await options.afterStep?.(step);
    await testPause(step, signal);
  };

  yield {type: 'step', title: `Creating the new ${plan.name} under a temporary name`};
  let newId: string;
  try {
    const created = await engine.createContainer({...plan.spec, name: temporaryName}, {signal});
    newId = created.id;
    for (const warning of created.warnings) {
      yield {type: 'warning', message: warning};
    }
  } catch (error) {
    // A create cut off on the way (engine gone, cancelled) may still have made the container.
    const isRefusal = error instanceof EngineError && error.reason === 'engine';
    const isClean = isRefusal || await engine.removeContainer(temporaryName, {force: true}).then(() => true, (removeError: unknown) => removeError instanceof EngineError && removeError.statusCode === 404);
    if (isClean) {
      deleteJournal(journal.id);
      throw new JobError(`${isRefusal ? 'The engine refused the new container' : 'Creating the new container failed'}: ${reason(error)}`, 'Nothing was changed.');
    }

    throw new JobError(`Creating the new container failed: ${reason(error)}`, 'The original was not touched. Once the engine answers again, run hawser recover to remove the half-made copy.');
  }

  const done = {policy: false, stopAsked: false, stopped: false, renamedOld: false, renamedNew: false};
  try {
    await record('created', {newId});
    // The replacement is this operation's too: a hawser that finds it under the name meanwhile is refused.
    lock.extend(newId);
    throwIfAborted(signal);
    if (hasRestartPolicy) {
      yield {type: 'step', title: `Taking ${plan.name}'s restart policy away while it is replaced`};
      await engine.updateContainer(oldId, {RestartPolicy: {Name: 'no', MaximumRetryCount: 0}}, {signal});
      done.policy = true;
      await record('policy');
    }

    if (wasRunning) {
      yield {type: 'step', title: `Stopping ${plan.name}`};
      // Journaled first: a stop cut off here goes on in the engine (until its timeout kills the
      // container), so whoever puts the original back must let it finish before starting it again.
      done.stopAsked = true;
      await record('stopping');
      await engine.stopContainer(oldId, {signal, timeoutSeconds: options.stopTimeoutSeconds});
      done.stopped = true;
      await record('stopped');
    }

    yield {type: 'step', title: `Renaming the old ${plan.name} aside to ${asideName}`};
    await engine.renameContainer(oldId, asideName, {signal});
    done.renamedOld = true;
    await record('renamed-old');
    await engine.renameContainer(newId, plan.name, {signal});
    done.renamedNew = true;
    await record('renamed-new');

    for (const extra of plan.extraNetworks) {
      throwIfAborted(signal);
      yield {type: 'step', title: `Connecting network ${extra.name}`};
      await engine.connectNetwork(extra.name, newId, {
        aliases: extra.settings.Aliases,
        ipv4: extra.settings.IPAMConfig?.['IPv4Address'] as string | undefined,
        links: extra.settings.Links,
        driverOpts: extra.settings.DriverOpts,
      }, {signal});
    }

    if (plan.extraNetworks.length > 0) {
      await record('connected');
    }

    if (wasRunning) {
      throwIfAborted(signal);
      yield {type: 'step', title: `Starting the new ${plan.name}`};
      await engine.startContainer(newId, {signal});
      await record('started');
      yield {type: 'step', title: plan.hasHealthcheck ? 'Waiting until it is healthy' : 'Checking that it stays up'};
      await waitUntilUp(engine, newId, plan.hasHealthcheck, signal, options);
    }

    // ✓ only over a state read back: what the engine made must be what the plan promised.
    yield {type: 'step', title: `Checking the new ${plan.name} against the plan`};
    const differences = recreateDifferences(plan, await engine.inspectContainer(newId, {signal}));
    if (differences.length > 0) {
      throw new JobError(`the new ${plan.name} did not come out as planned: it is ${differences.join('; ')}`);
    }
  } catch (error) {
    const cause = reason(error);
    yield {type: 'warning', message: `Failed: ${clause(cause)}. Putting the original ${plan.name} back.`};
    try {
      journal = updateJournal(journal, {step: 'rolling-back'});
    } catch {}

    const failures: string[] = [];
    const attempt = async (what: string, run: () => Promise<void>) => {
      try {
        await run();
      } catch (rollbackError) {
        failures.push(`${what}: ${reason(rollbackError)}`);
      }
    };

    // No signal here: the rollback must finish even when the user cancelled.
    await attempt(`remove the new container ${newId.slice(0, 12)}`, async () => engine.removeContainer(newId, {force: true}));
    if (done.renamedOld) {
      await attempt(`rename ${asideName} back to ${plan.name}`, async () => engine.renameContainer(oldId, plan.name));
    }

    if (done.policy) {
      await attempt('restore its restart policy', async () => engine.updateContainer(oldId, {RestartPolicy: restartPolicy}));
    }

    if (wasRunning) {
      await attempt(`start ${plan.name}`, async () => startAgain(engine, oldId, done.stopAsked && !done.stopped, options.stopTimeoutSeconds));
    }

    if (failures.length > 0) {
      // The journal stays: `hawser recover` finishes putting it back once the engine answers.
      throw new JobError(`Switching ${plan.name} failed (${cause}), and putting it back failed too: ${failures.join('; ')}.`, `Once the engine answers again, run: hawser recover --rollback (the original is container ${oldId.slice(0, 12)}).`);
    }

    deleteJournal(journal.id);
    throw new JobError(`Could not replace ${plan.name}: ${cause}`, `The original ${plan.name} was put back as it was${wasRunning ? ' and is running' : ''}.`);
  }

  yield {type: 'step', title: `Removing the old ${plan.name} (its volumes stay)`};
  try {
    await engine.removeContainer(oldId, {force: true, volumes: false});
  } catch (error) {
    yield {type: 'warning', message: `The old container ${asideName} could not be removed (${reason(error)}); remove it by hand when convenient.`};
  }

  deleteJournal(journal.id);

  return {oldId, newId, name: plan.name, asideName};
}

/**
 * Starts the original again after a failed or cancelled replace, and reads it back: running. When a
 * stop was asked for and cut off (`isStopInFlight`), the engine is still stopping it and would kill it
 * seconds after a "running" answer: that stop is let finish first (asked again, without a cancel).
 */
export async function startAgain(engine: EnginePort, id: string, isStopInFlight: boolean, stopTimeoutSeconds?: number): Promise<void> {
  if (isStopInFlight && (await engine.inspectContainer(id)).isRunning) {
    await engine.stopContainer(id, {timeoutSeconds: stopTimeoutSeconds});
  }

  if (!(await engine.inspectContainer(id)).isRunning) {
    await engine.startContainer(id);
  }

  const after = await engine.inspectContainer(id);
  if (!after.isRunning || after.state === 'restarting') {
    throw new Error(`it is ${after.state} after being started again`);
  }
}

/** The recreate as a Job, ending with a summary; `done.data` holds `{oldId, newId, name}`. */
export function recreateJob(plan: RecreatePlan, options: RecreateOptions = {}): Job {
  return async function * (engine, signal) {
    const result = yield * recreateSteps(engine, plan, signal, options);
    yield {type: 'done', summary: `${plan.name} was recreated (${result.newId.slice(0, 12)}).`, data: {...result}};
  };
}
