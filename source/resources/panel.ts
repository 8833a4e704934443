// A panel as one entry: the kind of resource it lists, where its items come from, its actions, and what
// the list's keys do with an item (details, inspect, copy, the container it is). `definePanel` seals the
// item type inside, so the app handles every panel alike, without casts: a new panel is one file with its
// PanelSpec and one line in panels.ts.
import type {EnginePort} from '../engine/port.js';
import type {ContainerDetails, ContainerSummary, NetworkSummary, VolumeSummary} from '../engine/types.js';
import type {ActionForm} from '../jobs/action-form.js';
import type {ResourceAction} from './actions.js';
import {bulkForm} from '../jobs/bulk-form.js';
import type {DetailSection, ResourceIndex, ResourceKind, SortOrder} from './kind.js';
import {panelRows} from './rows.js';

/** The lists panels take their items from (the mirror's snapshot is one). */
export type ResourceLists = {
  readonly containers: readonly ContainerSummary[];
  readonly networks: readonly NetworkSummary[];
  readonly volumes: readonly VolumeSummary[];
};

/** The container an item is, for the container commands (logs, a shell). */
export type ContainerRef = {readonly id: string; readonly name: string; readonly isRunning: boolean};

/** A panel, typed by its items (`T`) and its inspected documents (`D`). */
export type PanelSpec<T, D> = {
  readonly kind: ResourceKind<T, D>;
  readonly items: (lists: ResourceLists) => readonly T[];
  readonly actions: readonly ResourceAction<T>[];
  readonly name: (item: T) => string;
  /** Which engine object `i` shows as JSON. */
  readonly inspectTarget: 'container' | 'network' | 'volume';
  /** The document the details refine themselves with, while they are on screen; none when the list has it all. */
  readonly inspect?: (engine: EnginePort, key: string, signal: AbortSignal) => Promise<D>;
  /** What `y` copies (`isAddress` false: an ID) and `Y` (an address). */
  readonly copyText: (item: T, isAddress: boolean) => string | undefined;
  /** The container an item is, when it is one. */
  readonly container?: (item: T) => ContainerRef;
  /** The container an inspected document describes (the list's NET MODE column learns from it). */
  readonly inspectedContainer?: (document: D) => ContainerDetails;
};

/** The details of one item, refined by its inspected document. */
export type ItemDetails = {
  readonly key: string;
  readonly sections: (index: ResourceIndex) => readonly DetailSection[];
  readonly container?: ContainerDetails;
};

/** One row's item, with everything the keys do with it. */
export type PanelItem = {
  readonly key: string;
  readonly name: string;
  /** The list's entry itself, opaque: another one whenever the engine's item changed (details then load again). */
  readonly entry: unknown;
  readonly inspectTarget: PanelSpec<unknown, unknown>['inspectTarget'];
  readonly container?: ContainerRef;
  readonly copyText: (isAddress: boolean) => string | undefined;
  /** The details from the list alone. */
  readonly sections: (index: ResourceIndex) => readonly DetailSection[];
  /** The details with the inspected document, for panels that inspect. */
  readonly loadDetails: (engine: EnginePort, signal: AbortSignal) => Promise<ItemDetails | undefined>;
};

/** What an action key leads to: a wizard, or why not (in words the user can act on). */
export type ActionOutcome = {readonly form: ActionForm} | {readonly refusal: string};

/** A panel's drawing: its kind and rows, with the item type the caller's generic function receives. */
export type PanelTable<T> = {readonly kind: ResourceKind<T, never>; readonly items: readonly T[]; readonly allItems: readonly T[]};

/** A panel's rows after its filter and sort. */
export type PanelView = {
  readonly keys: readonly string[];
  readonly total: number;
  readonly item: (key: string | undefined) => PanelItem | undefined;
  /**
   * What action `command` does: on the `marked` rows when there are any (every one checked before anything
   * changes), else on `selected`; undefined when the panel has no such action.
   */
  readonly action: (command: string, selected: string | undefined, marked: ReadonlySet<string> | undefined, index: ResourceIndex) => ActionOutcome | undefined;
  /** Hands the rows to a drawing function, with their own item type. */
  readonly draw: <R>(draw: <T>(table: PanelTable<T>) => R) => R;
};

/** A panel with its item type sealed inside. */
export type Panel = {
  readonly id: ResourceKind<unknown, unknown>['id'];
  readonly title: string;
  readonly columnCount: number;
  readonly actions: readonly ResourceAction<never>[];
  readonly view: (lists: ResourceLists, index: ResourceIndex, filter: string, sort: SortOrder | undefined) => PanelView;
};

/** Seals a spec: everything that touches an item happens in here. */
export function definePanel<T, D>(spec: PanelSpec<T, D>): Panel {
  const {kind} = spec;
  const bind = (item: T): PanelItem => ({
    key: kind.key(item),
    name: spec.name(item),
    entry: item,
    inspectTarget: spec.inspectTarget,
    container: spec.container?.(item),
    copyText: isAddress => spec.copyText(item, isAddress),
    sections: index => kind.details(item, index),
    async loadDetails(engine, signal) {
      if (!spec.inspect) {
        return undefined;
      }

      const key = kind.key(item);
      const document = await spec.inspect(engine, key, signal);
      return {key, sections: index => kind.details(item, index, document), container: spec.inspectedContainer?.(document)};
    },
  });
  return {
    id: kind.id,
    title: kind.title,
    columnCount: kind.columns.length,
    actions: spec.actions,
    view(lists, index, filter, sort) {
      const allItems = spec.items(lists);
      const items = panelRows(kind, allItems, filter, sort, index);
      const keys = items.map(item => kind.key(item));
      const find = (key: string) => {
        const at = keys.indexOf(key);
        return at < 0 ? allItems.find(item => kind.key(item) === key) : items[at];
      };

      return {
        keys,
        total: allItems.length,
        item(key) {
          const found = key === undefined ? undefined : find(key);
          return found === undefined ? undefined : bind(found);
        },
        action(command, selected, marked, index) {
          const action = spec.actions.find(candidate => candidate.command === command);
          if (!action) {
            return undefined;
          }

          // Marked rows (Space): the action runs on each, asked once, checked for all before anything changes.
          if (marked && marked.size > 0) {
            if (!action.isBulk) {
              return {refusal: `"${action.label}" works on one row at a time; M clears the marks.`};
            }

            const targets = allItems.filter(item => marked.has(kind.key(item)));
            const refusals = targets.flatMap(item => action.unavailable?.(item, index) ?? []);
            return refusals.length > 0 ? {refusal: refusals.join(' ')} : {form: bulkForm(targets.map(item => action.form(item, index)), kind.id)};
          }

          const item = selected === undefined ? undefined : find(selected);
          if (item === undefined) {
            return action.needsItem === false ? {form: action.form(undefined, index)} : {refusal: 'Nothing is selected.'};
          }

          const reason = action.unavailable?.(item, index);
          return reason ? {refusal: reason} : {form: action.form(item, index)};
        },
        draw: draw => draw({kind, items, allItems}),
      };
    },
  };
}
