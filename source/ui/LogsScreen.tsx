// A container's logs, followed live: stays at the bottom while following, / searches, n/N jump
// between matches, f pauses or resumes following (the keys are the key table's logs layers).
import React, {useEffect, useMemo, useState} from 'react';
import type {EnginePort} from '../engine/port.js';
import {baseBindings, displayKey, keyOf, type CommandId, type KeyBinding, type KeyLayer} from '../keys/key-table.js';
import {typedText} from '../keys/normalize.js';
import {TextView, textRows} from './TextView.js';
import type {Theme} from './theme.js';
import {scrollCommands, useCommands, type CommandHandlers} from './use-commands.js';

const maxLines = 5000;

/** Props of the logs view. */
export type LogsScreenProps = {
  readonly engine: EnginePort;
  readonly id: string;
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly theme: Theme;
  readonly onClose: () => void;
  /** The key table, with the user's overrides. */
  readonly bindings?: readonly KeyBinding[];
};

/** The view. */
export function LogsScreen({engine, id, name, width, height, theme, onClose, bindings = baseBindings}: LogsScreenProps) {
  const [lines, setLines] = useState<readonly string[]>([]);
  const [error, setError] = useState<string>();
  const [isFollowing, setIsFollowing] = useState(true);
  const [scroll, setScroll] = useState(0);
  const [query, setQuery] = useState('');
  const [draft, setDraft] = useState<string>();
  /** The line of the match last jumped to: n and N go on from it. */
  const [currentMatch, setCurrentMatch] = useState<number>();
  const page = textRows(height, true);

  useEffect(() => {
    const controller = new AbortController();
    let buffer: string[] = [];
    let timer: NodeJS.Timeout | undefined;
    // Lines arrive in bursts: draw at most every 50 ms.
    const flush = () => {
      timer = undefined;
      setLines(buffer.slice());
    };

    void (async () => {
      try {
        for await (const line of engine.followLogs(id, {signal: controller.signal, tail: 500})) {
          buffer.push(line);
          if (buffer.length > maxLines) buffer = buffer.slice(-maxLines);
          timer ??= setTimeout(flush, 50);
        }
      } catch (failure) {
        if (!controller.signal.aborted) setError(failure instanceof Error ? failure.message : String(failure));
      }
    })();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [engine, id]);

  const matches = useMemo(() => (query ? lines.flatMap((line, i) => (line.toLowerCase().includes(query.toLowerCase()) ? [i] : [])) : []), [lines, query]);
  const position = isFollowing ? Math.max(0, lines.length - page) : scroll;

  // Typing a search takes every key; a search shown adds its own keys (n/N, Esc clears) over the view's.
  const layers: KeyLayer[] = draft !== undefined ? ['logsPrompt'] : query ? ['logsMatches', 'logs'] : ['logs'];
  const jumpToMatch = (isNext: boolean) => {
    if (matches.length === 0) {
      return;
    }

    // From the match jumped to last (near the top or the end the view cannot center it), else from the view's middle.
    const from = currentMatch ?? position + Math.floor(page / 2);
    const next = isNext ? matches.find(i => i > from) ?? matches[0]! : [...matches].reverse().find(i => i < from) ?? matches.at(-1)!;
    setCurrentMatch(next);
    setIsFollowing(false);
    setScroll(Math.max(0, next - Math.floor(page / 2)));
  };

  const typing: CommandHandlers = {
    searchAccept: () => {
      const typed = draft ?? '';
      setQuery(typed);
      setDraft(undefined);
      const first = lines.findIndex(line => typed && line.toLowerCase().includes(typed.toLowerCase()));
      setCurrentMatch(first >= 0 ? first : undefined);
      if (first >= 0) {
        setIsFollowing(false);
        setScroll(Math.max(0, first - Math.floor(page / 2)));
      }
    },
    searchCancel: () => setDraft(undefined),
  };
  const viewing: CommandHandlers = {
    clearSearch: () => {
      setQuery('');
      setCurrentMatch(undefined);
    },
    back: onClose,
    search: () => setDraft(''),
    follow: () => {
      setIsFollowing(value => !value);
      setScroll(position);
    },
    nextMatch: () => jumpToMatch(true),
    previousMatch: () => jumpToMatch(false),
    ...scrollCommands(position, lines.length, page, next => {
      setScroll(next);
      setIsFollowing(next >= Math.max(0, lines.length - page));
    }),
  };
  useCommands(bindings, layers, draft === undefined ? viewing : typing, {
    otherKey: (key, input, inkKey) => {
      if (draft !== undefined) {
        setDraft(key === 'backspace' ? draft.slice(0, -1) : draft + typedText(input, inkKey));
      }
    },
  });

  const view = error
    ? [{text: `Could not read the logs of ${name}: ${error}`, tone: 'warning' as const}]
    : lines.length === 0 ? [{text: 'no output yet…', tone: 'dim' as const}] : lines.map(text => ({text, isMarked: Boolean(query) && text.toLowerCase().includes(query.toLowerCase())}));
  const keys = (layer: KeyLayer, command: CommandId) => keyOf(bindings, layer, command);
  const follow = keys('logs', 'follow');
  // With a search shown its keys come first: the closing key named is one the search does not take.
  const shadowed = new Set(query ? bindings.filter(binding => binding.layer === 'logsMatches').flatMap(binding => binding.keys) : []);
  const closeKey = bindings.find(binding => binding.layer === 'logs' && binding.command === 'back')?.keys.find(key => !shadowed.has(key));
  const current = currentMatch === undefined ? -1 : matches.indexOf(currentMatch);
  const footer = draft !== undefined
    ? `/${draft}█   ${keys('logsPrompt', 'searchAccept')} searches, ${keys('logsPrompt', 'searchCancel')} cancels`
    : `${isFollowing ? `following (${follow} pauses)` : `paused (${follow} follows)`}${query
      ? `  "${query}": ${current >= 0 ? `match ${current + 1} of ${matches.length}` : `${matches.length} matches`}, ${keys('logsMatches', 'nextMatch')}/${keys('logsMatches', 'previousMatch')} jump, ${keys('logsMatches', 'clearSearch')} clears`
      : `  ${keys('logs', 'search')} searches`}${closeKey ? `  ${displayKey(closeKey)} closes` : ''}`;
  return <TextView title={`Logs of ${name}`} lines={view} width={width} height={height} scroll={position} theme={theme} footer={footer} />;
}
