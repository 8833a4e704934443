// A container's logs, followed live: stays at the bottom while following, / searches, n/N jump
// between matches, f pauses or resumes following, t shows the engine's timestamps, S and L choose
// where the log starts (since, tail), w wraps long lines, s saves the lines kept to a file (the keys
// are the key table's logs layers). Changing timestamps, since or tail reads the log again.
//
// Scrolling counts screen rows: with wrapping on, a long line takes several and the title's
// position counts rows. The place is kept by source line (the top line and a row within it), so
// wrapping, a narrower terminal or lines dropped past the cap do not move what is shown; searches
// and matches are source lines, a match shown from its first row.
import {statSync} from 'node:fs';
import {homeFolder} from '../model/home.js';
import {resolve} from 'node:path';
import React, {useEffect, useMemo, useRef, useState} from 'react';
import type {EnginePort} from '../engine/port.js';
import {baseBindings, displayKey, keyOf, type CommandId, type KeyBinding, type KeyLayer} from '../keys/key-table.js';
import {typedText} from '../keys/normalize.js';
import {abbreviateHome, compactTimestamp, defaultLogFile, expandHome, parseSince, parseTail, withoutTimestamp, wrapRows, type LogsSince} from './logs-settings.js';
import {saveLines, saveProblem} from './save-lines.js';
import {TextView, textRows} from './TextView.js';
import type {Theme} from './theme.js';
import {scrollCommands, useCommands, type CommandHandlers} from './use-commands.js';

/** The most lines kept: older ones are dropped, whatever the tail asked for. */
const maxLines = 5000;
/** The tail without a since, unless the user chose one. */
const defaultTail = 500;

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

/** The one-line prompt open at the bottom: what it asks, the text typed, why Enter refused it. */
type Prompt = {
  readonly kind: 'search' | 'since' | 'tail' | 'save';
  readonly text: string;
  readonly problem?: string;
  /** The existing file the user was told about: Enter again on the same path replaces it. */
  readonly replacing?: string;
};

/** What the log is read with: a change reads it again (`serial` counts the changes: applying the same since again reads it again too). */
type Reading = {readonly timestamps: boolean; readonly since?: LogsSince; readonly tail?: number | 'all'; readonly serial: number};

/** The lines kept, `first` the number dropped before them (past the cap), so a line has a number that stays. */
type Feed = {readonly lines: readonly string[]; readonly first: number; readonly hasTimestamps: boolean};

/** Where the view is when paused: a line (by its number in the feed) and a row within it. */
type Top = {readonly line: number; readonly row: number};

/** Where to be once the log is read again: the first line, or the line shown before (found by its text, near the same place from the end). */
type Anchor = 'first' | {readonly text: string; readonly fromEnd: number};

