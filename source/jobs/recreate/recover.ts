// Recovering a recreate that hawser did not finish (killed, engine gone): read its journal, look at
// what the engine has now, and either put the original back under its name, with its restart policy,
// running as it was — or carry the replacement through to the end. Both are idempotent: each step
// checks the engine's state first, so running one twice, or after a half-done attempt, is safe.
import type {EnginePort} from '../../engine/port.js';
import type {ContainerDetails} from '../../engine/types.js';
import {EngineError} from '../../engine/errors.js';
import {InputError, JobError, type Job, type JobEvent, type PreparedJob} from '../job.js';
import {findDependants} from './dependants.js';
import {waitUntilUp, type HealthGateOptions} from './health-gate.js';
import {currentMode} from '../../model/network-modes.js';
import {startAgain} from './recreate-job.js';
import {repointDependants} from './repoint.js';
import {deleteJournal, journalDir, type RecreateJournal} from './journal.js';
import {journalExists} from '../journal-file.js';
import {lockContainer, type ContainerLock} from './lock.js';

const stepWords: Readonly<Record<RecreateJournal['step'], string>> = {
  planned: 'before the new container was created',
  created: 'after creating the new container under a temporary name',
  policy: 'after taking the original\'s restart policy away',
  stopping: 'while the original was being stopped',
  stopped: 'after stopping the original',
  'renamed-old': 'after renaming the original aside',
  'renamed-new': 'after giving the new container the name',
  connected: 'after connecting the new container\'s networks',
  started: 'after starting the new container',
  'rolling-back': 'while putting the original back',
};

