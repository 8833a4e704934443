// A panel's columns fit its width: every column (its header and sort mark too) is on screen, the widest
// cells are cut with an ellipsis instead. Their widths come from every row of the list, measured once
// per list, so they do not move as sorting or scrolling brings longer cells into view.
import {render} from 'ink-testing-library';
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import type {ContainerSummary} from '../../source/engine/types.js';
import {containersKind} from '../../source/resources/containers.js';
import {buildIndex} from '../../source/resources/resource-index.js';
import type {Column, ResourceKind} from '../../source/resources/kind.js';
import type {SortOrder} from '../../source/resources/kind.js';
import {ResourcePanel} from '../../source/ui/ResourcePanel.js';
import {themeFor} from '../../source/ui/theme.js';
import {FakeEngine, eventually, fakeContainer} from '../helpers/fake-engine.js';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

const theme = themeFor({NO_COLOR: '1'});
const titles = containersKind.columns.map(column => column.title);

/** Containers as the QA walkthrough had them: long names, images, networks and ports. */
function qaContainers(): ContainerSummary[] {
  const network = (name: string, ipv4: string) => ({name, networkId: `net-${name}`, ipv4, gateway: '', mac: '', aliases: [], links: []});
  return [
    fakeContainer('api', {image: 'hawser/busybox:latest', networks: [network('appnet', '10.89.0.3'), network('bridge', '172.17.0.9')]}),
    fakeContainer('qa-some-long-name-for-layout-check', {image: 'hawser/busybox:latest', ports: [{privatePort: 80, publicPort: 8080, protocol: 'tcp'}, {privatePort: 443, publicPort: 8443, protocol: 'tcp'}]}),
    fakeContainer('mysql', {image: 'hawser/busybox:latest', ports: [{privatePort: 3306, protocol: 'tcp'}]}),
    fakeContainer('sidecar', {image: 'hawser/busybox:latest', networkMode: 'container:nginx', networks: []}),
  ];
}

/** The containers kind with its cells counted as they are made. */
function countingKind() {
  const calls = {count: 0};
  const counted: ResourceKind<ContainerSummary, unknown> = {
    ...(containersKind as ResourceKind<ContainerSummary, unknown>),
    columns: containersKind.columns.map((column: Column<ContainerSummary>) => ({
      ...column,
      cell: (item: ContainerSummary, index) => {
        calls.count++;
        return column.cell(item, index);
      },
    })),
  };
  return {counted, calls};
}

function containersPanel(items: readonly ContainerSummary[], width: number, props: {sort?: SortOrder; selectedKey?: string; height?: number; allItems?: readonly ContainerSummary[]} = {}) {
  const index = buildIndex(props.allItems ?? items);
  const element = (more: typeof props) => (
    <ResourcePanel number={1} kind={containersKind as never} items={items as never[]} allItems={more.allItems as never[] | undefined} total={items.length} index={index} filter="" sort={more.sort} selectedKey={more.selectedKey} isFocused width={width} height={more.height ?? 6} theme={theme} isLoading={false} />
  );
  const view = render(element(props));
  cleanup = () => view.unmount();
  return {lines: () => (view.lastFrame() ?? '').split('\n'), view};
}

/** Expects every title in the header line, whole and in order, and no line wider than the panel. */
function expectAllColumns(lines: readonly string[], width: number): void {
  const header = lines[1]!;
  let from = 0;
  for (const title of titles) {
    const at = header.indexOf(title, from);
    expect(at, `${title} in "${header}"`).toBeGreaterThan(from - 1);
    from = at + title.length;
  }

  for (const line of lines) {
    expect([...line].length, line).toBeLessThanOrEqual(width);
  }
}

