// How the lists share the screen's height.
import {panelIds, perPanel, type PanelId} from '../../model/panel-ids.js';

/**
 * Splits the item rows among the three stacked panels: each gets what it needs up to a small share,
 * the focused one gets the rest, and rows no panel needs go to whoever has more items.
 */
export function panelHeights(available: number, focus: PanelId, counts: Readonly<Record<PanelId, number>>): Record<PanelId, number> {
  const small = Math.max(1, Math.min(5, Math.floor(available * 0.15)));
  const heights = perPanel(() => 1);
  let left = available;
  for (const id of panelIds) {
    if (id !== focus) {
      heights[id] = Math.max(1, Math.min(small, counts[id]));
      left -= heights[id];
    }
  }

  heights[focus] = Math.max(1, Math.min(left, Math.max(counts[focus], 1)));
  left -= heights[focus];
  for (const id of panelIds) {
    if (left <= 0) {
      break;
    }

    const more = Math.min(left, Math.max(0, counts[id] - heights[id]));
    heights[id] += more;
    left -= more;
  }

  heights[focus] += Math.max(0, left);
  return heights;
}
