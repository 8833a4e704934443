// Medians and the printed table.

/** The median of numbers (NaN when empty). */
export function median(values) {
  const sorted = values.filter(v => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The p-th percentile (nearest rank). */
export function percentile(values, p) {
  const sorted = values.filter(v => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)];
}

/** Formats ms. */
export function ms(value) {
  if (!Number.isFinite(value)) return '—';
  return value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`;
}

/** Formats bytes as MB (10^6, as the figures). */
export function mb(value) {
  return Number.isFinite(value) ? `${(value / 1e6).toFixed(1)} MB` : '—';
}

/** Formats CPU ms over a window as ms and % of one core. */
export function cpu(value, windowMs) {
  if (!Number.isFinite(value)) return '—';
  return windowMs ? `${Math.round(value)} ms (${(value / windowMs * 100).toFixed(2)}%)` : `${Math.round(value)} ms`;
}

/** hawser ÷ reference, as "0.42×". */
export function ratio(hawser, reference) {
  if (!Number.isFinite(hawser) || !Number.isFinite(reference) || reference === 0) return '—';
  return `${(hawser / reference).toFixed(2)}×`;
}

/** Renders rows (arrays of cells) as an aligned text table with a header. */
export function table(header, rows) {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map(row => String(row[i]).length)));
  const line = cells => cells.map((cell, i) => String(cell).padEnd(widths[i])).join(' │ ').trimEnd();
  return [line(header), widths.map(w => '─'.repeat(w)).join('─┼─'), ...rows.map(line)].join('\n');
}
