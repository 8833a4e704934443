// Columns fitted into a width never take more than it (their minimums allowing), narrow columns get what
// they need first; a key hint wraps between its groups.
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {containersKind} from '../../source/resources/containers.js';
import type {Column} from '../../source/resources/kind.js';
import {columnWidths} from '../../source/resources/layout.js';
import {wrapGroups} from '../../source/model/text.js';

const column = (width: number | 'flex', minWidth?: number): Column<unknown> => ({title: 'X', width, minWidth, cell: () => ''});
const total = (widths: readonly number[]) => widths.reduce((a, b) => a + b, 0) + widths.length - 1;

describe('columnWidths', () => {
  it('fits the containers\' columns into the list of a 120-column terminal, the narrow ones whole', () => {
    // 68 cells (69 less the mark column); NAME, IMAGE, NET MODE and NETWORKS want more than they can have.
    const widths = columnWidths(containersKind.columns, 68, [34, 8, 21, 15, 25, 7]);
    expect(total(widths)).toBe(68);
    // STATE keeps its 8, PORTS all it needs (7, its minimum 8), the others share what is left.
    expect(widths[1]).toBe(8);
    expect(widths[5]).toBe(8);
    expect(Math.max(...widths) - Math.min(widths[0]!, widths[2]!, widths[3]!, widths[4]!)).toBeLessThanOrEqual(3);
    // Without content widths (every column wants all it can get) it fits as well.
    expect(total(columnWidths(containersKind.columns, 68))).toBe(68);
  });

  it('never takes more than the width when the minimums fit, never goes below a minimum, and fills the width', () => {
    const columns = fc.array(fc.oneof(fc.record({width: fc.integer({min: 1, max: 12})}), fc.record({width: fc.constant('flex' as const), minWidth: fc.integer({min: 1, max: 16})})), {minLength: 1, maxLength: 8});
    fc.assert(fc.property(columns, fc.integer({min: 0, max: 200}), fc.array(fc.integer({min: 0, max: 80}), {minLength: 8, maxLength: 8}), fc.boolean(), (specs, width, content, hasContent) => {
      const cols = specs.map(spec => column(spec.width, 'minWidth' in spec ? spec.minWidth : undefined));
      const widths = columnWidths(cols, width, hasContent ? content : undefined);
      const floor = cols.reduce((sum, c) => sum + (c.width === 'flex' ? c.minWidth ?? 6 : c.width), 0) + cols.length - 1;
      cols.forEach((c, i) => {
        expect(widths[i]).toBeGreaterThanOrEqual(c.width === 'flex' ? c.minWidth ?? 6 : c.width);
      });
      if (floor <= width) {
        expect(total(widths)).toBeLessThanOrEqual(width);
        // Flex columns take all the room there is.
        if (cols.some(c => c.width === 'flex')) {
          expect(total(widths)).toBe(width);
        }
      } else {
        // Not even the minimums fit: each column has its minimum.
        expect(total(widths)).toBe(floor);
      }
    }));
  });

  it('gives a column that needs little what it needs, and the rest to the others evenly', () => {
    const cols = [column('flex', 4), column('flex', 4), column('flex', 4)];
    // 32 cells less 2 gaps: the short one takes 5, the two long ones 12 and 13.
    expect(columnWidths(cols, 32, [5, 40, 40])).toEqual([5, 13, 12]);
    // Enough for everything: the last column takes what is to spare.
    expect(columnWidths(cols, 32, [5, 6, 7])).toEqual([5, 6, 19]);
  });
});

describe('wrapGroups', () => {
  const hint = 'y or Enter: go ahead (this destroys or replaces something)   n or Esc: cancel';

  it('keeps a hint that fits on one line', () => {
    expect(wrapGroups(hint, 80)).toEqual([hint]);
  });

  it('cuts between groups, never inside one that fits a line', () => {
    expect(wrapGroups(hint, 69)).toEqual(['y or Enter: go ahead (this destroys or replaces something)', 'n or Esc: cancel']);
    expect(wrapGroups('Enter next  ^B previous question  Esc cancels (nothing changes)', 40)).toEqual(['Enter next  ^B previous question', 'Esc cancels (nothing changes)']);
  });

  it('cuts a group longer than a line between words, on lines of its own', () => {
    expect(wrapGroups(hint, 40)).toEqual(['y or Enter: go ahead (this destroys or', 'replaces something)', 'n or Esc: cancel']);
    for (const line of wrapGroups(hint, 12)) {
      expect([...line].length, line).toBeLessThanOrEqual(12);
    }
  });

  it('loses no group to spaces at either end', () => {
    expect(wrapGroups(' Enter next  Esc cancels (nothing changes) ', 20)).toEqual(['Enter next', 'Esc cancels (nothing', 'changes)']);
  });
});

describe('fixed columns', () => {
  it('have room for their title and the sort mark after a space (INTERNAL ▲, not INTERNA▲)', async () => {
    const [{containersKind}, {networksKind}, {volumesKind}] = await Promise.all([import('../../source/resources/containers.js'), import('../../source/resources/networks.js'), import('../../source/resources/volumes.js')]);
    for (const kind of [containersKind, networksKind, volumesKind]) {
      for (const column of kind.columns as readonly {title: string; width: number | 'flex'}[]) {
        if (column.width !== 'flex') {
          expect(column.width, `${kind.title} ${column.title}`).toBeGreaterThanOrEqual(column.title.length + 2);
        }
      }
    }
  });
});

