// Shown instead of the panels while the engine cannot be reached and nothing was loaded yet.
import {Box, Text} from 'ink';
import React, {useEffect, useState} from 'react';
import type {ConnectionStatus} from '../state/engine-mirror.js';
import type {Theme} from './theme.js';
import {baseBindings, keyOf, type KeyBinding} from '../keys/key-table.js';

/** Props of the connection screen. */
export type ConnectionScreenProps = {readonly address: string; readonly origin: string; readonly connection: ConnectionStatus; readonly width: number; readonly theme: Theme; readonly bindings?: readonly KeyBinding[]};

/** Says which address was tried, why it failed, what to do, and when the next try is. */
export function ConnectionScreen({address, origin, connection, width, theme, bindings = baseBindings}: ConnectionScreenProps) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (connection.state !== 'failed') {
      return;
    }

    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [connection]);

  if (connection.state !== 'failed') {
    return (
      <Box flexDirection="column" paddingX={1} paddingY={1} width={width}>
        <Text>Connecting to {address} ({origin})…</Text>
      </Box>
    );
  }

  const seconds = Math.max(0, Math.ceil((connection.retryAt - now) / 1000));
  return (
    <Box flexDirection="column" paddingX={1} paddingY={1} width={width}>
      <Text bold color={theme.error}>Cannot reach the Docker engine at {address}</Text>
      <Text color={theme.dim} dimColor={!theme.dim}>(chosen by {origin})</Text>
      <Text> </Text>
      <Text>{connection.message}</Text>
      {connection.hint ? <Text color={theme.warning}>{connection.hint}</Text> : null}
      <Text> </Text>
      <Text color={theme.dim} dimColor={!theme.dim}>{seconds > 0 ? `Retrying in ${seconds} s — ${keyOf(bindings, 'global', 'retry')} retries now, ${keyOf(bindings, 'global', 'palette')} switches to another docker context, ${keyOf(bindings, 'global', 'quit')} quits.` : 'Retrying…'}</Text>
    </Box>
  );
}
