// Which actions each panel offers, on which keys, and when they apply. Data only: the TUI turns each
// into a key binding (so help lists it) and opens its ActionForm in the generic wizard.
import type {ContainerSummary, NetworkSummary, VolumeSummary} from '../engine/types.js';
import type {ActionForm} from '../jobs/action-form.js';
import {lifecycleForm} from '../jobs/container-lifecycle.js';
import {fixForwardingForm, pullHelperImageForm} from '../jobs/forwarding/forms.js';
import {switchNetworkModeForm} from '../jobs/network-mode/form.js';
import type {KeyBinding} from '../keys/key-table.js';
import type {ResourceIndex} from './kind.js';

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
  readonly form: (item: T, index: ResourceIndex) => ActionForm;
};

const whenRunning = (c: ContainerSummary) => (c.state === 'running' ? undefined : `${c.name} is not running.`);

/** Actions of the containers panel. */
export const containerActions: readonly ResourceAction<ContainerSummary>[] = [
  {command: 'netmode', keys: ['n'], label: 'switch network mode', isDangerous: true, isInBar: true, form: c => switchNetworkModeForm(c.name)},
  {command: 'start', keys: ['u'], label: 'start', isDangerous: true, unavailable: c => (c.state === 'running' ? `${c.name} is already running.` : undefined), form: c => lifecycleForm(c.id, c.state === 'paused' ? 'unpause' : 'start')},
  {command: 'stop', keys: ['s'], label: 'stop', isDangerous: true, unavailable: whenRunning, form: c => lifecycleForm(c.id, 'stop')},
  {command: 'restart', keys: ['r'], label: 'restart', isDangerous: true, form: c => lifecycleForm(c.id, 'restart')},
  {command: 'pause', keys: ['p'], label: 'pause or unpause', isDangerous: true, unavailable: c => (c.state === 'running' || c.state === 'paused' ? undefined : `${c.name} is not running.`), form: c => lifecycleForm(c.id, c.state === 'paused' ? 'unpause' : 'pause')},
  {command: 'remove', keys: ['d'], label: 'remove (asks first)', isDangerous: true, form: c => lifecycleForm(c.id, 'remove')},
  {command: 'forceRemove', keys: ['D'], label: 'force-remove a running container (asks first)', isDangerous: true, form: c => lifecycleForm(c.id, 'forceRemove')},
];

/** Actions of the networks panel. */
export const networkActions: readonly ResourceAction<NetworkSummary>[] = [];

/** Actions of the volumes panel. */
export const volumeActions: readonly ResourceAction<VolumeSummary>[] = [];

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
