// The root component, as composition: the engine's mirror (use-engine-sync), the UI state (a reducer),
// the panels (the registry in resources/panels.ts), the controllers that give each key its meaning
// (app/controllers.ts), and the screen: the lists, or what covers them.
import {Box, useApp, type Key} from 'ink';
import React, {useEffect, useMemo, useReducer, useRef, useState} from 'react';
import type {EnginePort} from '../engine/port.js';
import type {ActionForm} from '../jobs/action-form.js';
import type {KeyBinding} from '../keys/key-table.js';
import {normalizeKey, typedText} from '../keys/normalize.js';
import {panelIds, perPanel, type PanelId} from '../model/panel-ids.js';
import {initialUiState, uiReducer} from '../state/ui-state.js';
import type {ActionFlowProps} from './action-flow/ActionFlow.js';
import {controllerFor, paletteCommands, type ControllerContext} from './app/controllers.js';
import {CoverScreen} from './app/CoverScreen.js';
import {Lists} from './app/Lists.js';
import {panelHeights} from './app/panel-heights.js';
import {useEngineSync, type EngineSyncOptions} from './app/use-engine-sync.js';
import {useKeyBindings} from './app/use-key-bindings.js';
import {usePanelViews} from './app/use-panel-views.js';
import {useShell} from './app/use-shell.js';
import {useStartUpOffers} from './app/use-start-up-offers.js';
import {ConnectionScreen} from './ConnectionScreen.js';
import {detailLines} from './DetailsPane.js';
import {Header} from './Header.js';
import {helpLines} from './HelpScreen.js';
import {KeyBar} from './KeyBar.js';
import {KeyRoot} from './key-root.js';
import {mouseOff, mouseOn, parseMouse, rowAt, type MouseEvent} from './mouse.js';
import {themeFor} from './theme.js';
import {topologyLength} from './TopologyScreen.js';
import {runCommand} from './use-commands.js';
import {useDetails} from './use-details.js';
import {useForwardingBanner} from './use-forwarding-banner.js';
import {useTerminalSize} from './use-terminal-size.js';

