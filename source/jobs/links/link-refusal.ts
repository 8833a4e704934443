// The engine's refusal to make a legacy link when a container starts, read for its meaning. Engines
// word it differently: 20.10 and 26.1 say "Cannot link to /src, as it does not belong to the default
// network", 28.x "container <full id of src> not attached to default bridge network"; all say
// "Cannot link to a non running container: /src AS /receiver/alias" (also for a removed source,
// which a link follows by name).

/** What a refused link says: the source (a name, or an id on Engine 28), why, and the alias when given. */
export type LinkRefusal = {
  readonly source: string;
  readonly isSourceId: boolean;
  readonly why: 'not-running' | 'not-on-bridge';
  readonly alias?: string;
};

/** The refusal in `text`, or undefined when the text is about something else. */
export function parseLinkRefusal(text: string): LinkRefusal | undefined {
  const notRunning = /Cannot link to a non running container: \/?([^\s,]+)(?: AS \/[^/\s]+\/(\S+))?/i.exec(text);
  if (notRunning) {
    return {source: notRunning[1]!, isSourceId: false, why: 'not-running', ...(notRunning[2] ? {alias: notRunning[2]} : {})};
  }

  const notOnBridge = /Cannot link to \/?([^\s,]+), as it does not belong to the default network/i.exec(text);
  if (notOnBridge) {
    return {source: notOnBridge[1]!, isSourceId: false, why: 'not-on-bridge'};
  }

  const notAttached = /container ([0-9a-f]{12,64}) not attached to default bridge network/i.exec(text);
  if (notAttached) {
    return {source: notAttached[1]!, isSourceId: true, why: 'not-on-bridge'};
  }

  return undefined;
}

/** The alias a receiver's `HostConfig.Links` gives `source` (`/src:/receiver/alias`), if it has one. */
export function linkAliasFor(links: readonly string[], source: string): string | undefined {
  for (const link of links) {
    const [from = '', to = ''] = link.split(':');
    if (from.replace(/^\//, '') === source) {
      return to.split('/').pop() || undefined;
    }
  }

  return undefined;
}
