// Which actions each panel offers, on which keys, and when they apply. Data only: the TUI turns each
// into a key binding (so help lists it) and opens its ActionForm in the generic wizard.
import type {ContainerSummary, NetworkSummary, VolumeSummary} from '../engine/types.js';
import type {ActionForm} from '../jobs/action-form.js';
import {lifecycleForm} from '../jobs/container-lifecycle.js';
import {doctorForm} from '../jobs/doctor/form.js';
import {fixForm, type Fix} from '../jobs/doctor/fixes.js';
import {fixForwardingForm, pullHelperImageForm} from '../jobs/forwarding/forms.js';
import {linkForm, unlinkForm} from '../jobs/links/forms.js';
import {switchNetworkModeForm} from '../jobs/network-mode/form.js';
import {connectNetworkForm, createNetworkForm, disconnectNetworkForm, pruneNetworksForm, removeNetworkForm} from '../jobs/networks/forms.js';
import {backupContainerVolumesForm, backupVolumeForm, restoreArchiveForm, verifyArchiveForm} from '../jobs/volume-archive/forms.js';
import type {KeyBinding} from '../keys/key-table.js';
import type {ResourceIndex} from './kind.js';
import {builtinNetworks} from '../jobs/recreate/modes.js';
import {memberCount} from './networks.js';

/** An action of a panel (or of the whole app when `panel` is 'global'). */
export type ResourceAction<T> = {
  readonly command: string;
  readonly keys: readonly string[];
  readonly label: string;
  /** Changes or removes something: hidden with --read-only. */
  readonly isDangerous: boolean;
  readonly isInBar?: boolean;
  /** Undefined when it applies; otherwise why not, in words the user can act on. */
  readonly unavailable?: (item: T, index: ResourceIndex) => string | undefined;
  /** False for actions that work without a selected row (create, prune, restore into a new volume). */
  readonly needsItem?: boolean;
  readonly form: (item: T, index: ResourceIndex) => ActionForm;
  /** True when it can run on several marked rows at once (remove, connect, backup…). */
  readonly isBulk?: boolean;
};

/** The doctor's report carries fixes; offer each as a follow-up the user can run at once. */
function withDoctorFixes(form: ActionForm): ActionForm {
  return {
    ...form,
    followUps: data => ((data?.['report'] as {fixes?: readonly Fix[]} | undefined)?.fixes ?? []).map(fix => ({label: `${fix.label}  (${fix.command})`, form: fixForm(fix)})),
  };
}

const whenRunning = (c: ContainerSummary) => (c.state === 'running' ? undefined : `${c.name} is not running.`);

/** Actions of the containers panel. */
export const containerActions: readonly ResourceAction<ContainerSummary>[] = [
  {command: 'netmode', keys: ['n'], label: 'switch network mode', isDangerous: true, isInBar: true, form: c => switchNetworkModeForm(c.name)},
  {command: 'link', keys: ['L'], label: 'link to another container (network alias, or legacy --link)', isDangerous: true, isInBar: true, form: c => linkForm(c.name)},
  {command: 'doctor', keys: ['w'], label: 'doctor: can it reach another container, and if not, why', isDangerous: false, isInBar: true, form: c => withDoctorFixes(doctorForm(c.name))},
  {command: 'unlink', keys: ['U'], label: 'remove a link', isDangerous: true, form: c => unlinkForm(c.name)},
  {command: 'connect', isBulk: true, keys: ['c'], label: 'connect to a network (aliases, static IP)', isDangerous: true, form: c => connectNetworkForm({container: c.name})},
  {command: 'disconnect', isBulk: true, keys: ['C'], label: 'disconnect from a network', isDangerous: true, form: c => disconnectNetworkForm({container: c.name})},
  {command: 'backup', isBulk: true, keys: ['b'], label: 'back up the container\'s volumes', isDangerous: true, isInBar: true, unavailable: c => (c.mounts.some(m => m.type === 'volume') ? undefined : `${c.name} mounts no volumes (bind mounts live on the host already; back them up from there).`), form: c => backupContainerVolumesForm(c.name)},
  {command: 'start', isBulk: true, keys: ['u'], label: 'start', isDangerous: true, unavailable: c => (c.state === 'running' ? `${c.name} is already running.` : undefined), form: c => lifecycleForm(c.id, c.state === 'paused' ? 'unpause' : 'start')},
  {command: 'stop', isBulk: true, keys: ['s'], label: 'stop', isDangerous: true, unavailable: whenRunning, form: c => lifecycleForm(c.id, 'stop')},
  {command: 'restart', isBulk: true, keys: ['r'], label: 'restart', isDangerous: true, form: c => lifecycleForm(c.id, 'restart')},
  {command: 'pause', keys: ['p'], label: 'pause or unpause', isDangerous: true, unavailable: c => (c.state === 'running' || c.state === 'paused' ? undefined : `${c.name} is not running.`), form: c => lifecycleForm(c.id, c.state === 'paused' ? 'unpause' : 'pause')},
  {command: 'remove', isBulk: true, keys: ['d'], label: 'remove (asks first)', isDangerous: true, form: c => lifecycleForm(c.id, 'remove')},
  {command: 'forceRemove', isBulk: true, keys: ['D'], label: 'force-remove a running container (asks first)', isDangerous: true, form: c => lifecycleForm(c.id, 'forceRemove')},
];

