// What an action of a panel is: its key, its words, when it applies and the wizard it opens. Data only:
// the TUI turns each into a key binding (so help lists it) and opens its ActionForm in the generic wizard.
// Each panel's actions are in its own file (containers-panel.ts…); the app's own are here.
import type {ActionForm} from '../jobs/action-form.js';
import {fixForwardingForm, pullHelperImageForm} from '../jobs/forwarding/forms.js';
import type {ResourceIndex} from './kind.js';

type ActionBase<T> = {
  readonly command: string;
  readonly keys: readonly string[];
  readonly label: string;
  /** Changes or removes something: hidden with --read-only. */
  readonly isDangerous: boolean;
  readonly isInBar?: boolean;
  /** True when it can run on several marked rows at once (remove, connect, backup…). */
  readonly isBulk?: boolean;
  /** Undefined when it applies to the item; otherwise why not, in words the user can act on. */
  readonly unavailable?: (item: T, index: ResourceIndex) => string | undefined;
};

/** An action of a panel's items (`T`); `needsItem: false` for those that work without a selected row (create, prune, restore into a new volume). */
export type ResourceAction<T> = Omit<ActionBase<T>, 'unavailable'> & {readonly unavailable?: (item: T, index: ResourceIndex) => string | undefined} & (
  | {readonly needsItem?: true; readonly form: (item: T, index: ResourceIndex) => ActionForm}
  | {readonly needsItem: false; readonly form: (item: T | undefined, index: ResourceIndex) => ActionForm}
);

/** An action of the whole app: no item. */
export type AppAction = Extract<ResourceAction<never>, {readonly needsItem: false}>;

/** Actions that need no selected item. */
export const globalActions: readonly AppAction[] = [
  {command: 'fixForwarding', keys: ['F'], label: 'turn IPv4 forwarding on (asks first)', isDangerous: true, needsItem: false, form: () => fixForwardingForm},
  {command: 'pullHelper', keys: ['I'], label: 'pull a small helper image (busybox) for hawser\'s helpers', isDangerous: true, needsItem: false, form: () => pullHelperImageForm},
];
