// Every state a recreate journal can be found in — the original under its name, aside, or gone; the
// replacement under its temporary name, under the name, or gone; the name taken by a container the
// operation did not make — has an action that closes it: `recover --rollback` and `--finish` never
// each send the user to the other. Neither ever removes or renames a container the journal does not
// name. Against an in-memory engine that keeps names unique as Docker does.
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {hostname, tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {EngineError} from '../../source/engine/errors.js';
import type {EnginePort} from '../../source/engine/port.js';
import type {ContainerDetails} from '../../source/engine/types.js';
import {JobError, runToEnd, type JobEvent} from '../../source/jobs/job.js';
import {journalDir, writeJournalFile} from '../../source/jobs/journal-file.js';
import type {RecreateJournal} from '../../source/jobs/recreate/journal.js';
import {recoverJob} from '../../source/jobs/recreate/recover.js';
import {fakeContainer} from '../helpers/fake-engine.js';

type Box = {id: string; name: string; running: boolean; policy: string};

const hex = (c: string) => `${c.repeat(12)}${'0'.repeat(52)}`;
const oldId = hex('a');
const newId = hex('b');
const strangerId = hex('c');
const lookalikeId = hex('d');

/** Just enough of an engine for recovery: names unique (409 on a clash), 404 for what is gone, inspect by id, name or id prefix. */
function stateEngine(boxes: Box[]): EnginePort {
  const find = (reference: string) => boxes.find(b => b.id === reference) ?? boxes.find(b => b.name === reference) ?? (/^[0-9a-f]+$/.test(reference) ? boxes.find(b => b.id.startsWith(reference)) : undefined);
  const get = (reference: string) => {
    const box = find(reference);
    if (!box) {
      throw new EngineError(`No such container: ${reference}`, '', 404);
    }

    return box;
  };

  const details = (box: Box): ContainerDetails => ({
    ...fakeContainer(box.name, {id: box.id, state: box.running ? 'running' : 'exited', networkMode: 'bridge'}),
    env: [], cmd: [], entrypoint: [], hostname: box.id.slice(0, 12), restartPolicy: box.policy, restartCount: 0, isRunning: box.running, isRestarting: false, legacyLinks: [], imageId: 'sha256:abc',
    raw: {HostConfig: {RestartPolicy: {Name: box.policy, MaximumRetryCount: 0}, NetworkMode: 'bridge'}, State: {ExitCode: 0}},
  });
  const engine = {
    address: 'unix:///fake.sock',
    listContainers: async () => boxes.map(box => fakeContainer(box.name, {id: box.id, state: box.running ? 'running' : 'exited', networkMode: 'bridge'})),
    inspectContainer: async (reference: string) => details(get(reference)),
    removeContainer: async (reference: string) => {
      boxes.splice(boxes.indexOf(get(reference)), 1);
    },
    renameContainer: async (reference: string, name: string) => {
      const box = get(reference);
      if (boxes.some(other => other !== box && other.name === name)) {
        throw new EngineError(`Conflict. The container name "/${name}" is already in use`, '', 409);
      }

      box.name = name;
    },
    updateContainer: async (reference: string, body: {RestartPolicy: {Name: string}}) => {
      get(reference).policy = body.RestartPolicy.Name;
    },
    startContainer: async (reference: string) => {
      get(reference).running = true;
    },
    stopContainer: async (reference: string) => {
      get(reference).running = false;
    },
    restartContainer: async (reference: string) => {
      get(reference).running = true;
    },
    connectNetwork: async () => undefined,
    containerLogs: async () => '',
  };
  return engine as unknown as EnginePort;
}

const oldStates = ['gone', 'named', 'named-stopped', 'aside'] as const;
const newStates = ['gone', 'temporary', 'named'] as const;
type World = {readonly old: typeof oldStates[number]; readonly replacement: typeof newStates[number]; readonly stranger: boolean; readonly isNewIdKnown: boolean};

function worlds(): World[] {
  const all: World[] = [];
  for (const old of oldStates) {
    for (const replacement of newStates) {
      for (const stranger of [false, true]) {
        for (const isNewIdKnown of [true, false]) {
          const isNamed = old === 'named' || old === 'named-stopped' || replacement === 'named';
          if ((old.startsWith('named') && replacement === 'named') || (stranger && isNamed) || (!isNewIdKnown && replacement !== 'temporary')) {
            continue;
          }

          all.push({old, replacement, stranger, isNewIdKnown});
        }
      }
    }
  }

  return all;
}

const journal = (world: World): RecreateJournal => ({
  version: 1, kind: 'recreate', id: 'recreate-web-abc123', engine: 'unix:///fake.sock', name: 'web', oldId, ...(world.isNewIdKnown ? {newId} : {}),
  temporaryName: 'web-hawser-new-abc123', asideName: 'web-hawser-old-abc123', restartPolicy: {Name: 'unless-stopped', MaximumRetryCount: 0}, wasRunning: true, hasHealthcheck: false, extraNetworks: [],
  purpose: 'switch web to host mode', step: 'renamed-old', pid: 999_999_999, host: hostname(), startedAt: '2025-01-02T03:04:05.000Z', updatedAt: '2025-01-02T03:04:06.000Z',
});

function boxesOf(world: World): Box[] {
  const boxes: Box[] = [
    // Made by the user, with a name like hawser's: never touched.
    {id: lookalikeId, name: 'web-hawser-old-ffffff', running: true, policy: 'no'},
  ];
  if (world.old !== 'gone') {
    boxes.push({id: oldId, name: world.old === 'aside' ? 'web-hawser-old-abc123' : 'web', running: world.old === 'named', policy: world.old === 'named' ? 'unless-stopped' : 'no'});
  }

  if (world.replacement !== 'gone') {
    boxes.push({id: newId, name: world.replacement === 'named' ? 'web' : 'web-hawser-new-abc123', running: false, policy: 'unless-stopped'});
  }

  if (world.stranger) {
    boxes.push({id: strangerId, name: 'web', running: true, policy: 'always'});
  }

  return boxes;
}

type Outcome = {readonly isClosed: boolean; readonly events: JobEvent[]; readonly error?: JobError; readonly boxes: Box[]};

async function recover(world: World, action: 'rollback' | 'finish'): Promise<Outcome> {
  const theJournal = journal(world);
  writeJournalFile(theJournal);
  const boxes = boxesOf(world);
  const file = path.join(journalDir(), `${theJournal.id}.json`);
  try {
    const events = await runToEnd(recoverJob(theJournal, action, {settleMs: 0, pollMs: 1}), stateEngine(boxes));
    return {isClosed: !existsSync(file), events, boxes};
  } catch (error) {
    expect(error).toBeInstanceOf(JobError);
    return {isClosed: !existsSync(file), events: [], error: error as JobError, boxes};
  } finally {
    rmSync(file, {force: true});
  }
}

const describeWorld = (w: World) => `original ${w.old}, replacement ${w.replacement}${w.isNewIdKnown ? '' : ' (id not journaled)'}${w.stranger ? ', the name taken by another container' : ''}`;

let stateDir: string;
beforeEach(() => {
  stateDir = mkdtempSync(path.join(tmpdir(), 'hawser-recover-states-'));
  process.env['HAWSER_STATE_DIR'] = stateDir;
});
afterEach(() => {
  delete process.env['HAWSER_STATE_DIR'];
  rmSync(stateDir, {recursive: true, force: true});
});

describe('every journal state has an action that closes it', () => {
  for (const world of worlds()) {
    it(describeWorld(world), async () => {
      const outcomes = {rollback: await recover(world, 'rollback'), finish: await recover(world, 'finish')};
      expect(outcomes.rollback.isClosed || outcomes.finish.isClosed).toBe(true);
      for (const [action, outcome] of Object.entries(outcomes)) {
        const other = action === 'rollback' ? 'finish' : 'rollback';
        if (!outcome.isClosed) {
          // Refused, changing nothing, and pointing at the action that does close it.
          expect(outcome.error?.hint).toContain(`hawser recover --${other}`);
          expect(outcomes[other].isClosed).toBe(true);
          expect(outcome.boxes).toEqual(boxesOf(world));
        }

        // What the journal does not name is never removed or renamed.
        expect(outcome.boxes).toContainEqual(expect.objectContaining({id: lookalikeId, name: 'web-hawser-old-ffffff'}));
        if (world.stranger) {
          expect(outcome.boxes).toContainEqual({id: strangerId, name: 'web', running: true, policy: 'always'});
        }

        // Closed without a note: the promise of the action holds.
        const done = outcome.events.find(event => event.type === 'done');
        if (outcome.isClosed && done?.data?.['closed'] === undefined) {
          const holder = outcome.boxes.find(box => box.name === 'web');
          expect(holder).toMatchObject(action === 'rollback' ? {id: oldId, running: true, policy: 'unless-stopped'} : {id: newId, running: true});
          expect(outcome.boxes.map(box => box.name).filter(name => name.includes('abc123'))).toEqual([]);
        }
      }

      if (world.old === 'gone' && world.replacement === 'gone') {
        for (const outcome of Object.values(outcomes)) {
          expect(outcome.isClosed).toBe(true);
          expect(outcome.events.at(-1)).toMatchObject({type: 'done', summary: expect.stringMatching(/^Nothing was left to act on: the original web \(aaaaaaaaaaaa\) and its replacement are both gone/)});
          expect(outcome.events.at(-1)).not.toHaveProperty('isBadNews');
        }
      }
    });
  }
});
