// The entries of a scanned archive's manifest, kept as what they add to the archive's own entries
// (issue #20, bounded memory). hawser writes one manifest entry per archive entry, in the same order,
// from the same headers: element k is then entry k's listing, and nothing of it needs keeping. An
// element that says anything else (a manifest written before `mtimeText` was recorded, a checksum the
// scan did not compute, a changed manifest) keeps just that: a flag, the checksum, or the element.
// And the compare of the two, in one pass over both when both are in path order (hawser's own are):
// only the differences shown are kept, and the count of the rest.
import {compareListings, describeDifferences, type Difference} from './compare.js';
import type {EntryTable} from './entry-table.js';
import type {ListedEntry} from './manifest.js';

const listedKeys = new Set(['path', 'type', 'size', 'mode', 'uid', 'gid', 'mtime', 'mtimeText', 'link', 'sha256']);
const sameKeys = ['path', 'type', 'size', 'mode', 'uid', 'gid', 'mtime', 'link'] as const;

/** A set of row numbers as bits. */
class RowBits {
  private bits = new Uint8Array(1024);

  add(index: number): void {
    if (index >> 3 >= this.bits.length) {
      const grown = new Uint8Array(Math.max(this.bits.length * 2, (index >> 3) + 1));
      grown.set(this.bits);
      this.bits = grown;
    }

    this.bits[index >> 3]! |= 1 << (index & 7);
  }

  has(index: number): boolean {
    return ((this.bits[index >> 3] ?? 0) & (1 << (index & 7))) !== 0;
  }
}

const shaRows = 4096;

/** The manifest's entries (see above): `add` each element in order, then read them with `at` or by iterating. */
export class ManifestEntries implements Iterable<ListedEntry> {
  private count = 0;
  /** Elements that are not their archive entry's listing, as JSON.parse made them. */
  private readonly odd = new Map<number, unknown>();
  /** Rows whose element has no mtimeText where the archive's entry has one. */
  private timeless = new RowBits();
  /** Checksums an element gives where the scan computed none (32 bytes a row, blocks of 4,096 rows). */
  private readonly sha = new Map<number, Buffer>();
  private shaGiven = new RowBits();

  constructor(private readonly table: EntryTable) {}

  get length(): number {
    return this.count;
  }

  /** A second `entries` array in the manifest: JSON.parse keeps the last one, and so does this. */
  reset(): void {
    this.count = 0;
    this.odd.clear();
    this.timeless = new RowBits();
    this.sha.clear();
    this.shaGiven = new RowBits();
  }

  add(value: unknown): void {
    const index = this.count++;
    if (index >= this.table.length || typeof value !== 'object' || value === null || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) {
      this.odd.set(index, value);
      return;
    }

    const element = value as Record<string, unknown>;
    const row = this.table.listed(index);
    const isSame = Object.keys(element).every(key => listedKeys.has(key))
      && sameKeys.every(key => Object.is(element[key], row[key]))
      && ('mtimeText' in element ? element['mtimeText'] === row.mtimeText : true)
      && (row.sha256 === undefined ? !('sha256' in element) || (typeof element['sha256'] === 'string' && /^[0-9a-f]{64}$/.test(element['sha256'])) : element['sha256'] === row.sha256);
    if (!isSame) {
      this.odd.set(index, value);
      return;
    }

    if (!('mtimeText' in element) && row.mtimeText !== undefined) {
      this.timeless.add(index);
    }

    if (row.sha256 === undefined && typeof element['sha256'] === 'string') {
      const block = Math.floor(index / shaRows);
      let buffer = this.sha.get(block);
      if (!buffer) {
        buffer = Buffer.alloc(shaRows * 32);
        this.sha.set(block, buffer);
      }

      buffer.write(element['sha256'], (index % shaRows) * 32, 32, 'hex');
      this.shaGiven.add(index);
    }
  }

  /** Whether element `index` is its archive entry's listing as it is (then `at` makes that very listing). */
  isArchiveRow(index: number): boolean {
    return index < this.count && !this.odd.has(index) && !this.timeless.has(index) && !this.shaGiven.has(index);
  }

  /** Whether every element is one of the archive's entries with at most a checksum added (see withGivenChecksums). */
  get isPlain(): boolean {
    return this.odd.size === 0;
  }

  /** The checksum element `index` gives where the scan computed none. */
  givenSha256(index: number): string | undefined {
    return this.shaGiven.has(index) ? this.sha.get(Math.floor(index / shaRows))!.toString('hex', (index % shaRows) * 32, (index % shaRows) * 32 + 32) : undefined;
  }

  /** The element as JSON.parse made it (for an element that is its entry's listing, that listing). */
  at(index: number): ListedEntry {
    const odd = this.odd.get(index);
    if (odd !== undefined || this.odd.has(index)) {
      return odd as ListedEntry;
    }

    const row = this.table.listed(index);
    const sha256 = this.givenSha256(index);
    if (this.timeless.has(index)) {
      const {mtimeText: _, ...rest} = row;
      return sha256 === undefined ? rest : {...rest, sha256};
    }

    return sha256 === undefined ? row : {...row, sha256};
  }

