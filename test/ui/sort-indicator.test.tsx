// The column a list is sorted by is marked in the panel's header: ▲ ascending, ▼ descending, nothing in
// the kind's own order; the mark never moves a column.
import {render} from 'ink-testing-library';
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {buildIndex} from '../../source/resources/resource-index.js';
import {formatHeader} from '../../source/resources/layout.js';
import {networksKind} from '../../source/resources/networks.js';
import type {SortOrder} from '../../source/resources/kind.js';
import {ResourcePanel} from '../../source/ui/ResourcePanel.js';
import {themeFor} from '../../source/ui/theme.js';
import {fakeNetwork} from '../helpers/fake-engine.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const width = 72;

/** The networks panel's frame, sorted as given: its lines, the header second. */
function panel(sort?: SortOrder): string[] {
  const items = [fakeNetwork('frontend'), fakeNetwork('backend', {isInternal: true})];
  const view = render(
    <ResourcePanel number={2} kind={networksKind as never} items={items as never[]} total={items.length} index={buildIndex([])} filter="" sort={sort} isFocused width={width} height={4} theme={themeFor({NO_COLOR: '1'})} isLoading={false} />,
  );
  cleanup = () => view.unmount();
  return (view.lastFrame() ?? '').split('\n');
}

/** Where each title starts in a header line. */
const starts = (header: string) => ['NAME', 'DRIVER', 'SCOPE', 'SUBNET', 'INTERN', 'CTRS'].map(title => header.indexOf(title));

describe('the sort mark in a panel\'s header', () => {
  it('is absent in the default order', () => {
    const header = panel()[1]!;
    expect(header).toMatch(/NAME\s+DRIVER\s+SCOPE\s+SUBNET \/ GATEWAY\s+INTERNAL\s+CTRS/);
    expect(header).not.toMatch(/[▲▼]/);
  });

  it('follows the sorted column\'s title: ▲ ascending, ▼ descending', () => {
    expect(panel({column: 0, isDescending: false})[1]).toMatch(/ NAME ▲\s+DRIVER /);
    expect(panel({column: 0, isDescending: true})[1]).toMatch(/ NAME ▼\s+DRIVER /);
    expect(panel({column: 1, isDescending: false})[1]).toMatch(/ NAME\s+DRIVER ▲ SCOPE /);
    expect(panel({column: 5, isDescending: true})[1]).toMatch(/ CTRS ▼/);
    // Only one column is marked.
    expect(panel({column: 2, isDescending: false})[1]!.match(/[▲▼]/g)).toHaveLength(1);
  });

  it('moves no column and stays within the header', () => {
    const plain = panel()[1]!;
    for (let column = 0; column < networksKind.columns.length; column++) {
      for (const isDescending of [false, true]) {
        const header = panel({column, isDescending})[1]!;
        expect(starts(header), `column ${column}`).toEqual(starts(plain));
        expect([...header.trimEnd()].length).toBeLessThanOrEqual(width);
      }
    }

    // A fixed column has room for its title, a space and the mark (QA helper-30: INTERNAL once lost its L to it).
    expect(panel({column: 4, isDescending: false})[1]).toMatch(/ INTERNAL ▲ +CTRS/);
  });
});

describe('formatHeader', () => {
  it('keeps every cell at its width', () => {
    const widths = [6, 4, 3];
    expect(formatHeader(['NAME', 'AB', 'XYZ'], widths)).toBe('NAME   AB   XYZ');
    expect(formatHeader(['NAME', 'AB', 'XYZ'], widths, {column: 0, isDescending: false})).toBe('NAME ▲ AB   XYZ');
    expect(formatHeader(['NAME', 'AB', 'XYZ'], widths, {column: 1, isDescending: true})).toBe('NAME   AB ▼ XYZ');
    expect(formatHeader(['NAME', 'AB', 'XYZ'], widths, {column: 2, isDescending: true})).toBe('NAME   AB   XY▼');
    // A sort on a column the kind no longer has marks nothing.
    expect(formatHeader(['NAME', 'AB', 'XYZ'], widths, {column: 7, isDescending: true})).toBe('NAME   AB   XYZ');
  });
});

describe('the sort mark in the running TUI', () => {
  it('follows o and O in the focused panel, and goes with the default order', async () => {
    const {renderApp} = await import('../helpers/render-app.js');
    const {FakeEngine, eventually, fakeContainer} = await import('../helpers/fake-engine.js');
    const engine = new FakeEngine();
    engine.containers = [fakeContainer('zeta', {state: 'exited'}), fakeContainer('alpha'), fakeContainer('mike')];
    const {frame, press, unmount} = renderApp(engine);
    cleanup = unmount;
    const header = () => frame().split('\n').find(line => line.includes('NAME') && line.includes('STATE')) ?? '';
    await eventually(() => expect(frame()).toContain('zeta'));
    expect(header()).not.toMatch(/[▲▼]/);
    await press('o');
    await eventually(() => expect(header()).toMatch(/ NAME ▲\s+STATE /));
    await press('O');
    await eventually(() => expect(header()).toMatch(/ NAME ▼\s+STATE /));
    await press('o');
    await eventually(() => expect(header()).toMatch(/ NAME\s+STATE ▲\s+IMAGE/));
    for (let column = 2; column < 6; column++) {
      await press('o');
    }

    await eventually(() => expect(header()).toMatch(/ PORTS ▲/));
    // Past the last column: the kind's own order again, unmarked.
    await press('o');
    await eventually(() => expect(header()).not.toMatch(/[▲▼]/));
  });
});
