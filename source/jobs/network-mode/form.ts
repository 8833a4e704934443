// The network-mode switch as an ActionForm, for the TUI's containers panel.
import type {ActionForm} from '../action-form.js';
import type {RecreateOptions} from '../recreate/recreate-job.js';
import {prepareNetworkModeSwitch} from './switch.js';
import {validTargets} from './targets.js';

/**
 * "Switch network mode" for one container: a picker of the modes it can switch to (each marked live or
 * recreate), on `proposed` when one is (the doctor's fix names the mode it found would work).
 */
export function switchNetworkModeForm(container: string, options: RecreateOptions = {}, proposed?: string): ActionForm {
  return {
    title: `Switch ${container}'s network mode`,
    fields: [{kind: 'choice', name: 'mode', label: 'Network mode', choices: async engine => validTargets(engine, container), ...(proposed ? {initial: proposed} : {})}],
    prepare: async (engine, values) => prepareNetworkModeSwitch(engine, container, values['mode'] ?? '', options),
  };
}
