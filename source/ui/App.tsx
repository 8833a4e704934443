// The root component: the mirror of the engine, the UI state, the layout and the key dispatch.
import {Box, useApp, useInput} from 'ink';
import React, {useEffect, useMemo, useReducer, useRef, useState, useSyncExternalStore} from 'react';
import type {EnginePort} from '../engine/port.js';
import type {ActionForm} from '../jobs/action-form.js';
import {applyKeyOverrides, baseBindings, commandFor, keyClashes, keyOf, withoutDangerous, type KeyBinding, type KeyLayer} from '../keys/key-table.js';
import {normalizeKey, typedText} from '../keys/normalize.js';
import {bulkForm} from '../jobs/bulk-form.js';
import {fixForwardingForm} from '../jobs/forwarding/forms.js';
import {isEmptyLeftovers, leftoversIn, removeLeftoversForm} from '../jobs/leftover-helpers.js';
import {pendingOperations, recoverForm} from '../jobs/pending-operations.js';
import {actionBindings, containerActions, globalActions, networkActions, volumeActions, type ResourceAction} from '../resources/actions.js';
import type {DetailSection} from '../resources/kind.js';
import type {ContainerDetails, ContainerSummary, NetworkSummary, VolumeSummary} from '../engine/types.js';
import {EngineMirror} from '../state/engine-mirror.js';
import {startLiveSync, type LiveSync, type LiveSyncOptions} from '../state/live-sync.js';
import {filterItems, panelData, sortItems} from '../state/selectors.js';
import {initialUiState, panelOrder, uiReducer, type PanelId} from '../state/ui-state.js';
import {ActionFlow} from './action-flow/ActionFlow.js';
import {copyToClipboard} from './clipboard.js';
import {CommandPalette} from './CommandPalette.js';
import {InspectScreen} from './InspectScreen.js';
import {LogsScreen} from './LogsScreen.js';
import {mouseOff, mouseOn, parseMouse, rowAt, type MouseEvent} from './mouse.js';
import {bracketedPasteOff, bracketedPasteOn, enterAlternateScreen, leaveAlternateScreen} from './screen.js';
import {ConnectionScreen} from './ConnectionScreen.js';
import {DetailsPane, detailLines} from './DetailsPane.js';
import {Header} from './Header.js';
import {HelpScreen, helpLines} from './HelpScreen.js';
import {KeyBar} from './KeyBar.js';
import {ResourcePanel} from './ResourcePanel.js';
import {TopologyScreen, topologyLength} from './TopologyScreen.js';
import {themeFor} from './theme.js';
import {useDetails} from './use-details.js';
import {KeyRoot} from './key-root.js';
import {useForwardingBanner} from './use-forwarding-banner.js';
import {useTerminalSize} from './use-terminal-size.js';

const fixForwardingTitle = fixForwardingForm.title;

/** What covers the whole body and takes every key while it is open. */
type Modal =
  | {readonly kind: 'flow'; readonly form: ActionForm; readonly serial: number}
  | {readonly kind: 'logs'; readonly id: string; readonly name: string}
  | {readonly kind: 'inspect'; readonly target: 'container' | 'network' | 'volume'; readonly id: string; readonly name: string}
  | {readonly kind: 'palette'}
  | {readonly kind: 'shell'; readonly id: string; readonly name: string};

/** Props of the app. */
export type AppProps = {
  readonly engine: EnginePort;
  /** How the engine was chosen ("--host", "DOCKER_HOST", "context prod"...), for error messages. */
  readonly origin: string;
  readonly isReadOnly?: boolean;
  readonly syncOptions?: LiveSyncOptions;
  /** Exposes the mirror (tests, bench). */
  readonly onMirror?: (mirror: EngineMirror) => void;
  /** A mirror the entry point already started filling, with its sync; otherwise the app starts its own. */
  readonly mirror?: EngineMirror;
  readonly sync?: LiveSync;
  /** Key bindings from the config file: command → keys. */
  readonly keyOverrides?: Readonly<Record<string, readonly string[]>>;
  /** Problems in the config file, shown once at start. */
  readonly configProblems?: readonly string[];
  /** Docker contexts offered in the palette (`:context NAME`). */
  readonly contexts?: readonly string[];
  readonly onSwitchContext?: (name: string) => void;
  /** Mouse reporting (config `mouse: true`): click selects, the wheel moves. */
  readonly isMouseOn?: boolean;
};