  * [Symbol.iterator](): Iterator<ListedEntry> {
    for (let index = 0; index < this.count; index++) {
      yield this.at(index);
    }
  }

  /** Every element, as the manifest's `entries` array (for a restore's compare and for tests). */
  toArray(): ListedEntry[] {
    return [...this];
  }
}

/**
 * The order hawser's archives are written in (GNU tar --sort=name, the engine's walk): a folder's own
 * entry, then what it holds, names compared byte by byte; the root first. As text: '/' before any
 * other character, a shorter path (a folder) before a longer one it starts.
 */
export function pathOrder(a: string, b: string): number {
  if (a === b) {
    return 0;
  }

  if (a === '.' || b === '.') {
    return a === '.' ? -1 : 1;
  }

  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const [x, y] = [a.charCodeAt(index), b.charCodeAt(index)];
    if (x !== y) {
      return x === 0x2f ? -1 : y === 0x2f ? 1 : x - y;
    }
  }

  return a.length - b.length;
}

/** A difference with where compareListings would have put it among equal paths: its want-loop or extras place. */
type Ranked = {readonly difference: Difference; readonly phase: number; readonly index: number; readonly sub: number};

function rankOrder(a: Ranked, b: Ranked): number {
  return a.difference.path.localeCompare(b.difference.path) || a.phase - b.phase || a.index - b.index || a.sub - b.sub;
}

/** Whether two listings are the same in every field compareListings looks at (it then finds nothing). */
function isSameListing(a: ListedEntry, b: ListedEntry): boolean {
  return a.path === b.path && a.type === b.type && a.size === b.size && a.mode === b.mode && a.uid === b.uid && a.gid === b.gid
    && a.mtime === b.mtime && Number.isFinite(a.mtime) && a.mtimeText === b.mtimeText && a.link === b.link && a.sha256 === b.sha256;
}

/**
 * The lines describeDifferences gives for compareListings(manifest, archive listing), found in one pass
 * over both in path order: at most `limit` differences are kept. Undefined when either is not in
 * strictly increasing path order (then a path may repeat, and only the whole compare says which entry counts).
 */
export function mergedDifferenceLines(manifest: ManifestEntries, table: EntryTable, limit = 10): string[] | undefined {
  const shown: Ranked[] = [];
  let count = 0;
  const note = (differences: readonly Difference[], phase: number, index: number) => {
    differences.forEach((difference, sub) => {
      count++;
      const ranked = {difference, phase, index, sub};
      if (shown.length === limit && rankOrder(ranked, shown[limit - 1]!) >= 0) {
        return;
      }

      let at = shown.length;
      while (at > 0 && rankOrder(ranked, shown[at - 1]!) < 0) {
        at--;
      }

      shown.splice(at, 0, ranked);
      shown.length = Math.min(shown.length, limit);
    });
  };

  let [i, j] = [0, 0];
  let want: ListedEntry | undefined;
  let have: ListedEntry | undefined;
  let [lastWant, lastHave] = [undefined as string | undefined, undefined as string | undefined];
  while (i < manifest.length || j < table.length) {
    if (have === undefined && j < table.length) {
      have = table.listed(j);
      if (lastHave !== undefined && pathOrder(lastHave, have.path) >= 0) {
        return undefined;
      }

      lastHave = have.path;
    }

    if (want === undefined && i < manifest.length) {
      want = i === j && have !== undefined && manifest.isArchiveRow(i) ? have : manifest.at(i);
      if (typeof want?.path !== 'string' || (lastWant !== undefined && pathOrder(lastWant, want.path) >= 0)) {
        return undefined;
      }

      lastWant = want.path;
    }

    const order = want === undefined ? 1 : have === undefined ? -1 : pathOrder(want.path, have.path);
    if (order === 0) {
      if (want !== have && !isSameListing(want!, have!)) {
        note(compareListings([want!], [have!]), 0, i);
      }

      [want, have, i, j] = [undefined, undefined, i + 1, j + 1];
    } else if (order < 0) {
      note(compareListings([want!], []), 0, i);
      [want, i] = [undefined, i + 1];
    } else {
      note(compareListings([], [have!]), 1, j);
      [have, j] = [undefined, j + 1];
    }
  }

  // describeDifferences reads the first `limit` and the length: the others need not be there.
  const all: Difference[] = shown.map(ranked => ranked.difference);
  all.length = count;
  return describeDifferences(all, limit);
}

/** The lines describeDifferences gives for the archive's entries against its manifest (see mergedDifferenceLines). */
export function manifestDifferenceLines(manifest: ManifestEntries, table: EntryTable): string[] {
  // Out of order (no archive hawser wrote): the whole compare, with both listings in memory.
  return mergedDifferenceLines(manifest, table) ?? describeDifferences(compareListings(manifest.toArray(), Array.from({length: table.length}, (_, index) => table.listed(index))));
}
