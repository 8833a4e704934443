// Compares two listings of a volume (expected from the manifest or the archive, actual read back
// from the engine) and names every difference. Pure.
import type {ListedEntry} from './manifest.js';

/** One difference between what should be in the volume and what is. */
export type Difference = {
  readonly path: string;
  readonly kind: 'missing' | 'extra' | 'type' | 'size' | 'content' | 'mode' | 'owner' | 'mtime' | 'link' | 'acl' | 'xattr';
  readonly detail: string;
};

const octal = (mode: number) => `0${mode.toString(8)}`;

/** Every difference, in path order. `ignoreRoot` skips the root directory's own attributes (a restore target keeps its own). */
export function compareListings(expected: readonly ListedEntry[], actual: readonly ListedEntry[], options: {ignoreRoot?: boolean} = {}): Difference[] {
  const byPath = (list: readonly ListedEntry[]) => new Map(list.filter(e => !(options.ignoreRoot && e.path === '.')).map(e => [e.path, e]));
  const want = byPath(expected);
  const have = byPath(actual);
  const differences: Difference[] = [];
  for (const [path, w] of want) {
    const h = have.get(path);
    if (!h) {
      differences.push({path, kind: 'missing', detail: `${w.type} is missing`});
      continue;
    }

    // A hardlink is the same file as its target; which name the engine lists as the link depends on its walk order.
    const wantType = w.type === 'hardlink' ? 'file' : w.type;
    const haveType = h.type === 'hardlink' ? 'file' : h.type;
    if (wantType !== haveType) {
      differences.push({path, kind: 'type', detail: `expected a ${w.type}, found a ${h.type}`});
      continue;
    }

    if (w.type === 'file' && h.type === 'file') {
      if (w.size !== h.size) {
        differences.push({path, kind: 'size', detail: `expected ${w.size} bytes, found ${h.size}`});
      } else if (w.sha256 && h.sha256 && w.sha256 !== h.sha256) {
        differences.push({path, kind: 'content', detail: 'contents differ (sha256)'});
      }
    }

    if (w.type === 'symlink' && w.link !== h.link) {
      differences.push({path, kind: 'link', detail: `expected -> ${w.link}, found -> ${h.link}`});
    }

    // Symlink modes are not kept by Linux (always 0777).
    if (w.type !== 'symlink' && w.mode !== h.mode) {
      differences.push({path, kind: 'mode', detail: `expected mode ${octal(w.mode)}, found ${octal(h.mode)}`});
    }

    if (w.uid !== h.uid || w.gid !== h.gid) {
      differences.push({path, kind: 'owner', detail: `expected ${w.uid}:${w.gid}, found ${h.uid}:${h.gid}`});
    }

    if (Math.floor(w.mtime) !== Math.floor(h.mtime)) {
      differences.push({path, kind: 'mtime', detail: `expected ${new Date(Math.floor(w.mtime) * 1000).toISOString()}, found ${new Date(Math.floor(h.mtime) * 1000).toISOString()}`});
    }
  }

  for (const [path, h] of have) {
    if (!want.has(path)) {
      differences.push({path, kind: 'extra', detail: `unexpected ${h.type}`});
    }
  }

  return differences.sort((a, b) => a.path.localeCompare(b.path));
}

/** One line per difference, at most `limit`, for logs and errors. */
export function describeDifferences(differences: readonly Difference[], limit = 10): string[] {
  const lines = differences.slice(0, limit).map(d => `${d.path}: ${d.detail}`);
  if (differences.length > limit) {
    lines.push(`… and ${differences.length - limit} more`);
  }

  return lines;
}
