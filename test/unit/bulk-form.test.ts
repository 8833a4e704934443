import {describe, expect, it} from 'vitest';
import type {ActionForm} from '../../source/jobs/action-form.js';
import {bulkForm} from '../../source/jobs/bulk-form.js';
import {InputError, runToEnd} from '../../source/jobs/job.js';
import {FakeEngine} from '../helpers/fake-engine.js';

const ran: string[] = [];
function form(name: string, options: {refuse?: boolean; fail?: boolean} = {}): ActionForm {
  return {
    title: `Remove ${name}`,
    fields: [{kind: 'toggle', name: 'force', label: 'Force'}],
    async prepare(_engine, values) {
      if (options.refuse) throw new InputError(`${name} is in use.`);
      return {
        preview: {title: `Remove ${name} (force ${values['force']})?`, steps: ['remove it'], warnings: ['gone for good'], isDestructive: true},
        async * job() {
          if (options.fail) throw new Error('engine said no');
          ran.push(name);
          yield {type: 'done', summary: `${name} removed`};
        },
      };
    },
  };
}

describe('bulk actions', () => {
  it('asks once, previews every item, and runs them one after another', async () => {
    ran.length = 0;
    const bulk = bulkForm([form('a'), form('b')], 'containers');
    expect(bulk.fields.map(f => f.name)).toEqual(['force']);
    const prepared = await bulk.prepare(new FakeEngine(), {force: 'yes'});
    expect(prepared.preview.steps).toEqual(['Remove a (force yes)', '  remove it', 'Remove b (force yes)', '  remove it']);
    expect(prepared.preview.warnings).toEqual(['gone for good']);
    expect(prepared.preview.isDestructive).toBe(true);
    const events = await runToEnd(prepared.job, new FakeEngine());
    // Each item's question ("Remove a?") reads as a step of the whole.
    expect(events.filter(e => e.type === 'step').map(e => (e as {title: string}).title)).toEqual(['1 of 2: Remove a (force yes)', '2 of 2: Remove b (force yes)']);
    expect(ran).toEqual(['a', 'b']);
    expect(events.at(-1)).toEqual({type: 'done', summary: 'All 2 done.'});
  });

  it('refuses the whole action, with nothing run, when one item is refused', async () => {
    ran.length = 0;
    await expect(bulkForm([form('a'), form('b', {refuse: true})], 'containers').prepare(new FakeEngine(), {})).rejects.toThrow('b is in use.');
    expect(ran).toEqual([]);
  });

  it('goes on past a failing item and says which failed', async () => {
    ran.length = 0;
    const prepared = await bulkForm([form('a', {fail: true}), form('b')], 'containers').prepare(new FakeEngine(), {});
    await expect(runToEnd(prepared.job, new FakeEngine())).rejects.toThrow('1 of 2 done; 1 failed.');
    expect(ran).toEqual(['b']);
  });
});
