// The top line: which engine, its version, and the connection state.
import {Box, Text} from 'ink';
import React from 'react';
import {fit} from '../model/text.js';
import type {ConnectionStatus} from '../state/engine-mirror.js';
import type {Theme} from './theme.js';

/** Props of the header. */
export type HeaderProps = {readonly address: string; readonly context?: string; readonly connection: ConnectionStatus; readonly width: number; readonly theme: Theme; readonly isReadOnly: boolean};

/** One line naming the engine. */
export function Header({address, context, connection, width, theme, isReadOnly}: HeaderProps) {
  const info = connection.state === 'connected' ? connection.info : connection.state === 'failed' ? connection.info : undefined;
  // The API in use; the engine's own newest beside it when hawser speaks an older one (negotiated).
  const api = info && info.engineApiVersion && info.engineApiVersion !== info.apiVersion ? `API ${info.apiVersion} (engine ${info.engineApiVersion})` : `API ${info?.apiVersion}`;
  const engine = info ? `Engine ${info.version} · ${api}` : '';
  const state = connection.state === 'connected' ? '● live' : connection.state === 'connecting' ? '○ connecting…' : '✕ disconnected';
  const color = connection.state === 'connected' ? theme.good : connection.state === 'connecting' ? theme.warning : theme.error;
  const left = ` hawser · ${context ? `context ${context} · ` : ''}${address}${engine ? ` · ${engine}` : ''}${isReadOnly ? ' · READ-ONLY' : ''}`;
  // A space before the state too: a left part cut with '…' must not run into it ('API…● live').
  const right = ` ${state} `;
  return (
    <Box width={width}>
      <Text bold wrap="truncate">{fit(left, Math.max(0, width - right.length))}</Text>
      <Text color={color} bold>{right}</Text>
    </Box>
  );
}
