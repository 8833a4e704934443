// Volume management as ActionForms, for the TUI's volumes panel: create (driver, options, labels),
// remove (the selected one), prune (anonymous ones, or every unused one).
import type {EnginePort} from '../../engine/port.js';
import type {ActionForm, Choice} from '../action-form.js';
import {InputError} from '../job.js';
import {parseKeyValues} from '../networks/validate.js';
import {parseDriverOptions, prepareCreateVolume, volumeNameProblem} from './create.js';
import {preparePruneVolumes, prepareRemoveVolume} from './remove.js';

/** The message of what `parse` throws, for a question's own check. */
function problemOf(parse: () => unknown): string | undefined {
  try {
    parse();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function volumeChoices(engine: EnginePort): Promise<Choice[]> {
  const volumes = await engine.listVolumes();
  return volumes.sort((a, b) => a.name.localeCompare(b.name)).map(v => ({value: v.name, label: v.name, hint: v.driver}));
}

/** "Create volume": name, driver, driver options (a tmpfs or an NFS mount through the local driver), labels. */
export const createVolumeForm: ActionForm = {
  title: 'Create a volume',
  fields: [
    {kind: 'text', name: 'name', label: 'Name', validate: value => volumeNameProblem(value.trim())},
    {kind: 'text', name: 'driver', label: 'Driver (empty: local)', isOptional: true, placeholder: 'local'},
    {kind: 'text', name: 'options', label: 'Driver options (key=value, space separated; e.g. type=tmpfs device=tmpfs o=size=100m)', isOptional: true, validate: value => problemOf(() => parseDriverOptions(value))},
    {kind: 'text', name: 'labels', label: 'Labels (key=value, comma separated)', isOptional: true},
  ],
  prepare: async (engine, values) => prepareCreateVolume(engine, {
    name: (values['name'] ?? '').trim(),
    driver: values['driver']?.trim() || undefined,
    options: parseDriverOptions(values['options']),
    labels: parseKeyValues(values['labels'], 'label'),
  }),
};

/** "Remove volume": the selected one, or one chosen; refused while a container uses it. */
export function removeVolumeForm(volume?: string): ActionForm {
  return {
    title: volume ? `Remove volume ${volume}` : 'Remove a volume',
    fields: volume ? [] : [{kind: 'choice', name: 'volume', label: 'Volume', choices: volumeChoices}],
    prepare: async (engine, values) => {
      const name = volume ?? values['volume'];
      if (!name) {
        throw new InputError('No volume chosen.', 'Pick a volume.');
      }

      return prepareRemoveVolume(engine, {volume: name});
    },
  };
}

/** "Prune volumes": the preview lists every volume that goes, and the bytes freed, before any goes. */
export const pruneVolumesForm: ActionForm = {
  title: 'Remove unused volumes',
  fields: [{kind: 'toggle', name: 'all', label: 'Named volumes too (not only anonymous ones)', initial: false}],
  prepare: async (engine, values) => preparePruneVolumes(engine, {isAll: values['all'] === 'yes'}),
};
