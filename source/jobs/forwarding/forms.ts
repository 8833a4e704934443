// The forwarding actions as ActionForms, for the TUI's generic wizard.
import type {ActionForm} from '../action-form.js';
import {InputError, type JobEvent} from '../job.js';
import {defaultSysctlDir, prepareForwardingFix} from './fix.js';
import {defaultPullImage, pullHelperImage} from '../helpers/helper-image.js';
import {persistFileName} from './sysctl-files.js';

/** Turns IPv4 forwarding on (helper container), optionally persisting it in /etc/sysctl.d, then checks again. */
export const fixForwardingForm: ActionForm = {
  title: 'Turn on IPv4 forwarding',
  refreshes: ['forwarding'],
  fields: [
    {kind: 'toggle', name: 'persist', label: `Make it last across reboots (${defaultSysctlDir}/${persistFileName})`, initial: true},
  ],
  prepare: async (engine, values) => prepareForwardingFix(engine, {persist: values['persist'] === 'yes'}),
};

/** Pulls a small image with a shell (busybox) so hawser's helpers, and the live forwarding check, can run. */
export const pullHelperImageForm: ActionForm = {
  title: 'Pull a helper image',
  fields: [
    {kind: 'text', name: 'image', label: 'Image with a shell', initial: defaultPullImage, validate: value => /^[\w./:@-]+$/.test(value.trim()) ? undefined : 'An image reference, like busybox:latest'},
  ],
  async prepare(engine, values) {
    const image = (values['image'] ?? defaultPullImage).trim() || defaultPullImage;
    if (!/^[\w./:@-]+$/.test(image)) {
      throw new InputError(`"${image}" is not an image reference.`, 'For example busybox:latest.');
    }

    return {
      preview: {
        title: `Pull ${image} on ${engine.address}`,
        steps: [`Pull ${image} from its registry, showing progress`, 'Check that it has /bin/sh (a created, never started, helper container)'],
        warnings: [],
        isDestructive: false,
      },
      async * job(jobEngine, signal): AsyncGenerator<JobEvent> {
        yield * pullHelperImage(jobEngine, image, signal);
        yield {type: 'done', summary: `${image} is ready for hawser's helpers.`, data: {image}};
      },
    };
  },
};
