// The scrolling keys every full-screen view shares (j/k, arrows, PgUp/PgDn, g/G), as one hook.

/** Applies a scrolling key to a position; returns undefined for keys that do not scroll. */
export function scrollFor(key: string, position: number, total: number, page: number): number | undefined {
  const max = Math.max(0, total - page);
  const clamp = (value: number) => Math.max(0, Math.min(max, value));
  switch (key) {
    case 'j': case 'down': return clamp(position + 1);
    case 'k': case 'up': return clamp(position - 1);
    case 'pagedown': case 'space': case 'ctrl+d': return clamp(position + page);
    case 'pageup': case 'ctrl+u': return clamp(position - page);
    case 'g': case 'home': return 0;
    case 'G': case 'end': return max;
    default: return undefined;
  }
}