/** Actions of the networks panel. */
export const networkActions: readonly ResourceAction<NetworkSummary>[] = [
  {command: 'createNetwork', keys: ['c'], label: 'create a network (driver, subnet, gateway, internal)', isDangerous: true, isInBar: true, needsItem: false, form: () => createNetworkForm},
  {command: 'attach', keys: ['a'], label: 'connect a container to this network (aliases, static IP)', isDangerous: true, isInBar: true, form: n => connectNetworkForm({network: n.name})},
  {command: 'detach', keys: ['A'], label: 'disconnect a container from this network', isDangerous: true, form: n => disconnectNetworkForm({network: n.name})},
  {command: 'removeNetwork', keys: ['d'], label: 'remove this network (asks first)', isDangerous: true, unavailable: n => (builtinNetworks.includes(n.name) ? `${n.name} is built into the engine and cannot be removed.` : undefined), form: (n, index) => removeNetworkForm({network: n.name, hasContainers: memberCount(n, index) > 0})},
  {command: 'pruneNetworks', keys: ['P'], label: 'remove unused networks (lists them first)', isDangerous: true, needsItem: false, form: () => pruneNetworksForm},
];

/** Actions of the volumes panel. */
export const volumeActions: readonly ResourceAction<VolumeSummary>[] = [
  {command: 'backupVolume', isBulk: true, keys: ['b'], label: 'back up this volume to an archive', isDangerous: true, isInBar: true, form: v => backupVolumeForm(v.name)},
  {command: 'restoreInto', keys: ['R'], label: 'restore an archive into this volume', isDangerous: true, form: v => restoreArchiveForm(v.name)},
  {command: 'restoreNew', keys: ['N'], label: 'restore an archive into a new volume', isDangerous: true, isInBar: true, needsItem: false, form: () => restoreArchiveForm()},
  {command: 'verify', keys: ['v'], label: 'verify an archive against its manifest', isDangerous: false, needsItem: false, form: () => verifyArchiveForm},
];

/** Actions that need no selected item. */
export const globalActions: readonly ResourceAction<undefined>[] = [
  {command: 'fixForwarding', keys: ['F'], label: 'turn IPv4 forwarding on (asks first)', isDangerous: true, form: () => fixForwardingForm},
  {command: 'pullHelper', keys: ['I'], label: 'pull a small helper image (busybox) for hawser\'s helpers', isDangerous: true, form: () => pullHelperImageForm},
];

/** The key bindings of every action, for the key table (help, key bar, dispatch). */
export function actionBindings(): KeyBinding[] {
  const bind = <T>(layer: KeyBinding['layer'], actions: readonly ResourceAction<T>[]) => actions.map(action => ({
    command: `action:${action.command}`,
    keys: action.keys,
    description: action.label,
    layer,
    isInBar: action.isInBar,
    isDangerous: action.isDangerous,
  }));
  return [...bind('containers', containerActions), ...bind('networks', networkActions), ...bind('volumes', volumeActions), ...bind('global', globalActions)];
}
