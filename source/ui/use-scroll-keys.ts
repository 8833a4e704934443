// The scrolling every full-screen view shares, by command (their keys are in the key table: j/k, arrows,
// PgUp/PgDn, g/G...).
import type {CommandId} from '../keys/key-table.js';

/** Applies a scrolling command to a position; returns undefined for commands that do not scroll. */
export function scrollFor(command: CommandId | undefined, position: number, total: number, page: number): number | undefined {
  const max = Math.max(0, total - page);
  const clamp = (value: number) => Math.max(0, Math.min(max, value));
  switch (command) {
    case 'down': return clamp(position + 1);
    case 'up': return clamp(position - 1);
    case 'pageDown': return clamp(position + page);
    case 'pageUp': return clamp(position - page);
    case 'top': return 0;
    case 'bottom': return max;
    default: return undefined;
  }
}
