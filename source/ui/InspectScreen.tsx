// Inspect as JSON: the engine's own document for the selected item, scrollable, secrets masked.
import React, {useEffect, useMemo, useState} from 'react';
import type {EnginePort} from '../engine/port.js';
import {baseBindings, keyOf, type KeyBinding} from '../keys/key-table.js';
import {inspectLines} from '../resources/inspect-text.js';
import {TextView, textRows} from './TextView.js';
import type {Theme} from './theme.js';
import {scrollCommands, useCommands} from './use-commands.js';

/** Props of the inspect view. */
export type InspectScreenProps = {
  readonly engine: EnginePort;
  readonly kind: 'container' | 'network' | 'volume';
  readonly id: string;
  readonly name: string;
  readonly isRevealed: boolean;
  readonly width: number;
  readonly height: number;
  readonly theme: Theme;
  readonly onClose: () => void;
  /** The key table, with the user's overrides. */
  readonly bindings?: readonly KeyBinding[];
};

/** The view. */
export function InspectScreen({engine, kind, id, name, isRevealed, width, height, theme, onClose, bindings = baseBindings}: InspectScreenProps) {
  const [document, setDocument] = useState<unknown>();
  const [error, setError] = useState<string>();
  const [scroll, setScroll] = useState(0);
  const [isShown, setIsShown] = useState(isRevealed);
  useEffect(() => {
    const controller = new AbortController();
    engine.inspectRaw(kind, id, {signal: controller.signal}).then(setDocument, (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)));
    return () => controller.abort();
  }, [engine, kind, id]);
  const lines = useMemo(() => (document === undefined ? [] : inspectLines(document, isShown)), [document, isShown]);
  const page = textRows(height, false);
  useCommands(bindings, ['inspect'], {
    back: onClose,
    inspect: onClose,
    revealSecrets: () => setIsShown(value => !value),
    ...scrollCommands(scroll, lines.length, page, setScroll),
  });
  const shown = error ? [{text: `Could not inspect ${name}: ${error}`, tone: 'warning' as const}] : document === undefined ? [{text: 'loading…', tone: 'dim' as const}] : lines.map(text => ({text}));
  const masked = isShown ? '' : `, secrets masked: ${keyOf(bindings, 'inspect', 'revealSecrets')} reveals`;
  return <TextView title={`Inspect ${kind} ${name} (JSON${masked}; ${keyOf(bindings, 'inspect', 'back')} closes)`} lines={shown} width={width} height={height} scroll={scroll} theme={theme} />;
}