/** One sentence for a journal: what was being done and where it stopped. */
export function describeJournal(journal: RecreateJournal): string {
  return `${journal.purpose}: stopped ${stepWords[journal.step]} (${journal.startedAt.replace('T', ' ').slice(0, 19)} UTC). The original is ${journal.oldId.slice(0, 12)}${journal.step === 'planned' || journal.step === 'created' || journal.step === 'policy' || journal.step === 'stopping' || journal.step === 'stopped' ? '' : `, renamed aside to ${journal.asideName}`}.`;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function inspectOrUndefined(engine: EnginePort, reference: string | undefined): Promise<ContainerDetails | undefined> {
  if (!reference) {
    return undefined;
  }

  try {
    return await engine.inspectContainer(reference);
  } catch (error) {
    if (error instanceof EngineError && error.statusCode === 404) {
      return undefined;
    }

    throw error;
  }
}

/** A container by its exact name (inspect also answers to an id prefix, which a name must not match). */
async function byExactName(engine: EnginePort, name: string): Promise<ContainerDetails | undefined> {
  const found = await inspectOrUndefined(engine, name);
  return found?.name === name ? found : undefined;
}

/**
 * The replacement: by id when the journal knows it; else (hawser died while the create was on its
 * way) by the temporary name it was created under, which only this operation used.
 */
async function findNew(engine: EnginePort, journal: RecreateJournal): Promise<ContainerDetails | undefined> {
  if (journal.newId) {
    return inspectOrUndefined(engine, journal.newId);
  }

  const byName = await byExactName(engine, journal.temporaryName);
  return byName && byName.id !== journal.oldId ? byName : undefined;
}

/** What the engine has now of a journal's containers. */
type Found = {
  readonly old?: ContainerDetails;
  readonly replacement?: ContainerDetails;
  /** A container under the journal's name that is neither of them: made after hawser stopped, by someone else. It is never touched. */
  readonly stranger?: ContainerDetails;
};

async function look(engine: EnginePort, journal: RecreateJournal): Promise<Found> {
  const old = await inspectOrUndefined(engine, journal.oldId);
  const replacement = await findNew(engine, journal);
  const holder = await byExactName(engine, journal.name);
  const stranger = holder && holder.id !== old?.id && holder.id !== replacement?.id ? holder : undefined;
  return {old, replacement, stranger};
}

/** A recovery that cannot start in this state and changed nothing; its hint names the one that can. */
class RecoverRefusal extends JobError {}

function short(id: string): string {
  return id.slice(0, 12);
}

function strangerWords(journal: RecreateJournal, stranger: ContainerDetails): string {
  return `${journal.name} is now container ${short(stranger.id)}, which this operation did not make (it was left alone)`;
}

/** What a recovery that closed a journal without doing all its action says; `isForTheUser` when something is left to look at. */
type Note = {readonly text: string; readonly isForTheUser?: boolean};

/** The note for a journal with nothing left to act on: both of its containers are gone. */
function nothingLeft(journal: RecreateJournal, stranger: ContainerDetails | undefined): Note {
  return {text: `Nothing was left to act on: the original ${journal.name} (${short(journal.oldId)}) and its replacement are both gone (removed after hawser stopped)${stranger ? `; ${strangerWords(journal, stranger)}` : ''}. The unfinished operation was closed.`};
}

function policyName(policy: Readonly<Record<string, unknown>> | undefined): string {
  return String(policy?.['Name'] ?? '') || 'no';
}

function currentPolicy(details: ContainerDetails): Readonly<Record<string, unknown>> | undefined {
  return (details.raw['HostConfig'] as Record<string, unknown> | undefined)?.['RestartPolicy'] as Record<string, unknown> | undefined;
}

/**
 * Puts the original back: the replacement removed, the name, the restart policy and the running state
 * restored. Returns a note instead when that cannot be done and there is nothing else to do: both
 * containers gone, or the name taken by a container this operation did not make.
 */
async function * rollbackSteps(engine: EnginePort, journal: RecreateJournal): AsyncGenerator<JobEvent, Note | undefined> {
  const {old, replacement, stranger} = await look(engine, journal);
  if (!old && !replacement) {
    return nothingLeft(journal, stranger);
  }

  if (!old) {
    if (!stranger) {
      throw new RecoverRefusal(`The original ${journal.name} (${short(journal.oldId)}) is gone: it was removed at the very end of the recreate, so there is nothing to put back.`, 'Finish instead: hawser recover --finish.');
    }

    // The name went to someone else: the half-made replacement can never take it.
    yield {type: 'step', title: `Removing the half-made replacement ${replacement!.name} (${short(replacement!.id)})`};
    await engine.removeContainer(replacement!.id, {force: true});
    return {text: `The original ${journal.name} (${short(journal.oldId)}) is gone and ${strangerWords(journal, stranger)}: the half-made replacement ${replacement!.name} was removed. The unfinished operation was closed.`};
  }

  if (replacement) {
    yield {type: 'step', title: `Removing the replacement ${replacement.name} (${short(replacement.id)})`};
    await engine.removeContainer(replacement.id, {force: true});
  }

  if (stranger) {
    // Never take the name from a container hawser did not make: the original stays aside, as it is.
    const now = await engine.inspectContainer(old.id);
    return {text: `${strangerWords(journal, stranger)}, so the original (${short(old.id)}) stays as ${now.name}, ${now.isRunning ? 'running' : 'stopped'}, restart policy ${policyName(currentPolicy(now))}: remove it, or rename it to ${journal.name} once that name is free. The unfinished operation was closed.`, isForTheUser: true};
  }

  if (old.name !== journal.name) {
    yield {type: 'step', title: `Renaming ${old.name} back to ${journal.name}`};
    await engine.renameContainer(old.id, journal.name);
  }

  if (policyName(currentPolicy(old)) !== policyName(journal.restartPolicy)) {
    yield {type: 'step', title: `Restoring its restart policy (${policyName(journal.restartPolicy)})`};
    await engine.updateContainer(old.id, {RestartPolicy: journal.restartPolicy});
  }

  if (journal.wasRunning) {
    // Killed while the engine was stopping it: that stop is let finish, or it would stop it again later.
    yield {type: 'step', title: journal.step === 'stopping' ? `Letting the stop hawser asked for finish, then starting ${journal.name}` : `Starting ${journal.name}`};
    await startAgain(engine, old.id, journal.step === 'stopping');
  }

  // Containers sharing its namespace lost it when it stopped: a restart joins them to it again.
  for (const sharer of await engine.listContainers()) {
    if (sharer.networkMode === `container:${old.id}` && sharer.state === 'running') {
      yield {type: 'step', title: `Restarting ${sharer.name}, which shares ${journal.name}'s namespace`};
      await engine.restartContainer(sharer.id).catch(() => undefined);
    }
  }

  return undefined;
}

/** Carries the replacement through: the original stopped and renamed aside, the new one named, connected, started, checked; then the original removed (volumes kept). */
async function * finishSteps(engine: EnginePort, journal: RecreateJournal, options: HealthGateOptions): AsyncGenerator<JobEvent, Note | undefined> {
  const {old, replacement, stranger} = await look(engine, journal);
  if (!replacement) {
    if (!old) {
      return nothingLeft(journal, stranger);
    }

    throw new RecoverRefusal(`The replacement for ${journal.name} was never created (or is gone): there is nothing to finish.`, 'Roll back instead: hawser recover --rollback.');
  }

  if (stranger) {
    throw new RecoverRefusal(
      `${strangerWords(journal, stranger)}: finishing would have to take its name.`,
      `Roll back instead: hawser recover --rollback (removes the half-made replacement ${replacement.name}${old ? `, leaves the original as ${old.name}` : ''}); or rename that container and finish again.`,
    );
  }

  if (old) {
    if (policyName(currentPolicy(old)) !== 'no') {
      yield {type: 'step', title: `Taking ${old.name}'s restart policy away while it is replaced`};
      await engine.updateContainer(old.id, {RestartPolicy: {Name: 'no', MaximumRetryCount: 0}});
    }

    if (old.isRunning) {
      yield {type: 'step', title: `Stopping the original ${old.name}`};
      await engine.stopContainer(old.id);
    }

    if (old.name === journal.name) {
      yield {type: 'step', title: `Renaming the original aside to ${journal.asideName}`};
      await engine.renameContainer(old.id, journal.asideName);
    }
  }

  if (replacement.name !== journal.name) {
    yield {type: 'step', title: `Giving the new container the name ${journal.name}`};
    await engine.renameContainer(replacement.id, journal.name);
  }

  const attached = new Set(replacement.networks.map(n => n.name));
  for (const extra of journal.extraNetworks.filter(n => !attached.has(n.name))) {
    yield {type: 'step', title: `Connecting network ${extra.name}`};
    await engine.connectNetwork(extra.name, replacement.id, {
      aliases: extra.settings.Aliases,
      ipv4: extra.settings.IPAMConfig?.['IPv4Address'] as string | undefined,
      links: extra.settings.Links,
      driverOpts: extra.settings.DriverOpts,
    });
  }

  if (journal.wasRunning) {
    const now = await engine.inspectContainer(replacement.id);
    if (!now.isRunning) {
      yield {type: 'step', title: `Starting the new ${journal.name}`};
      await engine.startContainer(replacement.id);
    }

    yield {type: 'step', title: journal.hasHealthcheck ? 'Waiting until it is healthy' : 'Checking that it stays up'};
    try {
      await waitUntilUp(engine, replacement.id, journal.hasHealthcheck, new AbortController().signal, options);
    } catch (error) {
      if (old) {
        throw error;
      }

      // Nothing to go back to: finishing again would only fail the same way.
      return {text: `The original ${journal.name} (${short(journal.oldId)}) is gone, so there is nothing to put back: the new ${journal.name} (${short(replacement.id)}) is in place, but ${reason(error).replace(/^The new container/, 'it')} Check its command and settings. The unfinished operation was closed.`, isForTheUser: true};
    }
  }

  if (old) {
    // Found before the original goes: sharers name its id, and the rename aside rewrote links to the aside name.
    const original = {...old, name: journal.name};
    const dependants = await findDependants(engine, original);
    yield {type: 'step', title: `Removing the original (its volumes stay)`};
    await engine.removeContainer(old.id, {force: true, volumes: false});
    yield * repointDependants(engine, original, replacement.id, currentMode(await engine.inspectContainer(replacement.id)), dependants, new AbortController().signal, options);
  }

  return undefined;
}

/** Takes the lock of the journal's containers, so no other hawser (a switch, another recover) changes them meanwhile. */
function lockJournal(engine: EnginePort, journal: RecreateJournal, action: string): ContainerLock {
  let lock: ContainerLock | undefined;
  try {
    lock = lockContainer(engine.address, journal.oldId, journal.name, `recover ${journal.name} (${action})`);
    if (journal.newId) {
      lock.extend(journal.newId);
    }

    return lock;
  } catch (error) {
    lock?.release();
    if (error instanceof JobError) {
      throw error;
    }

    throw new JobError(`Cannot write the lock in ${journalDir()}: ${reason(error)}`, 'Nothing was changed. Make that folder writable, or set HAWSER_STATE_DIR to one that is.');
  }
}

/**
 * The recovery of one operation as a Job. Runs without the signal once started (a half-done recovery
 * is what it exists to prevent); a failed finish rolls back. The journal is deleted once done, and
 * also when there was nothing left to act on (with a note saying so): every state of a journal has
 * an action that closes it.
 */
export function recoverJob(journal: RecreateJournal, action: 'rollback' | 'finish', options: HealthGateOptions = {}): Job {
  return async function * (engine) {
    const lock = lockJournal(engine, journal, action);
    try {
      if (!journalExists(journal.id)) {
        yield {type: 'done', summary: `The unfinished operation on ${journal.name} was already closed (by another hawser recover); nothing was changed.`, data: {operation: journal.id, action, name: journal.name, closed: 'already'}};
        return;
      }

      yield * recoverLocked(engine, journal, action, options);
    } finally {
      lock.release();
    }
  };
}

/** The end of a recovery that closed the journal with a note; bad news when something is left for the user to look at. */
function closedWithNote(journal: RecreateJournal, action: 'rollback' | 'finish', note: Note): JobEvent {
  return {type: 'done', summary: note.text, data: {operation: journal.id, action, name: journal.name, closed: 'with-note'}, ...(note.isForTheUser ? {isBadNews: true} : {})};
}

async function * recoverLocked(engine: EnginePort, journal: RecreateJournal, action: 'rollback' | 'finish', options: HealthGateOptions): AsyncGenerator<JobEvent> {
  if (action === 'rollback') {
    let note: Note | undefined;
    try {
      note = yield * rollbackSteps(engine, journal);
    } catch (error) {
      throw error instanceof JobError ? error : new JobError(`Putting ${journal.name} back failed: ${reason(error)}`, 'Nothing was lost: run hawser recover --rollback again once that is fixed.');
    }

    deleteJournal(journal.id);
    yield note === undefined
      ? {type: 'done', summary: `${journal.name} is back as it was${journal.wasRunning ? ' and running' : ''} (${short(journal.oldId)}).`, data: {operation: journal.id, action, name: journal.name, id: journal.oldId}}
      : closedWithNote(journal, action, note);
    return;
  }

  let note: Note | undefined;
  try {
    note = yield * finishSteps(engine, journal, options);
  } catch (error) {
    if (error instanceof RecoverRefusal) {
      throw error;
    }

    if (await inspectOrUndefined(engine, journal.oldId).then(found => !found, () => false)) {
      throw new JobError(`Finishing ${journal.name} failed: ${reason(error)}`, 'The original is gone, so there is nothing to put back: run hawser recover --finish again once that is fixed.');
    }

    yield {type: 'warning', message: `Finishing failed: ${reason(error)}. Putting the original ${journal.name} back.`};
    let rollbackNote: Note | undefined;
    try {
      rollbackNote = yield * rollbackSteps(engine, journal);
    } catch (rollbackError) {
      throw new JobError(`Finishing ${journal.name} failed (${reason(error)}), and putting it back failed too: ${reason(rollbackError)}.`, 'Run hawser recover again once the engine is healthy.');
    }

    deleteJournal(journal.id);
    throw new JobError(`Could not finish ${journal.name}: ${reason(error)}`, rollbackNote?.text ?? `The original ${journal.name} was put back as it was.`);
  }

  if (note !== undefined) {
    deleteJournal(journal.id);
    yield closedWithNote(journal, action, note);
    return;
  }

  const finished = await engine.inspectContainer(journal.name);
  deleteJournal(journal.id);
  yield {type: 'done', summary: `${journal.name} was recreated (${short(finished.id)}).`, data: {operation: journal.id, action, name: journal.name, id: finished.id, oldId: journal.oldId}};
}

/** Plans a recovery: refuses an unknown action, previews the steps. */
export function prepareRecover(journal: RecreateJournal, action: string, options: HealthGateOptions = {}): PreparedJob {
  if (action !== 'rollback' && action !== 'finish') {
    throw new InputError(`Unknown recovery "${action}".`, 'Choose rollback (put the original back) or finish (complete the replacement).');
  }

  const steps = action === 'rollback'
    ? [`Remove the half-made replacement of ${journal.name}, if there is one`, `Give the original (${journal.oldId.slice(0, 12)}) its name ${journal.name} back`, `Restore its restart policy (${policyName(journal.restartPolicy)})`, ...(journal.wasRunning ? ['Start it'] : [])]
    : [`Stop the original ${journal.name} and rename it aside, if not done yet`, `Give the replacement the name ${journal.name}${journal.extraNetworks.length > 0 ? ` and connect ${journal.extraNetworks.map(n => n.name).join(', ')}` : ''}`, ...(journal.wasRunning ? ['Start it and wait until it is up'] : []), 'Remove the original, keeping its volumes', 'Re-point containers that shared its namespace or linked to it', 'If anything fails: put the original back'];
  return {
    preview: {title: `${action === 'rollback' ? 'Roll back' : 'Finish'}: ${describeJournal(journal)}`, steps, warnings: action === 'finish' ? [`The original ${journal.name} is replaced for good.`] : [], isDestructive: action === 'finish'},
    job: recoverJob(journal, action, options),
  };
}