describe('the containers panel\'s columns', () => {
  it('all fit the list\'s width in a 120-column terminal (69 cells), PORTS and its sort mark included', () => {
    // 120 columns: the lists take 58% (69 cells), the details the rest.
    const {lines} = containersPanel(qaContainers(), 69);
    expectAllColumns(lines(), 69);
    // The widest cells are cut with an ellipsis, not the last column.
    expect(lines().join('\n')).toContain('qa-some-lon…');
    expect(lines()[1]!.trimEnd()).toMatch(/ PORTS$/);

    const sorted = containersPanel(qaContainers(), 69, {sort: {column: 5, isDescending: false}}).lines();
    expect(sorted[1]).toMatch(/ PORTS ▲/);
    expectAllColumns(sorted, 69);
    const reversed = containersPanel(qaContainers(), 69, {sort: {column: 5, isDescending: true}}).lines();
    expect(reversed[1]).toMatch(/ PORTS ▼/);
  });

  it('fit 80 and 70 columns too, giving the room to spare to the cells that are cut', () => {
    for (const width of [80, 70]) {
      const {lines} = containersPanel(qaContainers(), width);
      expectAllColumns(lines(), width);
    }

    // With room for all of it, nothing is cut.
    const wide = containersPanel(qaContainers(), 160).lines();
    expect(wide.join('\n')).toContain('qa-some-long-name-for-layout-check');
    expect(wide.join('\n')).toContain('8080→80');
    expect(wide.join('\n')).not.toContain('…');
  });

  it('fit the list\'s width in the running TUI at 120 columns, sorted by PORTS', async () => {
    const {renderApp} = await import('../helpers/render-app.js');
    const engine = new FakeEngine();
    engine.containers = qaContainers();
    const {view, frame, press, unmount} = renderApp(engine);
    cleanup = unmount;
    // The test terminal is 100 columns: widen it as a resize would.
    Object.defineProperty(view.stdout, 'columns', {value: 120, configurable: true});
    view.stdout.emit('resize');
    const header = () => frame().split('\n').find(line => line.includes('NAME') && line.includes('STATE')) ?? '';
    await eventually(() => expect(frame()).toContain('Details'));
    await eventually(() => expect(frame()).toContain('mysql'));
    for (let column = 0; column < 6; column++) {
      await press('o');
    }

    await eventually(() => expect(header()).toMatch(/ PORTS ▲/));
    // The list is 69 cells, then a space and the details pane.
    expect(header().slice(0, 70)).toMatch(/ PORTS ▲\s*$/);
    let from = 0;
    for (const title of titles) {
      const at = header().indexOf(title, from);
      expect(at, title).toBeGreaterThanOrEqual(from);
      from = at + title.length;
    }
  });
});