/**
 * Splits the item rows among the three stacked panels: each gets what it needs up to a small share,
 * the focused one gets the rest, and rows no panel needs go to whoever has more items.
 */
export function panelHeights(available: number, focus: PanelId, counts: Readonly<Record<PanelId, number>>): Record<PanelId, number> {
  const small = Math.max(1, Math.min(5, Math.floor(available * 0.15)));
  const heights = {containers: 1, networks: 1, volumes: 1};
  let left = available;
  for (const id of panelOrder) {
    if (id !== focus) {
      heights[id] = Math.max(1, Math.min(small, counts[id]));
      left -= heights[id];
    }
  }

  heights[focus] = Math.max(1, Math.min(left, Math.max(counts[focus], 1)));
  left -= heights[focus];
  for (const id of panelOrder) {
    if (left <= 0) {
      break;
    }

    const more = Math.min(left, Math.max(0, counts[id] - heights[id]));
    heights[id] += more;
    left -= more;
  }

  heights[focus] += Math.max(0, left);
  return heights;
}

/** What `y` and `Y` copy: the ID (a volume's name), or the address (a network's subnet). */
function copyText(panel: PanelId, item: unknown, isAddress: boolean): string | undefined {
  if (panel === 'containers') {
    const container = item as ContainerSummary;
    return isAddress ? container.networks.find(n => n.ipv4)?.ipv4 : container.id;
  }

  if (panel === 'networks') {
    const network = item as NetworkSummary;
    return isAddress ? network.ipam[0]?.subnet : network.id;
  }

  const volume = item as VolumeSummary;
  return isAddress ? volume.mountpoint : volume.name;
}

// Each wizard shown gets its own number, its React key: a follow-up form (a fix chosen on a result screen) mounts a
// fresh wizard instead of reusing the last one's state.
let nextFlowSerial = 0;
const flowModal = (form: ActionForm): Modal => ({kind: 'flow', form, serial: nextFlowSerial++});

