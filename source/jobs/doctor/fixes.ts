// The hawser actions that fix what the doctor finds, as plain data (JSON-safe, for --json and for
// the TUI), and the ActionForm each one opens with its initial values.
import type {ActionForm, FormValues} from '../action-form.js';
import {fixForwardingForm} from '../forwarding/forms.js';
import {linkForm} from '../links/forms.js';
import {switchNetworkModeForm} from '../network-mode/form.js';
import {connectNetworkForm} from '../networks/forms.js';
import {startContainerForm} from './start-form.js';

/** Which ActionForm a fix opens, and the arguments of its factory. */
export type FixFormRef =
  | {readonly name: 'startContainerForm'; readonly container: string}
  | {readonly name: 'connectNetworkForm'; readonly network: string; readonly container: string}
  | {readonly name: 'linkForm'; readonly receiver: string}
  | {readonly name: 'switchNetworkModeForm'; readonly container: string}
  | {readonly name: 'fixForwardingForm'};

/** A fix the TUI can offer to run: what it does, the CLI line that does the same, and the form with its initial values. */
export type Fix = {
  readonly action: 'start' | 'connect-network' | 'link' | 'switch-mode' | 'fix-forwarding';
  readonly label: string;
  readonly command: string;
  readonly form: FixFormRef;
  /** Initial values of the form's fields, by field name. */
  readonly values: FormValues;
};

/** The ActionForm a fix opens; give it `fix.values` as initial values. */
export function fixForm(fix: Fix): ActionForm {
  const ref = fix.form;
  switch (ref.name) {
    case 'startContainerForm': {
      return startContainerForm(ref.container);
    }

    case 'connectNetworkForm': {
      return connectNetworkForm({network: ref.network, container: ref.container});
    }

    case 'linkForm': {
      return linkForm(ref.receiver, fix.values);
    }

    case 'switchNetworkModeForm': {
      return switchNetworkModeForm(ref.container, {}, fix.values['mode']);
    }

    case 'fixForwardingForm': {
      return fixForwardingForm;
    }
  }
}

/** Start a stopped container. */
export function startFix(container: string): Fix {
  return {action: 'start', label: `Start ${container}`, command: `docker start ${container}`, form: {name: 'startContainerForm', container}, values: {}};
}

/** Connect a container to a network it is not on. */
export function connectFix(container: string, network: string, why = ''): Fix {
  return {action: 'connect-network', label: `Connect ${container} to network ${network}${why}`, command: `hawser network connect ${network} ${container}`, form: {name: 'connectNetworkForm', network, container}, values: {aliases: '', ip: ''}};
}

/** A modern link: the receiver reaches the source by `alias` on a user-defined network ('' picks or creates one). */
export function linkFix(receiver: string, source: string, alias: string, network = ''): Fix {
  const aliasPart = alias && alias !== source ? `:${alias}` : '';
  return {
    action: 'link',
    label: `Link ${receiver} to ${source}${aliasPart ? ` as ${alias}` : ''} on ${network || 'a user-defined network'}`,
    command: `hawser link ${receiver} ${source}${aliasPart}${network ? ` --network ${network}` : ''}`,
    form: {name: 'linkForm', receiver},
    values: {source, alias: aliasPart ? alias : '', legacy: 'no', network},
  };
}

/** Move a container out of host, none or container: mode. */
export function switchModeFix(container: string, mode: string): Fix {
  return {action: 'switch-mode', label: `Switch ${container} to ${mode}`, command: `hawser netmode ${container} ${mode}`, form: {name: 'switchNetworkModeForm', container}, values: {mode}};
}

/** Turn IPv4 forwarding on. */
export function forwardingFix(): Fix {
  return {action: 'fix-forwarding', label: 'Turn IPv4 forwarding on', command: 'hawser forwarding --fix --persist', form: {name: 'fixForwardingForm'}, values: {persist: 'yes'}};
}
