// Which names of B a container A can use, and why, from the inspect documents alone. Pure.
import type {ContainerDetails} from '../../engine/types.js';
import {legacyLinksOf, normalizeEndpointLink, rawEndpoint} from '../links/endpoints.js';

/** The names A can resolve to B on the given shared networks, each with how A knows it (lower case keys). */
export function namesKnown(a: ContainerDetails, b: ContainerDetails, sharedNetworks: readonly string[]): Map<string, string> {
  const known = new Map<string, string>();
  const add = (name: string, how: string) => {
    if (name && !known.has(name.toLowerCase())) {
      known.set(name.toLowerCase(), how);
    }
  };

  for (const network of sharedNetworks) {
    if (network === 'bridge') {
      // The default bridge has no DNS for containers: only legacy links write names into /etc/hosts.
      for (const link of legacyLinksOf(a).filter(l => l.source === b.name)) {
        add(link.alias, 'a legacy link (/etc/hosts)');
        add(b.name, 'a legacy link (/etc/hosts)');
        add(b.id.slice(0, 12), 'a legacy link (/etc/hosts)');
      }

      continue;
    }

    add(b.name, `the engine's DNS on ${network} (container name)`);
    const endpoint = rawEndpoint(b, network) ?? {};
    for (const alias of [...(Array.isArray(endpoint['Aliases']) ? endpoint['Aliases'] as string[] : []), ...(Array.isArray(endpoint['DNSNames']) ? endpoint['DNSNames'] as string[] : [])]) {
      add(alias, `the engine's DNS on ${network} (alias)`);
    }

    const ownLinks = rawEndpoint(a, network)?.['Links'];
    for (const link of Array.isArray(ownLinks) ? ownLinks as string[] : []) {
      const [source = '', alias = ''] = normalizeEndpointLink(link).split(':');
      if (source === b.name) {
        add(alias, `a link on ${network}`);
      }
    }
  }

  return known;
}