/** The line of `lines` the anchor names. */
function anchoredLine(lines: readonly string[], anchor: Anchor): number {
  if (anchor === 'first' || lines.length === 0) {
    return 0;
  }

  let best: number | undefined;
  for (const [i, line] of lines.entries()) {
    if (withoutTimestamp(line) === anchor.text && (best === undefined || Math.abs(lines.length - i - anchor.fromEnd) < Math.abs(lines.length - best - anchor.fromEnd))) {
      best = i;
    }
  }

  return best ?? Math.max(0, Math.min(lines.length - 1, lines.length - anchor.fromEnd));
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** The view. */
export function LogsScreen({engine, id, name, width, height, theme, onClose, bindings = baseBindings}: LogsScreenProps) {
  const [feed, setFeed] = useState<Feed>({lines: [], first: 0, hasTimestamps: false});
  const [error, setError] = useState<string>();
  const [reading, setReading] = useState<Reading>({timestamps: false, serial: 0});
  const [isWrapped, setIsWrapped] = useState(false);
  const [isFollowing, setIsFollowing] = useState(true);
  const [top, setTop] = useState<Top>({line: 0, row: 0});
  const [query, setQuery] = useState('');
  const [prompt, setPrompt] = useState<Prompt>();
  const [notice, setNotice] = useState<{text: string; isProblem?: boolean}>();
  /** The line (its number in the feed) of the match last jumped to: n and N go on from it. */
  const [currentMatch, setCurrentMatch] = useState<number>();
  const anchor = useRef<Anchor | undefined>(undefined);
  const page = textRows(height, true);
  const tail = reading.tail ?? (reading.since ? 'all' : defaultTail);
  const since = reading.since?.seconds;
  const {timestamps, serial} = reading;

  useEffect(() => {
    const controller = new AbortController();
    let buffer: string[] = [];
    let dropped = 0;
    let timer: NodeJS.Timeout | undefined;
    let isDrawn = false;
    const keep = () => {
      dropped += buffer.length - maxLines;
      buffer = buffer.slice(-maxLines);
    };

    // Lines arrive in bursts: draw at most every 50 ms. The lines read before stay until the first draw.
    const draw = () => {
      timer = undefined;
      isDrawn = true;
      if (buffer.length > maxLines) {
        keep();
      }

      const lines = buffer.slice();
      setFeed({lines, first: dropped, hasTimestamps: timestamps});
      if (anchor.current) {
        setTop({line: dropped + anchoredLine(lines, anchor.current), row: 0});
        anchor.current = undefined;
      }
    };

    // A log with no line (or none since) is drawn empty after a moment rather than never.
    const empty = setTimeout(() => {
      if (!isDrawn) {
        draw();
      }
    }, 250);
    void (async () => {
      try {
        const options = {signal: controller.signal, tail, ...(since === undefined ? {} : {since}), ...(timestamps ? {timestamps} : {})};
        for await (const line of engine.followLogs(id, options)) {
          buffer.push(line);
          // Cut back in steps, not at every line: a long log read whole is not copied once a line.
          if (buffer.length > 2 * maxLines) {
            keep();
          }

          timer ??= setTimeout(draw, 50);
        }
      } catch (failure) {
        if (!controller.signal.aborted) {
          setError(failure instanceof Error ? failure.message : String(failure));
        }
      }
    })();
    return () => {
      controller.abort();
      clearTimeout(timer);
      clearTimeout(empty);
    };
  }, [engine, id, tail, since, timestamps, serial]);

  const shown = useMemo(() => (feed.hasTimestamps ? feed.lines.map(compactTimestamp) : feed.lines), [feed]);
  // Wrapped lines by their text, for this width: a draw while following wraps only the new lines.
  const wrapped = useMemo(() => new Map<string, string[]>(), [width]);
  const layout = useMemo(() => {
    if (wrapped.size > 4 * maxLines) {
      wrapped.clear();
    }

    const rows: string[] = [];
    const lineOf: number[] = [];
    const start: number[] = [];
    for (const [i, text] of shown.entries()) {
      start.push(rows.length);
      let parts = isWrapped ? wrapped.get(text) : undefined;
      if (isWrapped && !parts) {
        parts = wrapRows(text, width);
        wrapped.set(text, parts);
      }

      for (const part of parts ?? [text]) {
        rows.push(part);
        lineOf.push(i);
      }
    }

    return {rows, lineOf, start};
  }, [shown, isWrapped, width, wrapped]);

  const lastPosition = Math.max(0, layout.rows.length - page);
  const topLine = Math.max(0, Math.min(shown.length - 1, top.line - feed.first));
  const topRows = (layout.start[topLine + 1] ?? layout.rows.length) - (layout.start[topLine] ?? 0);
  const position = isFollowing ? lastPosition : Math.min(lastPosition, (layout.start[topLine] ?? 0) + Math.max(0, Math.min(top.row, topRows - 1)));
  /** Pauses the view at a row (kept as its line and the row within it). */
  const moveTo = (row: number) => {
    const at = Math.max(0, Math.min(layout.rows.length - 1, row));
    const line = layout.lineOf[at] ?? 0;
    setTop({line: feed.first + line, row: Math.max(0, at - (layout.start[line] ?? 0))});
  };

  const matches = useMemo(() => (query ? shown.flatMap((line, i) => (line.toLowerCase().includes(query.toLowerCase()) ? [i] : [])) : []), [shown, query]);
  const matchSet = useMemo(() => new Set(matches), [matches]);
  const current = currentMatch === undefined ? undefined : currentMatch - feed.first;

  /** Shows a line near the middle of the view, paused. */
  const showLine = (line: number) => {
    setIsFollowing(false);
    moveTo(Math.max(0, (layout.start[line] ?? 0) - Math.floor(page / 2)));
  };

  const jumpToMatch = (isNext: boolean) => {
    if (matches.length === 0) {
      return;
    }

    // From the match jumped to last (near the top or the end the view cannot center it), else from the view's middle.
    const from = current !== undefined && current >= 0 ? current : layout.lineOf[Math.min(layout.rows.length - 1, position + Math.floor(page / 2))] ?? 0;
    const next = isNext ? matches.find(i => i > from) ?? matches[0]! : [...matches].reverse().find(i => i < from) ?? matches.at(-1)!;
    setCurrentMatch(feed.first + next);
    showLine(next);
  };

  /** Reads the log again with `next`; a paused view goes to `place` once it is read. */
  const readAgain = (next: Reading, place: Anchor) => {
    setPrompt(undefined);
    setError(undefined);
    setCurrentMatch(undefined);
    anchor.current = isFollowing ? undefined : place;
    setReading({...next, serial: next.serial + 1});
  };

  const home = homeFolder();
  const save = (typed: string) => {
    if (!prompt) {
      return;
    }

    if (!typed.trim()) {
      setPrompt({...prompt, problem: 'type the file to write'});
      return;
    }

    const path = resolve(expandHome(typed.trim(), home));
    const named = abbreviateHome(path, home);
    let existing: ReturnType<typeof statSync>;
    try {
      existing = statSync(path, {throwIfNoEntry: false});
    } catch {
      // Not even its folder can be read: the write says why.
      existing = undefined;
    }

    if (existing?.isDirectory()) {
      setPrompt({...prompt, problem: `${named} is a folder: add a file name`});
      return;
    }

    if (existing && prompt.replacing !== path) {
      setPrompt({...prompt, problem: `${named} exists: Enter again replaces it, or change the name`, replacing: path});
      return;
    }

    const {lines} = feed;
    setPrompt(undefined);
    setNotice({text: `Saving ${plural(lines.length, 'line')} to ${named}…`});
    void saveLines(path, lines, Boolean(existing)).then(
      () => setNotice({text: `Saved ${plural(lines.length, 'line')} to ${named}`}),
      (failure: unknown) => setNotice({text: `Not saved to ${named}: ${saveProblem(failure)}`, isProblem: true}),
    );
  };

  const typing: CommandHandlers = {
    searchAccept() {
      if (!prompt) {
        return;
      }

      switch (prompt.kind) {
        case 'search': {
          const typed = prompt.text;
          setQuery(typed);
          setPrompt(undefined);
          const first = typed ? shown.findIndex(line => line.toLowerCase().includes(typed.toLowerCase())) : -1;
          setCurrentMatch(first >= 0 ? feed.first + first : undefined);
          if (first >= 0) {
            showLine(first);
          }

          break;
        }

        case 'since': {
          const parsed = parseSince(prompt.text, new Date());
          if ('problem' in parsed) {
            setPrompt({...prompt, problem: parsed.problem});
          } else {
            readAgain({...reading, since: parsed.value}, 'first');
          }

          break;
        }

        case 'tail': {
          const parsed = parseTail(prompt.text);
          if ('problem' in parsed) {
            setPrompt({...prompt, problem: parsed.problem});
          } else {
            readAgain({...reading, tail: parsed.value}, 'first');
          }

          break;
        }

        case 'save': {
          save(prompt.text);
          break;
        }
      }
    },
    searchCancel: () => setPrompt(undefined),
    clearAnswer: () => prompt && setPrompt({kind: prompt.kind, text: ''}),
    deleteWord: () => prompt && setPrompt({kind: prompt.kind, text: prompt.text.replace(/[^\s/]+[\s/]*$|[\s/]+$/, '')}),
  };
  const viewing: CommandHandlers = {
    clearSearch: () => {
      setQuery('');
      setCurrentMatch(undefined);
    },
    back: onClose,
    search: () => setPrompt({kind: 'search', text: ''}),
    follow: () => {
      setIsFollowing(value => !value);
      moveTo(position);
    },
    nextMatch: () => jumpToMatch(true),
    previousMatch: () => jumpToMatch(false),
    timestamps: () => {
      const line = layout.lineOf[position];
      readAgain({...reading, timestamps: !reading.timestamps}, line === undefined ? 'first' : {text: withoutTimestamp(feed.lines[line] ?? ''), fromEnd: feed.lines.length - line});
    },
    since: () => setPrompt({kind: 'since', text: ''}),
    tail: () => setPrompt({kind: 'tail', text: ''}),
    wrap: () => setIsWrapped(value => !value),
    saveLogs: () => (feed.lines.length === 0 ? setNotice({text: 'No lines to save yet.', isProblem: true}) : setPrompt({kind: 'save', text: defaultLogFile(name, new Date())})),
    ...scrollCommands(position, layout.rows.length, page, next => {
      moveTo(next);
      setIsFollowing(next >= lastPosition);
    }),
  };
  // A notice (saved, not saved) stays on the bottom line until the next key.
  const quieted = Object.fromEntries(Object.entries(viewing).map(([command, handler]) => [command, (key: string, binding: KeyBinding) => {
    setNotice(undefined);
    handler?.(key, binding);
  }])) as CommandHandlers;

  // Typing in a prompt takes every key; a search shown adds its own keys (n/N, Esc clears) over the view's.
  const layers: KeyLayer[] = prompt ? ['logsPrompt'] : query ? ['logsMatches', 'logs'] : ['logs'];
  useCommands(bindings, layers, prompt ? typing : quieted, {
    otherKey: (key, input, inkKey) => {
      if (prompt) {
        const text = key === 'backspace' ? prompt.text.slice(0, -1) : prompt.text + typedText(input, inkKey);
        if (text !== prompt.text) {
          setPrompt({kind: prompt.kind, text});
        }
      } else if (notice) {
        setNotice(undefined);
      }
    },
  });

  const empty = reading.since ? `no lines since ${reading.since.label} yet…` : 'no output yet…';
  const view = error
    ? [{text: `Could not read the logs of ${name}: ${error}`, tone: 'warning' as const}]
    : shown.length === 0 ? [{text: empty, tone: 'dim' as const}] : layout.rows.map((text, i) => ({text, isMarked: matchSet.has(layout.lineOf[i]!)}));
  const keys = (layer: KeyLayer, command: CommandId) => keyOf(bindings, layer, command);
  const follow = keys('logs', 'follow');
  // With a search shown its keys come first: the closing key named is one the search does not take.
  const shadowed = new Set(query ? bindings.filter(binding => binding.layer === 'logsMatches').flatMap(binding => binding.keys) : []);
  const closeKey = bindings.find(binding => binding.layer === 'logs' && binding.command === 'back')?.keys.find(key => !shadowed.has(key));
  const accept = keys('logsPrompt', 'searchAccept');
  const cancel = keys('logsPrompt', 'searchCancel');
  // The hint while nothing is typed; a refusal stays until the text changes.
  const promptLine = (label: string, hint: string, verb: string) => {
    const said = prompt?.problem ? `✗ ${prompt.problem}` : prompt?.text ? '' : hint;
    return `${label}${prompt?.text ?? ''}█  ${said ? `${said}   ` : ' '}${accept} ${verb}, ${cancel} cancels`;
  };
  const matchIndex = current === undefined ? -1 : matches.indexOf(current);
  const footer = prompt?.kind === 'search'
    ? `/${prompt.text}█   ${accept} searches, ${cancel} cancels`
    : prompt?.kind === 'since' ? promptLine('since: ', '10m, 2h, 1d or a time: 2026-12-07 10:00 (empty: none)', 'applies')
    : prompt?.kind === 'tail' ? promptLine('tail: ', `lines, or all (empty: ${defaultTail})`, 'applies')
    : prompt?.kind === 'save' ? promptLine('save to: ', '', 'saves')
    : notice ? `${notice.isProblem ? '✗ ' : ''}${notice.text}`
    : `${isFollowing ? `following (${follow} pauses)` : `paused (${follow} follows)`}${query
      ? `  "${query}": ${matchIndex >= 0 ? `match ${matchIndex + 1} of ${matches.length}` : `${matches.length} matches`}, ${keys('logsMatches', 'nextMatch')}/${keys('logsMatches', 'previousMatch')} jump, ${keys('logsMatches', 'clearSearch')} clears`
      : `  ${keys('logs', 'search')} searches`}${closeKey ? `  ${displayKey(closeKey)} closes` : ''}`;
  const status = [
    reading.since ? `since ${reading.since.label}` : '',
    tail === 'all' ? (reading.since ? '' : `all lines (the last ${maxLines} kept)`) : `tail ${tail}${tail > maxLines ? ` (the last ${maxLines} kept)` : ''}`,
    timestamps ? 'timestamps' : '',
    isWrapped ? 'wrapped' : '',
  ].filter(Boolean).join(' · ');
  return <TextView title={`Logs of ${name}`} lines={view} width={width} height={height} scroll={position} theme={theme} footer={footer} status={status} />;
}
