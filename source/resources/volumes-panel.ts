// The volumes panel: its rows (volumes.ts has the kind), its actions and what the list keys do with a volume.
// Volumes need no inspect: the list has it all.
import type {VolumeSummary} from '../engine/types.js';
import {backupVolumeForm, restoreArchiveForm, verifyArchiveForm} from '../jobs/volume-archive/forms.js';
import {createVolumeForm, pruneVolumesForm, removeVolumeForm} from '../jobs/volumes/forms.js';
import type {ResourceAction} from './actions.js';
import type {PanelSpec} from './panel.js';
import {volumesKind} from './volumes.js';

/** Actions of the volumes panel. */
const volumeActions: readonly ResourceAction<VolumeSummary>[] = [
  {command: 'backupVolume', isBulk: true, keys: ['b'], label: 'back up this volume to an archive', isDangerous: true, isInBar: true, form: v => backupVolumeForm(v.name)},
  {command: 'restoreInto', keys: ['R'], label: 'restore an archive into this volume', isDangerous: true, form: v => restoreArchiveForm(v.name)},
  {command: 'restoreNew', keys: ['N'], label: 'restore an archive into a new volume', isDangerous: true, isInBar: true, needsItem: false, form: () => restoreArchiveForm()},
  {command: 'createVolume', keys: ['c'], label: 'create a volume (driver, options such as tmpfs or NFS, labels)', isDangerous: true, isInBar: true, needsItem: false, form: () => createVolumeForm},
  {command: 'removeVolume', isBulk: true, keys: ['d'], label: 'remove this volume (asks first; refused while a container uses it)', isDangerous: true, unavailable: (v, index) => {
    const users = index.containersByVolume.get(v.name) ?? [];
    return users.length > 0 ? `${v.name} is in use by ${users.map(c => (c.state === 'running' ? c.name : `${c.name} (stopped)`)).join(', ')}: remove ${users.length === 1 ? 'that container' : 'those containers'} first.` : undefined;
  }, form: v => removeVolumeForm(v.name)},
  {command: 'pruneVolumes', keys: ['P'], label: 'remove unused volumes (lists them and the bytes freed first)', isDangerous: true, needsItem: false, form: () => pruneVolumesForm},
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
