// Containers that depend on another one's identity: those sharing its namespace (container:<id>
// mode, broken when it is recreated) and those with a legacy link to its name.
import type {EnginePort, RequestOptions} from '../../engine/port.js';
import type {ContainerDetails} from '../../engine/types.js';

/** A container that must be re-pointed after its target is recreated. */
export type Dependant = {
  readonly id: string;
  readonly name: string;
  readonly isRunning: boolean;
  /** `namespace`: in container:<id> mode; `link`: a legacy link to the name, under `alias`. */
  readonly kind: 'namespace' | 'link';
  readonly alias?: string;
};

function escapeRegExp(text: string): string {
  return text.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * True when a link source (`/name` or `name`) is this container: by its name, or by the name a
 * recreate renamed it aside to (renaming rewrites the receivers' links, and the aside one is gone).
 */
export function isLinkTo(source: string, name: string): boolean {
  return new RegExp(`^/?${escapeRegExp(name)}(-hawser-old-[0-9a-f]{6})?$`).test(source);
}

/**
 * What happens to a legacy link when its source leaves the default bridge: Docker refuses to start a
 * container whose link source is off the bridge, so the receiver keeps running but cannot start again.
 */
export function linkBreakWarning(receiver: Pick<Dependant, 'name' | 'alias'>, source: string): string {
  const alias = receiver.alias ?? source;
  return `${receiver.name} links to ${source} as ${alias}, and links work only on the default bridge: the link stops working, and ${receiver.name} cannot start again (after a stop or restart) until ${source} is back on bridge or the link is removed (hawser unlink ${receiver.name} ${alias}).`;
}

/** Containers sharing `details`' namespace or linking to its name. */
export async function findDependants(engine: EnginePort, details: ContainerDetails, options?: RequestOptions): Promise<Dependant[]> {
  const all = await engine.listContainers(options);
  const result: Dependant[] = all
    .filter(c => c.networkMode === `container:${details.id}`)
    .map(c => ({id: c.id, name: c.name, isRunning: c.state === 'running', kind: 'namespace' as const}));
  // Links are only in the inspect document (HostConfig.Links: "/source:/receiver/alias").
  const others = all.filter(c => c.id !== details.id && !c.networkMode.startsWith('container:') && c.networkMode !== 'host');
  const inspected = await Promise.all(others.map(async c => engine.inspectContainer(c.id, options).catch(() => undefined)));
  for (const other of inspected) {
    const link = other?.legacyLinks.find(l => isLinkTo(l.split(':')[0] ?? '', details.name));
    if (other && link) {
      result.push({id: other.id, name: other.name, isRunning: other.isRunning, kind: 'link', alias: (link.split(':')[1] ?? '').split('/').pop()});
    }
  }

  return result.sort((a, b) => a.name.localeCompare(b.name));
}
