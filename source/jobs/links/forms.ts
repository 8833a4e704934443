// The link actions as ActionForms, for the TUI's generic wizard (the CLI fills the same values from flags).
import type {EnginePort} from '../../engine/port.js';
import type {ActionForm} from '../action-form.js';
import {otherContainerChoices} from '../container-choices.js';
import {InputError} from '../job.js';
import type {RecreateOptions} from '../recreate/recreate-job.js';
import {aliasProblem} from '../../model/aliases.js';
import {prepareLegacyLink, type LegacyLinkSummary} from './legacy-link.js';
import {prepareModernLink, type LinkRequest, type ModernLinkSummary, type PreparedLink} from './modern-link.js';
import {requireContainer} from './endpoints.js';
import {linksOf, prepareUnlink} from './unlink.js';

/** Plans a link, modern or legacy. */
export async function prepareLink(engine: EnginePort, request: LinkRequest & {readonly isLegacy?: boolean}, options: RecreateOptions = {}): Promise<PreparedLink<ModernLinkSummary | LegacyLinkSummary>> {
  return request.isLegacy ? prepareLegacyLink(engine, request, options) : prepareModernLink(engine, request);
}

/** Parses `SOURCE[:ALIAS]` as the CLI takes it. */
export function parseSourceAlias(text: string): {source: string; alias?: string} {
  const [source = '', alias, ...rest] = text.split(':');
  if (!source || rest.length > 0 || alias === '') {
    throw new InputError(`"${text}" is not SOURCE or SOURCE:ALIAS.`, 'For example: hawser link nginx mysql:aliasmysql');
  }

  return alias === undefined ? {source} : {source, alias};
}

/** Initial values of the link form: what a doctor fix fills in. */
export type LinkFormValues = {readonly source?: string; readonly alias?: string; readonly network?: string; readonly legacy?: 'yes' | 'no'};

/**
 * "Link to another container" for a receiver: modern (a user-defined network with an alias on the
 * source, live) or legacy (--link, recreates the receiver). Values: legacy yes/no, source, alias
 * (empty: the source's name), network ('' picks a shared one or creates SOURCE-net; ignored for legacy).
 */
export function linkForm(receiver: string, initial: LinkFormValues = {}, options: RecreateOptions = {}): ActionForm {
  return {
    title: `Link ${receiver} to another container`,
    fields: [
      {kind: 'choice', name: 'source', label: 'Container to reach', choices: async engine => otherContainerChoices(engine, receiver), initial: initial.source},
      {kind: 'text', name: 'alias', label: 'Alias (the name to reach it by; empty: its name)', initial: initial.alias ?? '', isOptional: true, validate: value => (value.trim() ? aliasProblem(value.trim()) : undefined)},
      {kind: 'toggle', name: 'legacy', label: 'Legacy --link (recreates the receiver, copies the source\'s env vars; default bridge only)', initial: initial.legacy === 'yes'},
      {
        kind: 'choice',
        name: 'network',
        label: 'Network (modern link)',
        initial: initial.network ?? '',
        async choices(engine) {
          const networks = (await engine.listNetworks()).filter(n => !['bridge', 'host', 'none'].includes(n.name));
          return [
            {value: '', label: 'pick automatically', hint: 'a network both share, else the source\'s, else a new one'},
            ...networks.map(n => ({value: n.name, label: n.name, hint: `${n.driver}${n.isInternal ? ', internal' : ''}`})),
          ];
        },
      },
    ],
    prepare: async (engine, values) => prepareLink(engine, {
      receiver,
      source: values['source'] ?? '',
      alias: values['alias'],
      network: values['network'],
      isLegacy: values['legacy'] === 'yes',
    }, options),
  };
}

/** "Unlink": removes a legacy link (recreates the receiver) or a source's alias on a shared network. Value: `target`, an alias or a source. */
export function unlinkForm(receiver: string, initial: {readonly target?: string} = {}, options: RecreateOptions = {}): ActionForm {
  return {
    title: `Remove a link of ${receiver}`,
    fields: [{
      kind: 'choice',
      name: 'target',
      label: 'Link to remove',
      initial: initial.target,
      async choices(engine) {
        const details = await requireContainer(engine, receiver);
        const known = await linksOf(engine, details);
        return [
          ...known.legacy.map(l => ({value: l.alias, label: `${l.alias} → ${l.source}`, hint: 'legacy --link (recreates the receiver)'})),
          ...known.endpointLinks.map(l => ({value: l.alias, label: `${l.alias} → ${l.source}`, hint: `--link on ${l.network} (live)`})),
          ...known.aliases.map(a => ({value: a.alias, label: `${a.alias} → ${a.source}`, hint: `alias on ${a.network} (live)`})),
        ];
      },
    }],
    prepare: async (engine, values) => prepareUnlink(engine, receiver, values['target'] ?? '', options),
  };
}
