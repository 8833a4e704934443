import {describe, expect, it} from 'vitest';
import {doctorForm} from '../../source/jobs/doctor/form.js';
import {linkForm} from '../../source/jobs/links/forms.js';
import type {ActionForm} from '../../source/jobs/action-form.js';
import {FakeEngine, fakeContainer} from '../helpers/fake-engine.js';

async function firstChoices(form: ActionForm, engine: FakeEngine): Promise<string[]> {
  const field = form.fields.find(f => f.kind === 'choice');
  return field?.kind === 'choice' ? (await field.choices(engine)).map(c => `${c.value}: ${c.hint}`) : [];
}

describe('the container pickers of the link and doctor wizards', () => {
  it('name a container sharing another one\'s namespace as container:NAME, not by its 64-character ID', async () => {
    const engine = new FakeEngine();
    const parent = fakeContainer('web');
    engine.containers = [
      parent,
      fakeContainer('sidecar', {networkMode: `container:${parent.id}`, networks: []}),
      fakeContainer('isolated', {networkMode: 'none', networks: [], state: 'exited'}),
      fakeContainer('me'),
    ];
    const expected = ['web: running, bridge', 'sidecar: running, container:web', 'isolated: exited, none'];
    expect(await firstChoices(doctorForm('me'), engine)).toEqual(expected);
    expect(await firstChoices(linkForm('me'), engine)).toEqual(expected);
  });
});
