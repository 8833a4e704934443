// What a restore writes, entry by entry: the scanned entries after the strip, checked once more as a
// whole (a repeated name counts once, as its last entry; a hardlink to an entry named again is refused).
import {ArchiveChecker, ArchiveRefusal, normalizeEntryName, stripComponents, type CheckedEntry, type CheckedFields} from './archive-rules.js';
import {toListed, type HashedEntry} from './entry-lister.js';
import type {ListedEntry} from './manifest.js';
import type {ScanResult} from './archive-scan.js';

/** What a restore writes, entry by entry: see planEntries. */
export type EntryPlan = {
  /** The entries written, in archive order, with their paths after the strip: made anew each time it is read (for 100,000 files, 100,000 objects). */
  readonly entries: readonly CheckedEntry[];
  /** The volume as it will be listed after the restore: one entry per path, the last of a repeated one. Made when first asked for, then kept. */
  readonly listing: readonly ListedEntry[];
  /** How many entries `listing` has (known without making it). */
  readonly listingCount: number;
  /** Indexes (in `scan.entries`) of entries left out: stripped away whole, or named again later in the archive. */
  readonly skipped: ReadonlySet<number>;
  /** How many names began with "/" (tar strips the "/" and so does hawser). */
  readonly absoluteNames: number;
  /** The entries written that carry extended attributes, ACLs or a sparse map: the few later checks look at (made anew each time). */
  notable(): CheckedEntry[];
};

/**
 * The entries as they will be restored with `strip`; throws ArchiveRefusal with the first reason to refuse.
 * A path named twice is restored as its last entry on both paths, as tar leaves it: the earlier ones are
 * not written at all (directories excepted: a later one only sets the attributes again).
 */
export function planEntries(scan: ScanResult, strip: number): EntryPlan {
  // Asked for by each step of a restore: made once per scan and strip.
  const known = plans.get(scan)?.get(strip);
  if (known) {
    return known;
  }

  const plan = makeEntryPlan(scan, strip);
  plans.set(scan, new Map([...plans.get(scan) ?? [], [strip, plan]]));
  return plan;
}

const plans = new WeakMap<ScanResult, Map<number, EntryPlan>>();

/**
 * One pass over the entries, in archive order, keeping per path only its kind and last entry's index (in
 * the checker): an entry is left out when a later one names its path again, and a hardlink is refused
 * when the entry it points to is left out that way.
 */
function makeEntryPlan(scan: ScanResult, strip: number): EntryPlan {
  if (scan.manifest && strip > 0) {
    throw new ArchiveRefusal('this archive was made by hawser: its entries are already relative to the volume\'s root, so there is nothing to strip');
  }

  const table = scan.entries;
  const header = (index: number): CheckedFields => ({name: table.name(index), type: table.type(index), size: table.size(index), linkname: table.linkname(index)});
  if (strip > 0) {
    // The archive must be safe as it stands too: a strip must never turn `link -> /etc`, `link/x` into something acceptable.
    const unstripped = new ArchiveChecker(0);
    for (let index = 0; index < table.length; index++) {
      unstripped.check(header(index));
    }
  }

  // The checker keeps per path its kind and last entry's index: all the plan needs across entries.
  const checker = new ArchiveChecker(strip);
  let paths = 0;
  const skipped = new Set<number>();
  // Hardlinks by the path they point to, while that path's entry is still the last one of its name.
  const waiting = new Map<string, number[]>();
  // Hardlinks whose target entry was named again later (refused unless left out themselves).
  const orphaned: number[] = [];
  for (let index = 0; index < table.length; index++) {
    const entry = checker.check(header(index), index);
    if (!entry) {
      skipped.add(index);
      continue;
    }

    if (entry.type === 'hardlink' && entry.linkPath !== undefined) {
      waiting.set(entry.linkPath, [...waiting.get(entry.linkPath) ?? [], index]);
    }

    const {previous} = checker;
    if (previous === undefined) {
      paths++;
    } else {
      if (table.type(previous) !== 'directory') {
        skipped.add(previous);
      }

      orphaned.push(...waiting.get(entry.path) ?? []);
      waiting.delete(entry.path);
    }
  }

  const refused = orphaned.filter(index => !skipped.has(index)).sort((a, b) => a - b)[0];
  if (refused !== undefined) {
    throw new ArchiveRefusal(`the hardlink "${table.name(refused)}" points to "${table.linkname(refused)}", which the archive names again later: tar tools disagree on which of the two it means. Re-create the archive without the repeated name`);
  }

  if (paths === 0) {
    throw new ArchiveRefusal(strip > 0 ? `stripping ${strip} leading components leaves nothing to restore` : 'the archive holds no entries');
  }

  let absoluteNames = 0;
  for (let index = 0; index < table.length; index++) {
    if (!skipped.has(index) && table.name(index).startsWith('/')) {
      absoluteNames++;
    }
  }

  const written = function * (isWanted: (index: number) => boolean = () => true): Generator<CheckedEntry> {
    for (let index = 0; index < table.length; index++) {
      if (!skipped.has(index) && isWanted(index)) {
        yield asChecked(table.at(index), strip);
      }
    }
  };

  let listing: readonly ListedEntry[] | undefined;
  return {
    get entries() {
      return [...written()];
    },
    // Made when first asked for (verify never asks): a second copy of every entry otherwise, for 100,000 files some 25 MB.
    get listing() {
      if (!listing) {
        const byPath = new Map<string, ListedEntry>();
        for (const entry of written()) {
          byPath.set(entry.path, toListed(entry, entry.path, entry.linkPath));
        }

        listing = [...byPath.values()];
      }

      return listing;
    },
    listingCount: paths,
    skipped,
    absoluteNames,
    notable: () => [...written(index => table.isNotable(index))],
  };
}

/** An entry the plan keeps, with its paths after the strip, as ArchiveChecker made them when it passed. */
function asChecked(entry: HashedEntry, strip: number): CheckedEntry {
  const normalized = normalizeEntryName(entry.name);
  const path = 'path' in normalized ? stripComponents(normalized.path, strip) : undefined;
  const target = entry.type === 'hardlink' ? normalizeEntryName(entry.linkname) : undefined;
  const linkPath = target && 'path' in target ? stripComponents(target.path, strip) : undefined;
  // Object.assign rather than a spread: the copies share one hidden class (see EntryLister).
  return Object.assign({}, entry, linkPath === undefined ? {path: path!} : {path: path!, linkPath});
}
