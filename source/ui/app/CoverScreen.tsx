// What covers the lists, drawn: a wizard, the logs, the JSON, the palette, help, the topology, or (on a
// narrow terminal) the details. Each takes the keys while it is open.
import React from 'react';
import type {EnginePort} from '../../engine/port.js';
import type {ActionForm} from '../../jobs/action-form.js';
import {keyOf, type KeyBinding} from '../../keys/key-table.js';
import type {DetailSection} from '../../resources/kind.js';
import type {MirrorSnapshot} from '../../state/engine-mirror.js';
import type {Cover, UiState} from '../../state/ui-state.js';
import {ActionFlow, type ActionFlowProps} from '../action-flow/ActionFlow.js';
import {CommandPalette} from '../CommandPalette.js';
import {DetailsPane} from '../DetailsPane.js';
import {HelpScreen} from '../HelpScreen.js';
import {InspectScreen} from '../InspectScreen.js';
import {LogsScreen} from '../LogsScreen.js';
import type {Theme} from '../theme.js';
import {TopologyScreen} from '../TopologyScreen.js';

/** Props of the cover. */
export type CoverScreenProps = {
  readonly cover: Cover;
  readonly ui: UiState;
  readonly engine: EnginePort;
  readonly snapshot: MirrorSnapshot;
  readonly bindings: readonly KeyBinding[];
  readonly problems: readonly string[];
  readonly sections: readonly DetailSection[];
  readonly width: number;
  readonly height: number;
  readonly theme: Theme;
  /** Entries of the palette that are not keys (docker contexts). */
  readonly paletteExtras: readonly {readonly name: string; readonly description: string; readonly onRun: () => void}[];
  readonly onPaletteRun: (binding: KeyBinding) => void;
  readonly onFlowClose: (form: ActionForm, result: Parameters<ActionFlowProps['onClose']>[0]) => void;
  readonly onClose: () => void;
};

/** The covering screen, or null when the lists show (the filter line and, on a wide terminal, the details leave them). */
export function CoverScreen({cover, ui, engine, snapshot, bindings, problems, sections, width, height, theme, paletteExtras, onPaletteRun, onFlowClose, onClose}: CoverScreenProps): React.ReactElement | null {
  switch (cover.kind) {
    case 'palette': return <CommandPalette bindings={bindings} extraEntries={paletteExtras} width={width} height={height} theme={theme} onClose={onClose} onRun={onPaletteRun} />;
    case 'logs': return <LogsScreen engine={engine} id={cover.id} name={cover.name} width={width} height={height} theme={theme} bindings={bindings} onClose={onClose} />;
    case 'inspect': return <InspectScreen engine={engine} kind={cover.target} id={cover.id} name={cover.name} isRevealed={ui.isSecretsRevealed} width={width} height={height} theme={theme} bindings={bindings} onClose={onClose} />;
    case 'flow': return <ActionFlow key={cover.serial} form={cover.form} engine={engine} width={width} height={height} theme={theme} bindings={bindings} onClose={result => onFlowClose(cover.form, result)} />;
    case 'topology': return <TopologyScreen engine={engine} snapshot={snapshot} width={width} height={height} scroll={ui.detailsScroll} theme={theme} bindings={bindings} />;
    case 'help': return <HelpScreen bindings={bindings} problems={problems} width={width} height={height} scroll={ui.helpScroll} theme={theme} />;
    case 'details': return <DetailsPane sections={sections} width={width} height={height} scroll={ui.detailsScroll} isSecretsRevealed={ui.isSecretsRevealed} isFocused theme={theme} revealKey={keyOf(bindings, 'global', 'revealSecrets')} />;
    default: return null;
  }
}