/** The hawser TUI. */
export function App({engine, origin, isReadOnly = false, syncOptions, onMirror, mirror: givenMirror, sync: givenSync, keyOverrides = {}, configProblems = [], contexts = [], onSwitchContext, isMouseOn = false}: AppProps) {
  const {exit} = useApp();
  const mirror = useMemo(() => givenMirror ?? new EngineMirror(), [givenMirror]);
  const [sync, setSync] = useState<LiveSync | undefined>(givenSync);
  useEffect(() => {
    onMirror?.(mirror);
    if (givenSync) {
      return () => givenSync.stop();
    }

    const started = startLiveSync(engine, mirror, syncOptions);
    setSync(started);
    return () => started.stop();
  }, [engine, mirror]);

  const snapshot = useSyncExternalStore(mirror.subscribe, mirror.snapshot);
  const [ui, dispatch] = useReducer(uiReducer, initialUiState);
  const [filterDraft, setFilterDraft] = useState('');
  const {columns, rows} = useTerminalSize();
  const theme = useMemo(() => themeFor(), []);
  const {bindings, allConfigProblems} = useMemo(() => {
    const {bindings: all, unknown, fixed} = applyKeyOverrides([...baseBindings, ...actionBindings()], keyOverrides);
    const problems = [
      ...configProblems,
      ...unknown.map(command => `Unknown command "${command}" in the config's keys; the help screen (?) names each command in brackets.`),
      ...fixed.map(command => `"${command}" in the config's keys cannot be rebound: the question's input reads that key itself (marked (fixed) in help); its keys stay as they are.`),
      ...keyClashes(all, keyOverrides),
    ];
    return {bindings: isReadOnly ? withoutDangerous(all) : all, allConfigProblems: problems};
  }, [isReadOnly, keyOverrides, configProblems]);
  useEffect(() => {
    if (allConfigProblems.length > 0) {
      // One problem fits the bottom line; several are listed at the top of the help screen.
      dispatch({type: 'flash', text: allConfigProblems.length === 1 ? `Config: ${allConfigProblems[0]}` : `Config: ${allConfigProblems.length} problems; the help screen (?) lists them.`, tone: 'error'});
    }
  }, []);
  const [modal, setModal] = useState<Modal>();
  const offsets = useRef<Record<PanelId, number>>({containers: 0, networks: 0, volumes: 0});
  const setFlow = (form: ActionForm | undefined) => setModal(form ? flowModal(form) : undefined);
  const connectedSince = snapshot.connection.state === 'connected' ? snapshot.connection.info.systemTime : undefined;
  // An operation an earlier hawser left half-done (killed mid-recreate): offer to roll it back or finish it first.
  useEffect(() => {
    if (!snapshot.hasLoaded || isReadOnly) {
      return;
    }

    const [pending] = pendingOperations(engine);
    if (pending) {
      setModal(flowModal(recoverForm(pending)));
      return;
    }

    // Helpers or half-filled volumes of a hawser run that died: offer to clean them up (from the lists just loaded).
    const leftovers = leftoversIn(snapshot.containers, snapshot.volumes);
    if (!isEmptyLeftovers(leftovers)) {
      setModal(current => current ?? flowModal(removeLeftoversForm(leftovers)));
    }
  }, [snapshot.hasLoaded]);
  const forwarding = useForwardingBanner(engine, connectedSince);

  const isWide = columns >= 120;
  const listWidth = isWide ? Math.floor(columns * 0.58) : columns;
  const detailsWidth = columns - listWidth - 1;
  const bodyHeight = Math.max(3, rows - 2);

  // Each panel's rows after the filter, and its selection (the first row until the user moves).
  const panels = useMemo(() => panelOrder.map(id => {
    const data = panelData(snapshot, id);
    const filter = ui.overlay === 'filter' && ui.focus === id ? filterDraft : ui.panels[id].filter;
    const filtered = filterItems(data.kind as never, data.items as never[], filter, snapshot.index);
    const items = sortItems(data.kind as never, filtered, ui.panels[id].sort, snapshot.index) as typeof data.items;
    const keys = (items as readonly unknown[]).map(item => data.kind.key(item as never));
    const wanted = ui.panels[id].selectedKey;
    const selectedKey = wanted !== undefined && keys.includes(wanted) ? wanted : keys[0];
    return {id, data, items, keys, filter, selectedKey};
  }), [snapshot, ui.panels, ui.overlay, ui.focus, filterDraft]);
  const focused = panels.find(panel => panel.id === ui.focus)!;
  const selectedItem = focused.selectedKey === undefined ? undefined : (focused.items as readonly unknown[])[focused.keys.indexOf(focused.selectedKey)];

  const isDetailsShown = isWide || ui.overlay === 'details';
  const inspected = useDetails(engine, ui.focus, isDetailsShown ? focused.selectedKey : undefined, selectedItem);
  // The details' inspect can tell the NET MODE column what the list cannot (a live switch's marker).
  useEffect(() => {
    if (ui.focus === 'containers' && inspected !== undefined) {
      sync?.noteInspected(inspected as ContainerDetails);
    }
  }, [inspected]);
  const sections: readonly DetailSection[] = useMemo(
    () => (selectedItem === undefined ? [] : focused.data.kind.details(selectedItem as never, snapshot.index, inspected as never)),
    [selectedItem, focused.data.kind, snapshot.index, inspected],
  );

  useEffect(() => {
    if (ui.focus === 'volumes' && snapshot.hasLoaded) {
      void sync?.loadVolumeUsage();
    }
  }, [ui.focus, sync, snapshot.hasLoaded]);

  useEffect(() => {
    if (!ui.flash) {
      return;
    }

    const timer = setTimeout(() => dispatch({type: 'clearFlash'}), 6000);
    return () => clearTimeout(timer);
  }, [ui.flash]);

  const layers: KeyLayer[] = !snapshot.hasLoaded ? ['global'] : ui.overlay === 'help' ? ['help'] : ui.overlay === 'details' ? ['details', 'global'] : ui.overlay === 'topology' ? ['topology'] : ui.overlay === 'filter' ? ['filter'] : ['list', ui.focus, 'global'];
  const counts = {containers: panels[0]!.items.length, networks: panels[1]!.items.length, volumes: panels[2]!.items.length};
  const heights = panelHeights(bodyHeight - 6, ui.focus, counts);
  const pageRows = Math.max(1, heights[ui.focus] - 1);
  const detailsMax = detailLines(sections, detailsWidth, ui.isSecretsRevealed).length - (bodyHeight - 1);

  const onKey = (input: string, inkKey: Parameters<Parameters<typeof useInput>[0]>[1]) => {
    const key = normalizeKey(input, inkKey);
    if (modal) {
      return;
    }

    const mouse = isMouseOn ? parseMouse(input) : undefined;
    if (mouse) {
      onMouse(mouse);
      return;
    }

    if (key === 'ctrl+c') {
      exit();
      return;
    }

    if (ui.overlay === 'filter') {
      const command = commandFor(bindings, ['filter'], key)?.command;
      // The row the filter led to stays selected when the filter is kept or cleared (the first row is only a default).
      if ((command === 'filterAccept' || command === 'filterCancel') && focused.selectedKey !== undefined) {
        dispatch({type: 'select', panel: ui.focus, key: focused.selectedKey});
      }

      if (command === 'filterAccept') {
        dispatch({type: 'setFilter', panel: ui.focus, filter: filterDraft});
        dispatch({type: 'overlay', overlay: 'none'});
      } else if (command === 'filterCancel') {
        dispatch({type: 'setFilter', panel: ui.focus, filter: ''});
        dispatch({type: 'overlay', overlay: 'none'});
      } else if (key === 'backspace') {
        setFilterDraft(draft => draft.slice(0, -1));
      } else if (typedText(input, inkKey) && !['up', 'down', 'left', 'right', 'tab', 'shift+tab', 'pageup', 'pagedown', 'home', 'end'].includes(key)) {
        setFilterDraft(draft => draft + typedText(input, inkKey));
      }

      return;
    }

    const binding = commandFor(bindings, layers, key);
    if (binding) {
      runBinding(binding);
    }
  };

  /** A click selects the row under the pointer (and focuses its panel); the wheel moves the selection. */
  function onMouse(mouse: MouseEvent): void {
    if (ui.overlay !== 'none' || (isWide && mouse.column > listWidth)) {
      return;
    }

    const hit = rowAt(mouse.row, panelOrder.map(id => ({id, height: heights[id]})));
    const panelId = (hit?.id ?? ui.focus) as PanelId;
    const target = panels.find(panel => panel.id === panelId)!;
    if (mouse.kind === 'click') {
      dispatch({type: 'focus', panel: panelId});
      const key = hit?.row === undefined ? undefined : target.keys[offsets.current[panelId] + hit.row];
      if (key !== undefined) {
        dispatch({type: 'select', panel: panelId, key});
      }
    } else {
      dispatch({type: 'move', panel: panelId, delta: mouse.kind === 'wheelUp' ? -3 : 3, keys: target.keys});
    }
  }

  /** Runs a key table command: from a key, or from the palette (which may name another panel's action). */
  function runBinding(binding: KeyBinding): void {
    const isPanelAction = binding.layer === 'containers' || binding.layer === 'networks' || binding.layer === 'volumes';
    const panelId: PanelId = isPanelAction ? binding.layer as PanelId : ui.focus;
    if (panelId !== ui.focus) {
      dispatch({type: 'focus', panel: panelId});
    }

    const target = panels.find(panel => panel.id === panelId)!;
    const item = target.selectedKey === undefined ? undefined : (target.items as readonly unknown[])[target.keys.indexOf(target.selectedKey)];
    const select = (delta: number) => dispatch({type: 'move', panel: panelId, delta, keys: target.keys});
    const isScrolling = ui.overlay === 'details' || ui.overlay === 'help' || ui.overlay === 'topology';
    const scroll = (delta: number) => dispatch(ui.overlay === 'help'
      ? {type: 'scrollHelp', delta, max: helpLines(bindings, allConfigProblems, columns).length - (bodyHeight - 1)}
      : {type: 'scrollDetails', delta, max: ui.overlay === 'topology' ? topologyLength(snapshot) - (bodyHeight - 1) : detailsMax});
    switch (binding.command) {
      case 'quit': exit(); break;
      case 'help': dispatch({type: 'overlay', overlay: 'help'}); break;
      case 'topology': dispatch({type: 'overlay', overlay: 'topology'}); break;
      case 'focusNext': dispatch({type: 'focusStep', delta: 1}); break;
      case 'focusPrevious': dispatch({type: 'focusStep', delta: -1}); break;
      case 'focusContainers': dispatch({type: 'focus', panel: 'containers'}); break;
      case 'focusNetworks': dispatch({type: 'focus', panel: 'networks'}); break;
      case 'focusVolumes': dispatch({type: 'focus', panel: 'volumes'}); break;
      case 'filter': {
        setFilterDraft(ui.panels[ui.focus].filter);
        dispatch({type: 'overlay', overlay: 'filter'});
        break;
      }

      case 'revealSecrets': {
        dispatch({type: 'toggleSecrets'});
        dispatch({type: 'flash', text: ui.isSecretsRevealed ? 'Secret values masked.' : `Secret values revealed: ${keyOf(bindings, 'global', 'revealSecrets')} masks them again.`, tone: 'info'});
        break;
      }

      case 'retry': sync?.retryNow(); break;
      case 'down': if (isScrolling) scroll(1); else select(1); break;
      case 'up': if (isScrolling) scroll(-1); else select(-1); break;
      case 'top': if (isScrolling) scroll(-Number.MAX_SAFE_INTEGER); else select(-target.keys.length); break;
      case 'bottom': if (isScrolling) scroll(Number.MAX_SAFE_INTEGER); else select(target.keys.length); break;
      case 'pageDown': if (isScrolling) scroll(bodyHeight - 2); else select(pageRows); break;
      case 'pageUp': if (isScrolling) scroll(-(bodyHeight - 2)); else select(-pageRows); break;
      case 'details': {
        if (item !== undefined) {
          dispatch({type: 'overlay', overlay: 'details'});
        }

        break;
      }

      case 'back': {
        if (ui.overlay === 'none') {
          if (focused.selectedKey !== undefined) {
            dispatch({type: 'select', panel: ui.focus, key: focused.selectedKey});
          }

          dispatch({type: 'setFilter', panel: ui.focus, filter: ''});
        } else {
          dispatch({type: 'overlay', overlay: 'none'});
        }

        break;
      }

      case 'palette': setModal({kind: 'palette'}); break;
      case 'mark': {
        if (target.selectedKey !== undefined) {
          dispatch({type: 'toggleMark', panel: panelId, key: target.selectedKey});
          dispatch({type: 'move', panel: panelId, delta: 1, keys: target.keys});
        }

        break;
      }

      case 'clearMarks': dispatch({type: 'clearMarks', panel: panelId}); break;
      case 'sortNext': dispatch({type: 'sortNext', panel: panelId, columns: target.data.kind.columns.length, keys: target.keys}); break;
      case 'sortReverse': dispatch({type: 'sortReverse', panel: panelId, keys: target.keys}); break;
      case 'inspect': {
        if (item !== undefined) {
          const what = panelId === 'containers' ? 'container' : panelId === 'networks' ? 'network' : 'volume';
          setModal({kind: 'inspect', target: what, id: target.data.kind.key(item as never), name: (item as {name: string}).name});
        }

        break;
      }

      case 'copyId':
      case 'copyAddress': {
        if (item === undefined) break;
        const text = copyText(panelId, item, binding.command === 'copyAddress');
        if (text) {
          copyToClipboard(text);
          dispatch({type: 'flash', text: `Copied ${text} to the clipboard (OSC 52).`, tone: 'good'});
        } else {
          dispatch({type: 'flash', text: 'It has no address to copy.', tone: 'error'});
        }

        break;
      }

      case 'logs': {
        if (item !== undefined) setModal({kind: 'logs', id: (item as ContainerSummary).id, name: (item as ContainerSummary).name});
        break;
      }

      case 'shell': {
        if (isReadOnly) {
          dispatch({type: 'flash', text: 'Read-only mode: hawser changes nothing on this engine.', tone: 'error'});
        } else if (item !== undefined && (item as ContainerSummary).state !== 'running') {
          dispatch({type: 'flash', text: `${(item as ContainerSummary).name} is not running: start it first (${keyOf(bindings, 'containers', 'action:start')}).`, tone: 'error'});
        } else if (item !== undefined) {
          setModal({kind: 'shell', id: (item as ContainerSummary).id, name: (item as ContainerSummary).name});
        }

        break;
      }

      default: {
        if (binding.command.startsWith('action:')) {
          openAction(binding.command.slice('action:'.length), panelId, item);
        }

        break;
      }
    }
  }

  function openAction(command: string, panelId: PanelId, selectedItem: unknown): void {
    if (isReadOnly) {
      dispatch({type: 'flash', text: 'Read-only mode: hawser changes nothing on this engine.', tone: 'error'});
      return;
    }

    const global = globalActions.find(action => action.command === command);
    if (global) {
      setFlow(global.form(undefined, snapshot.index));
      return;
    }

    const table: Record<string, readonly ResourceAction<never>[]> = {containers: containerActions, networks: networkActions, volumes: volumeActions};
    const action = table[panelId]?.find(candidate => candidate.command === command);
    if (!action) {
      return;
    }

    // Marked rows (Space): the action runs on each, asked once, checked for all before anything changes.
    const marked = ui.panels[panelId].marked;
    if (marked && marked.size > 0) {
      if (!action.isBulk) {
        dispatch({type: 'flash', text: `"${action.label}" works on one row at a time; M clears the marks.`, tone: 'error'});
        return;
      }

      const target = panels.find(panel => panel.id === panelId)!;
      const items = (target.data.items as readonly unknown[]).filter(candidate => marked.has(target.data.kind.key(candidate as never)));
      const refusals = items.flatMap(candidate => action.unavailable?.(candidate as never, snapshot.index) ?? []);
      if (refusals.length > 0) {
        dispatch({type: 'flash', text: refusals.join(' '), tone: 'error'});
        return;
      }

      dispatch({type: 'clearMarks', panel: panelId});
      setFlow(bulkForm(items.map(candidate => action.form(candidate as never, snapshot.index)), panelId));
      return;
    }

    if (selectedItem === undefined && action.needsItem !== false) {
      dispatch({type: 'flash', text: 'Nothing is selected.', tone: 'error'});
      return;
    }

    const reason = selectedItem === undefined ? undefined : action.unavailable?.(selectedItem as never, snapshot.index);
    if (reason) {
      dispatch({type: 'flash', text: reason, tone: 'error'});
      return;
    }

    setFlow(action.form(selectedItem as never, snapshot.index));
  }

  // Mouse reports only while the lists are shown: a wizard's text field must not receive them.
  useEffect(() => {
    if (!isMouseOn || modal) {
      return;
    }

    process.stdout.write(mouseOn);
    return () => {
      process.stdout.write(mouseOff);
    };
  }, [isMouseOn, Boolean(modal)]);

  // Every key comes in through one root, for the app's whole life (key-root.tsx): the lists' keys here
  // first, then the open screen's. Inactive while a shell has the terminal, so Ink lets go of stdin and raw mode.
  const rooted = (tree: React.ReactNode) => <KeyRoot isActive={modal?.kind !== 'shell'} onKey={onKey}>{tree}</KeyRoot>;

  useEffect(() => {
    if (modal?.kind !== 'shell') {
      return;
    }

    const {stdout, stdin} = process;
    // Let Ink draw its last (empty) frame on the alternate screen before the terminal is handed over.
    const start = new Promise(resolve => setTimeout(resolve, 80)).then(async () => {
      stdout.write(`${bracketedPasteOff}${leaveAlternateScreen}hawser: a shell in ${modal.name}; exit it to come back.\n`);
      // bash when the image has it, else sh; no user input reaches this string.
      return engine.execInteractive(modal.id, ['sh', '-c', 'command -v bash >/dev/null 2>&1 && exec bash || exec sh'], {stdin, stdout, columns, rows});
    });
    start.then(
      code => dispatch({type: 'flash', text: `The shell in ${modal.name} exited${code ? ` with code ${code}` : ''}.`, tone: code ? 'error' : 'info'}),
      (error: unknown) => dispatch({type: 'flash', text: `No shell in ${modal.name}: ${error instanceof Error ? error.message : String(error)}`, tone: 'error'}),
    ).finally(() => {
      stdout.write(`${enterAlternateScreen}${bracketedPasteOn}`);
      setModal(undefined);
    });
  }, [modal]);

  const header = <Header address={engine.address} connection={snapshot.connection} width={columns} theme={theme} isReadOnly={isReadOnly} />;
  const keyBar = modal ? <Box height={1} /> : <KeyBar bindings={bindings} layers={layers} width={columns} theme={theme} filterInput={ui.overlay === 'filter' ? filterDraft : undefined} flash={ui.flash} />;

  // The palette works before anything loaded: switching to another context is the way out of a dead engine.
  if (!snapshot.hasLoaded && modal?.kind !== 'palette') {
    return rooted(
      <Box flexDirection="column" width={columns} height={rows}>
        {header}
        <Box flexGrow={1}><ConnectionScreen address={engine.address} origin={origin} connection={snapshot.connection} width={columns} theme={theme} bindings={bindings} /></Box>
        {keyBar}
      </Box>
    );
  }

  if (modal?.kind === 'shell') {
    return rooted(null);
  }

  const closeModal = () => setModal(undefined);
  let body: React.ReactNode;
  if (modal?.kind === 'palette') {
    const contextEntries = onSwitchContext ? contexts.map(name => ({name: `context ${name}`, description: `switch to the docker context ${name}`, onRun: () => {
      setModal(undefined);
      onSwitchContext(name);
    }})) : [];
    body = <CommandPalette bindings={bindings} extraEntries={contextEntries} width={columns} height={bodyHeight} theme={theme} onClose={closeModal} onRun={binding => {
      setModal(undefined);
      runBinding(binding);
    }} />;
  } else if (modal?.kind === 'logs') {
    body = <LogsScreen engine={engine} id={modal.id} name={modal.name} width={columns} height={bodyHeight} theme={theme} bindings={bindings} onClose={closeModal} />;
  } else if (modal?.kind === 'inspect') {
    body = <InspectScreen engine={engine} kind={modal.target} id={modal.id} name={modal.name} isRevealed={ui.isSecretsRevealed} width={columns} height={bodyHeight} theme={theme} bindings={bindings} onClose={closeModal} />;
  } else if (modal?.kind === 'flow') {
    const flow = modal.form;
    body = (
      <ActionFlow
        key={modal.serial}
        form={flow}
        engine={engine}
        width={columns}
        height={bodyHeight}
        theme={theme}
        bindings={bindings}
        onClose={result => {
          // The engine sends no event for some of what a job changes (a network connected to a created container).
          if (result.hasRun) {
            sync?.refreshAfterAction();
          }
          if (flow.title === fixForwardingTitle) {
            forwarding.recheck();
          }

          setFlow(result.next);
          dispatch({type: 'flash', text: result.message, tone: result.outcome === 'done' ? 'good' : result.outcome === 'failed' ? 'error' : 'info'});
        }}
      />
    );
  } else if (ui.overlay === 'topology') {
    body = <TopologyScreen engine={engine} snapshot={snapshot} width={columns} height={bodyHeight} scroll={ui.detailsScroll} theme={theme} bindings={bindings} />;
  } else if (ui.overlay === 'help') {
    body = <HelpScreen bindings={bindings} problems={allConfigProblems} width={columns} height={bodyHeight} scroll={ui.helpScroll} theme={theme} />;
  } else if (ui.overlay === 'details' && !isWide) {
    body = <DetailsPane sections={sections} width={columns} height={bodyHeight} scroll={ui.detailsScroll} isSecretsRevealed={ui.isSecretsRevealed} isFocused theme={theme} revealKey={keyOf(bindings, 'global', 'revealSecrets')} />;
  } else {
    const lists = (
      <Box flexDirection="column" width={listWidth}>
        {panels.map((panel, i) => (
          <ResourcePanel
            key={panel.id}
            number={i + 1}
            kind={panel.data.kind as never}
            items={panel.items as never[]}
            allItems={panel.data.items as never[]}
            total={panel.data.items.length}
            index={snapshot.index}
            selectedKey={panel.selectedKey}
            filter={panel.filter}
            sort={ui.panels[panel.id].sort}
            clearFilterKey={keyOf(bindings, 'list', 'back')}
            isFocused={ui.focus === panel.id && ui.overlay !== 'details'}
            width={listWidth}
            height={heights[panel.id]}
            theme={theme}
            isLoading={!snapshot.hasLoaded}
            marked={ui.panels[panel.id].marked}
            onOffset={offset => {
              offsets.current[panel.id] = offset;
            }}
          />
        ))}
      </Box>
    );
    body = isWide
      ? (
        <Box>
          {lists}
          <Box width={1} />
          <DetailsPane sections={sections} width={detailsWidth} height={bodyHeight} scroll={ui.detailsScroll} isSecretsRevealed={ui.isSecretsRevealed} isFocused={ui.overlay === 'details'} theme={theme} revealKey={keyOf(bindings, 'global', 'revealSecrets')} />
        </Box>
      )
      : lists;
  }

  const forwardingText = forwarding.banner
    ? `⚠ IPv4 forwarding is disabled: containers cannot reach beyond this host. ${forwarding.banner.canFix && !isReadOnly ? 'F turns it on.' : forwarding.banner.advice[0] ?? ''}`
    : undefined;
  const banner = snapshot.connection.state === 'failed'
    ? <KeyBar bindings={[]} layers={[]} width={columns} theme={theme} flash={{text: `${snapshot.connection.message} Reconnecting… (r retries now)`, tone: 'error'}} />
    : forwardingText && !modal
      ? <KeyBar bindings={[]} layers={[]} width={columns} theme={theme} flash={{text: forwardingText, tone: 'error'}} />
      : null;

  return rooted(
    <Box flexDirection="column" width={columns} height={rows}>
      {header}
      <Box flexDirection="column" height={bodyHeight - (banner ? 1 : 0)} overflowY="hidden">{body}</Box>
      {banner}
      {keyBar}
    </Box>
  );
}
