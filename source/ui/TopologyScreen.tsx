// The topology view: a scrollable, live picture of networks, members, shared namespaces and links.
import {Box, Text} from 'ink';
import React, {useEffect, useMemo, useState} from 'react';
import type {EnginePort} from '../engine/port.js';
import {fit} from '../model/text.js';
import {topologyLines, type AliasMap} from '../resources/topology.js';
import type {MirrorSnapshot} from '../state/engine-mirror.js';
import {loadAliases} from '../state/topology-aliases.js';
import type {Theme} from './theme.js';
import {baseBindings, keyOf, type KeyBinding} from '../keys/key-table.js';

/** Props of the topology screen. */
export type TopologyScreenProps = {readonly engine: EnginePort; readonly snapshot: MirrorSnapshot; readonly width: number; readonly height: number; readonly scroll: number; readonly theme: Theme; readonly bindings?: readonly KeyBinding[]};

/** How many lines the topology has, for scrolling limits. */
export function topologyLength(snapshot: MirrorSnapshot): number {
  return topologyLines(snapshot.containers, snapshot.networks, snapshot.index).length;
}

/** Renders the topology from line `scroll` on. */
export function TopologyScreen({engine, snapshot, width, height, scroll, theme, bindings = baseBindings}: TopologyScreenProps) {
  const [aliases, setAliases] = useState<AliasMap>(new Map());
  useEffect(() => {
    const controller = new AbortController();
    // Re-read aliases after the containers settle, not on every event of a burst.
    const timer = setTimeout(() => {
      loadAliases(engine, snapshot.containers, controller.signal).then(result => !controller.signal.aborted && setAliases(result), () => undefined);
    }, 150);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [engine, snapshot.containers]);
  const lines = useMemo(() => topologyLines(snapshot.containers, snapshot.networks, snapshot.index, aliases), [snapshot, aliases]);
  const visible = lines.slice(scroll, scroll + height - 1);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse={!theme.titleBackground} backgroundColor={theme.titleBackground} color={theme.titleForeground}>{fit(` Topology: networks, members, shared namespaces, links (${keyOf(bindings, 'topology', 'down')}/${keyOf(bindings, 'topology', 'up')} scroll, ${keyOf(bindings, 'topology', 'back')} closes)${lines.length > height - 1 ? `  ${scroll + 1}-${Math.min(lines.length, scroll + height - 1)} of ${lines.length}` : ''}`, width)}</Text>
      {visible.map((line, i) => {
        const color = line.tone === 'title' ? theme.accent : line.tone === 'warning' ? theme.warning : line.tone === 'dim' ? theme.dim : undefined;
        return <Text key={`${scroll + i}`} bold={line.tone === 'title'} color={color} dimColor={line.tone === 'dim' && !theme.dim} wrap="truncate">{fit(line.text || ' ', width)}</Text>;
      })}
    </Box>
  );
}
