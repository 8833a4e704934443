// The containers panel: its rows (containers.ts has the kind), its actions and what the list keys do with a container.
import type {ContainerDetails, ContainerSummary} from '../engine/types.js';
import type {ActionForm} from '../jobs/action-form.js';
import {lifecycleForm} from '../jobs/container-lifecycle.js';
import {doctorForm} from '../jobs/doctor/form.js';
import {fixForm, type Fix} from '../jobs/doctor/fixes.js';
import {linkForm, unlinkForm} from '../jobs/links/forms.js';
import {switchNetworkModeForm} from '../jobs/network-mode/form.js';
import {connectNetworkForm, disconnectNetworkForm} from '../jobs/networks/forms.js';
import {backupContainerVolumesForm} from '../jobs/volume-archive/forms.js';
import type {ResourceAction} from './actions.js';
import {containersKind} from './containers.js';
import type {PanelSpec} from './panel.js';

/** The doctor's report carries fixes; offer each as a follow-up the user can run at once. */
function withDoctorFixes(form: ActionForm): ActionForm {
  return {
    ...form,
    followUps: data => ((data?.['report'] as {fixes?: readonly Fix[]} | undefined)?.fixes ?? []).map(fix => ({label: `${fix.label}  (${fix.command})`, form: fixForm(fix)})),
  };
}

const whenRunning = (c: ContainerSummary) => (c.state === 'running' ? undefined : `${c.name} is not running.`);

/** Actions of the containers panel. */
const containerActions: readonly ResourceAction<ContainerSummary>[] = [
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

/** The panel. */
export const containersPanel: PanelSpec<ContainerSummary, ContainerDetails> = {
  kind: containersKind,
  items: lists => lists.containers,
  actions: containerActions,
  name: container => container.name,
  inspectTarget: 'container',
  inspect: (engine, key, signal) => engine.inspectContainer(key, {signal}),
  copyText: (container, isAddress) => (isAddress ? container.networks.find(n => n.ipv4)?.ipv4 : container.id),
  container: container => ({id: container.id, name: container.name, isRunning: container.state === 'running'}),
  inspectedContainer: details => details,
};