describe('column widths over the whole list', () => {
  /** 30 short-named containers, and one with a long name and ports at the end of the list. */
  function longList(): ContainerSummary[] {
    const short = Array.from({length: 30}, (_, i) => fakeContainer(`c${String(i).padStart(2, '0')}`));
    return [...short, fakeContainer('a-container-whose-name-is-rather-long', {ports: [{privatePort: 80, publicPort: 8080, protocol: 'tcp'}]})];
  }

  it('stay put when scrolling brings a longer cell into view', () => {
    const items = longList();
    const top = containersPanel(items, 100, {selectedKey: items[0]!.id}).lines()[1];
    const bottom = containersPanel(items, 100, {selectedKey: items.at(-1)!.id});
    expect(bottom.lines().join('\n')).toContain('a-container-whose-name-is-rather-long');
    expect(bottom.lines()[1]).toBe(top);
  });

  it('stay put when sorting brings a longer cell into view', () => {
    const items = longList();
    const byDefault = containersPanel(items, 100).lines();
    const reversed = [...items].reverse();
    const sorted = containersPanel(reversed, 100, {allItems: items, sort: {column: 0, isDescending: true}}).lines();
    expect(sorted.join('\n')).toContain('a-container-whose-name-is-rather-long');
    expect(byDefault.join('\n')).not.toContain('a-container-whose');
    // Same places for every title (the mark takes room from NAME's own column).
    const starts = (header: string) => titles.map(title => header.indexOf(title));
    expect(starts(sorted[1]!)).toEqual(starts(byDefault[1]!));
  });

  it('stay put when a filter hides the longer cells', () => {
    const items = longList();
    const all = containersPanel(items, 100, {selectedKey: items.at(-1)!.id}).lines()[1];
    const filtered = containersPanel(items.slice(0, 3), 100, {allItems: items}).lines()[1];
    expect(filtered).toBe(all);
  });

  it('stay put in the running TUI when the filter hides the longer cells', async () => {
    const {renderApp} = await import('../helpers/render-app.js');
    const engine = new FakeEngine();
    engine.containers = longList();
    const {frame, press, unmount} = renderApp(engine);
    cleanup = unmount;
    const header = () => frame().split('\n').find(line => line.includes('NAME') && line.includes('STATE')) ?? '';
    await eventually(() => expect(frame()).toContain('c00'));
    const before = header();
    await press('/');
    await press('c01');
    await eventually(() => expect(frame()).toContain('filter: c01'));
    await eventually(() => expect(frame()).not.toContain('c02 '));
    expect(header()).toBe(before);
  });

  it('are measured once per list: a key press (new selection, new sort) renders only the visible rows\' cells', () => {
    const {counted, calls} = countingKind();
    const items = Array.from({length: 1000}, (_, i) => fakeContainer(`c${String(i).padStart(4, '0')}`));
    const index = buildIndex(items);
    const height = 10;
    const columns = counted.columns.length;
    const element = (shown: readonly ContainerSummary[], selectedKey: string) => (
      <ResourcePanel number={1} kind={counted as never} items={shown as never[]} allItems={items as never[]} total={items.length} index={index} filter="" selectedKey={selectedKey} isFocused width={100} height={height} theme={theme} isLoading={false} />
    );
    const view = render(element(items, items[0]!.id));
    cleanup = () => view.unmount();
    // The first render measures every row's flex cells once (and renders the visible ones).
    const flex = counted.columns.filter(column => column.width === 'flex').length;
    expect(calls.count).toBeGreaterThanOrEqual(1000 * flex);
    expect(calls.count).toBeLessThanOrEqual(1000 * flex + height * columns);
    calls.count = 0;
    view.rerender(element(items, items[500]!.id));
    view.rerender(element([...items].reverse(), items[10]!.id));
    expect(calls.count).toBeLessThanOrEqual(2 * height * columns);
    expect(view.lastFrame()).toContain('c0010');
  });

  it('after an engine event (a new snapshot: new arrays, a new index, one item replaced) measure only the replaced item', () => {
    const {counted, calls} = countingKind();
    const height = 10;
    const columns = counted.columns.length;
    const flex = counted.columns.filter(column => column.width === 'flex').length;
    const element = (list: readonly ContainerSummary[]) => (
      <ResourcePanel number={1} kind={counted as never} items={list as never[]} allItems={list as never[]} total={list.length} index={buildIndex(list)} filter="" isFocused width={100} height={height} theme={theme} isLoading={false} />
    );
    const items = Array.from({length: 1000}, (_, i) => fakeContainer(`c${String(i).padStart(4, '0')}`));
    const view = render(element(items));
    cleanup = () => view.unmount();
    calls.count = 0;
    // The event renamed the last container to something longer than any other name: it is measured, and widens NAME.
    const next = [...items.slice(0, -1), fakeContainer('c0999-renamed-to-a-much-longer-name')];
    view.rerender(element(next));
    expect(calls.count).toBeLessThanOrEqual(flex + height * columns);
    const header = (view.lastFrame() ?? '').split('\n')[1]!;
    expect(header.indexOf('STATE') - header.indexOf('NAME')).toBeGreaterThan('c0999-renamed-to-a-much'.length);
  });
});
