// The one way a view takes its keys: the key goes through the key table (the view's layers, in order),
// and the command it names runs the view's handler for it. Keys that name no handled command go to the
// view's `otherKey` (typing, in views with a text line). Every view (the lists, details, help, logs,
// inspect, the palette, a wizard) declares its handlers here instead of spelling the lookup itself.
import type {Key} from 'ink';
import type {CommandId, KeyBinding, KeyLayer} from '../keys/binding.js';
import {commandFor} from '../keys/key-table.js';
import {normalizeKey, typedText} from '../keys/normalize.js';
import {useLatestInput} from './use-latest-input.js';

/** What a view does for each command it answers to; the binding that matched (its keys, the key pressed) comes along. */
export type CommandHandlers = {readonly [C in CommandId]?: (key: string, binding: KeyBinding) => void};

/** A key no handled command took: its normalised name, and Ink's input and key (for the text it types). */
export type OtherKey = (key: string, input: string, inkKey: Key) => void;

/** How a view takes the keys its commands leave. */
export type CommandOptions = {
  /** Keys that no handled command took (typing). */
  readonly otherKey?: OtherKey;
  /** A text line has the keys: a key that types text is typed, never a command, whatever the config binds to it. */
  readonly typesText?: boolean;
  readonly isActive?: boolean;
};

/** Looks a key up in `layers` and runs its command's handler; true when a handler took it. */
export function runCommand(bindings: readonly KeyBinding[], layers: readonly KeyLayer[], handlers: CommandHandlers, key: string): boolean {
  const binding = commandFor(bindings, layers, key);
  const handler = binding ? handlers[binding.command] : undefined;
  if (!binding || !handler) {
    return false;
  }

  handler(key, binding);
  return true;
}

/** Routes every key to the view's handlers (see the top of this file); the newest handlers always answer. */
export function useCommands(bindings: readonly KeyBinding[], layers: readonly KeyLayer[], handlers: CommandHandlers, options: CommandOptions = {}): void {
  useLatestInput((input, inkKey) => {
    const key = normalizeKey(input, inkKey);
    const isTyped = options.typesText === true && typedText(input, inkKey) !== '';
    if (isTyped || !runCommand(bindings, layers, handlers, key)) {
      options.otherKey?.(key, input, inkKey);
    }
  }, {isActive: options.isActive});
}

/** The scrolling commands of a view `total` lines long showing `page` of them from `position`. */
export function scrollCommands(position: number, total: number, page: number, onScroll: (position: number) => void): CommandHandlers {
  const max = Math.max(0, total - page);
  const to = (value: number) => () => onScroll(Math.max(0, Math.min(max, value)));
  return {
    down: to(position + 1),
    up: to(position - 1),
    pageDown: to(position + page),
    pageUp: to(position - page),
    top: to(0),
    bottom: to(max),
  };
}
