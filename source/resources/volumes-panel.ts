// The volumes panel: its rows (volumes.ts has the kind), its actions and what the list keys do with a volume.
// Volumes need no inspect: the list has it all.
import type {VolumeSummary} from '../engine/types.js';
import {backupVolumeForm, restoreArchiveForm, verifyArchiveForm} from '../jobs/volume-archive/forms.js';
import type {ResourceAction} from './actions.js';
import type {PanelSpec} from './panel.js';
import {volumesKind} from './volumes.js';

/** Actions of the volumes panel. */
const volumeActions: readonly ResourceAction<VolumeSummary>[] = [
  {command: 'backupVolume', isBulk: true, keys: ['b'], label: 'back up this volume to an archive', isDangerous: true, isInBar: true, form: v => backupVolumeForm(v.name)},
  {command: 'restoreInto', keys: ['R'], label: 'restore an archive into this volume', isDangerous: true, form: v => restoreArchiveForm(v.name)},
  {command: 'restoreNew', keys: ['N'], label: 'restore an archive into a new volume', isDangerous: true, isInBar: true, needsItem: false, form: () => restoreArchiveForm()},
  {command: 'verify', keys: ['v'], label: 'verify an archive against its manifest', isDangerous: false, needsItem: false, form: () => verifyArchiveForm},
];

/** The panel. */
export const volumesPanel: PanelSpec<VolumeSummary, never> = {
  kind: volumesKind,
  items: lists => lists.volumes,
  actions: volumeActions,
  name: volume => volume.name,
  inspectTarget: 'volume',
  copyText: (volume, isAddress) => (isAddress ? volume.mountpoint : volume.name),
};