/** Props of the app. */
export type AppProps = EngineSyncOptions & {
  readonly engine: EnginePort;
  /** How the engine was chosen ("--host", "DOCKER_HOST", "context prod"...), for error messages. */
  readonly origin: string;
  /** The docker context in use, when one was chosen: the header names it. */
  readonly context?: string;
  readonly isReadOnly?: boolean;
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

/** Covers that are full-screen views with keys of their own (the lists' keys wait). */
const viewCovers = new Set(['palette', 'logs', 'inspect', 'flow', 'shell']);

/** Keys that move in a list; never typed into the filter. */
const movingKeys = new Set(['up', 'down', 'left', 'right', 'tab', 'shift+tab', 'pageup', 'pagedown', 'home', 'end']);

/** The hawser TUI. */
export function App({engine, origin, context: contextName, isReadOnly = false, keyOverrides = {}, configProblems = [], contexts = [], onSwitchContext, isMouseOn = false, ...syncProps}: AppProps) {
  const {exit} = useApp();
  const {snapshot, sync} = useEngineSync(engine, syncProps);
  const [ui, dispatch] = useReducer(uiReducer, initialUiState);
  const [filterDraft, setFilterDraft] = useState('');
  const {columns, rows} = useTerminalSize();
  const theme = useMemo(() => themeFor(), []);
  const {bindings, problems} = useKeyBindings(keyOverrides, configProblems, isReadOnly, dispatch);
  useStartUpOffers(engine, snapshot, isReadOnly, dispatch);
  const connectedSince = snapshot.connection.state === 'connected' ? snapshot.connection.info.systemTime : undefined;
  const forwarding = useForwardingBanner(engine, connectedSince);
  const offsets = useRef(perPanel(() => 0));
  const {cover} = ui;
  useShell(engine, cover, {columns, rows}, dispatch);

  const isWide = columns >= 120;
  const listWidth = isWide ? Math.floor(columns * 0.58) : columns;
  const detailsWidth = columns - listWidth - 1;
  const bodyHeight = Math.max(3, rows - 2);

  const {shown, focused} = usePanelViews(snapshot, ui, filterDraft);
  const isDetailsShown = isWide || cover.kind === 'details';
  const inspected = useDetails(engine, isDetailsShown ? focused.selected : undefined);
  // The details' inspect can tell the NET MODE column what the list cannot (a live switch's marker).
  useEffect(() => {
    if (inspected?.container) {
      sync?.noteInspected(inspected.container);
    }
  }, [inspected]);
  const sections = useMemo(() => (inspected ? inspected.sections(snapshot.index) : focused.selected?.sections(snapshot.index) ?? []), [focused.selected, snapshot.index, inspected]);

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

  const heights = panelHeights(bodyHeight - 6, ui.focus, perPanel(panel => shown.find(entry => entry.id === panel)?.view.keys.length ?? 0));
  const scrollMax = (cover.kind === 'help' ? helpLines(bindings, problems, columns).length : cover.kind === 'topology' ? topologyLength(snapshot) : detailLines(sections, detailsWidth, ui.isSecretsRevealed).length) - (bodyHeight - 1);
  const context: ControllerContext = {
    ui, dispatch, snapshot, bindings, shown, focused, sync, isReadOnly, exit, scrollMax,
    pageRows: Math.max(1, heights[ui.focus] - 1),
    pageLines: bodyHeight - 2,
    startFilter: () => {
      setFilterDraft(ui.panels[ui.focus].filter);
      dispatch({type: 'cover', cover: {kind: 'filter'}});
    },
  };
  const controller = controllerFor(context, filterDraft);
  const isViewOpen = viewCovers.has(cover.kind);

  // Every key comes in through one root, for the app's whole life (key-root.tsx): the lists' keys here,
  // then an open view's own (useCommands in each view).
  const onKey = (input: string, inkKey: Key) => {
    if (isViewOpen) {
      return;
    }

    const mouse = isMouseOn ? parseMouse(input) : undefined;
    const key = normalizeKey(input, inkKey);
    if (mouse) {
      onMouse(mouse);
    } else if (key === 'ctrl+c') {
      exit();
    } else if (!runCommand(bindings, controller.layers, controller.handlers, key) && cover.kind === 'filter') {
      const text = typedText(input, inkKey);
      if (key === 'backspace') {
        setFilterDraft(draft => draft.slice(0, -1));
      } else if (text && !movingKeys.has(key)) {
        setFilterDraft(draft => draft + text);
      }
    }
  };

  /** A click selects the row under the pointer (and focuses its panel); the wheel moves the selection. */
  function onMouse(mouse: MouseEvent): void {
    if (cover.kind !== 'none' || (isWide && mouse.column > listWidth)) {
      return;
    }

    const hit = rowAt(mouse.row, panelIds.map(id => ({id, height: heights[id]})));
    const panelId = (hit?.id ?? ui.focus) as PanelId;
    const target = shown.find(entry => entry.id === panelId)!;
    if (mouse.kind === 'click') {
      dispatch({type: 'focus', panel: panelId});
      const key = hit?.row === undefined ? undefined : target.view.keys[offsets.current[panelId] + hit.row];
      if (key !== undefined) {
        dispatch({type: 'select', panel: panelId, key});
      }
    } else {
      dispatch({type: 'move', panel: panelId, delta: mouse.kind === 'wheelUp' ? -3 : 3, keys: target.view.keys});
    }
  }

  // Mouse reports only while the lists are shown: a wizard's text field must not receive them.
  useEffect(() => {
    if (!isMouseOn || isViewOpen) {
      return;
    }

    process.stdout.write(mouseOn);
    return () => {
      process.stdout.write(mouseOff);
    };
  }, [isMouseOn, isViewOpen]);

  const close = () => dispatch({type: 'cover', cover: {kind: 'none'}});
  const onFlowClose = (form: ActionForm, result: Parameters<ActionFlowProps['onClose']>[0]) => {
    if (result.hasRun) {
      // The engine sends no event for some of what a job changes (a network connected to a created container).
      sync?.refreshAfterAction();
      if (form.refreshes?.includes('forwarding')) {
        forwarding.recheck();
      }
    }

    dispatch({type: 'cover', cover: result.next ? {kind: 'flow', form: result.next} : {kind: 'none'}});
    dispatch({type: 'flash', text: result.message, tone: result.outcome === 'done' ? 'good' : result.outcome === 'failed' ? 'error' : 'info'});
  };

  const paletteExtras = onSwitchContext ? contexts.map(name => ({name: `context ${name}`, description: `switch to the docker context ${name}`, onRun: () => {
    close();
    onSwitchContext(name);
  }})) : [];
  const onPaletteRun = (binding: KeyBinding) => {
    close();
    paletteCommands(context)[binding.command]?.(binding.keys[0] ?? '', binding);
  };

  // Inactive while a shell has the terminal, so Ink lets go of stdin and raw mode.
  const rooted = (tree: React.ReactNode) => <KeyRoot isActive={cover.kind !== 'shell'} onKey={onKey}>{tree}</KeyRoot>;
  if (cover.kind === 'shell') {
    return rooted(null);
  }

  const header = <Header address={engine.address} context={contextName} connection={snapshot.connection} width={columns} theme={theme} isReadOnly={isReadOnly} />;
  const keyBar = isViewOpen ? <Box height={1} /> : <KeyBar bindings={bindings} layers={controller.layers} width={columns} theme={theme} filterInput={cover.kind === 'filter' ? filterDraft : undefined} flash={ui.flash} />;
  // The filter line and (on a wide terminal) the details leave the lists on screen.
  const isCovered = cover.kind !== 'none' && cover.kind !== 'filter' && !(cover.kind === 'details' && isWide);
  const covering = !isCovered ? null : (
    <CoverScreen cover={cover} ui={ui} engine={engine} snapshot={snapshot} bindings={bindings} problems={problems} sections={sections} width={columns} height={bodyHeight} theme={theme} paletteExtras={paletteExtras} onPaletteRun={onPaletteRun} onFlowClose={onFlowClose} onClose={close} />
  );

  // The palette works before anything loaded: switching to another context is the way out of a dead engine.
  if (!snapshot.hasLoaded && cover.kind !== 'palette') {
    return rooted(
      <Box flexDirection="column" width={columns} height={rows}>
        {header}
        <Box flexGrow={1}><ConnectionScreen address={engine.address} origin={origin} connection={snapshot.connection} width={columns} theme={theme} bindings={bindings} /></Box>
        {keyBar}
      </Box>
    );
  }

  const body = covering ?? (
    <Lists shown={shown} ui={ui} index={snapshot.index} isLoading={!snapshot.hasLoaded} heights={heights} listWidth={listWidth} detailsWidth={isWide ? detailsWidth : undefined} bodyHeight={bodyHeight} sections={sections} bindings={bindings} theme={theme} onOffset={(panel, offset) => {
      offsets.current[panel] = offset;
    }} />
  );
  const forwardingText = forwarding.banner
    ? `⚠ IPv4 forwarding is disabled: containers cannot reach beyond this host. ${forwarding.banner.canFix && !isReadOnly ? 'F turns it on.' : forwarding.banner.advice[0] ?? ''}`
    : undefined;
  const bannerText = snapshot.connection.state === 'failed' ? `${snapshot.connection.message} Reconnecting… (r retries now)` : isViewOpen ? undefined : forwardingText;
  const banner = bannerText ? <KeyBar bindings={[]} layers={[]} width={columns} theme={theme} flash={{text: bannerText, tone: 'error'}} /> : null;

  return rooted(
    <Box flexDirection="column" width={columns} height={rows}>
      {header}
      <Box flexDirection="column" height={bodyHeight - (banner ? 1 : 0)} overflowY="hidden">{body}</Box>
      {banner}
      {keyBar}
    </Box>
  );
}
