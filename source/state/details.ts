// Fetches the inspected document for the selected item, only when details are on screen.
import type {EnginePort} from '../engine/port.js';
import type {PanelId} from './ui-state.js';

/** Inspects the item of a panel; volumes need no inspect (the list has it all). */
export async function loadDetails(engine: EnginePort, panel: PanelId, key: string, signal: AbortSignal): Promise<unknown> {
  switch (panel) {
    case 'containers': return engine.inspectContainer(key, {signal});
    case 'networks': return engine.inspectNetwork(key, {signal});
    case 'volumes': return undefined;
  }
}
