// The panels by name, in Tab order (1, 2, 3… focus them), with the title each has in the help. Every
// layer that names panels reads this list: the UI state, the key table's panel layers and focus keys,
// the palette. A panel's own file (resources/*-panel.ts) and its line in resources/panels.ts do the rest.

/** Each panel's title, in Tab order. */
export const panelTitles = {
  containers: 'Containers',
  networks: 'Networks',
  volumes: 'Volumes',
} as const;

/** A panel's name. */
export type PanelId = keyof typeof panelTitles;

/** The panels in Tab order. */
export const panelIds = Object.keys(panelTitles) as readonly PanelId[];

/** The command that focuses a panel: `focusContainers` for 'containers'. */
export type FocusCommand = `focus${Capitalize<PanelId>}`;

/** The focus command of a panel. */
export function focusCommand(panel: PanelId): FocusCommand {
  return `focus${panel[0]!.toUpperCase()}${panel.slice(1)}` as FocusCommand;
}

/** True for a panel's name (a key layer, say). */
export function isPanelId(name: string): name is PanelId {
  return Object.hasOwn(panelTitles, name);
}

/** A record with one entry per panel. */
export function perPanel<T>(make: (panel: PanelId) => T): Record<PanelId, T> {
  return Object.fromEntries(panelIds.map(panel => [panel, make(panel)])) as Record<PanelId, T>;
}
