// A prune's label filter, as `docker network prune --filter label=` and `docker volume prune --filter
// label=` take it: `key` (the label is set) or `key=value`.

/** True when `labels` pass `label` (`key` or `key=value`); any labels pass no filter. */
export function hasLabel(labels: Readonly<Record<string, string>>, label: string | undefined): boolean {
  if (!label) {
    return true;
  }

  const at = label.indexOf('=');
  return at < 0 ? label in labels : labels[label.slice(0, at)] === label.slice(at + 1);
}
