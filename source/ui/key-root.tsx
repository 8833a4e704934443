// One way in for every key. Ink's useInput subscribes a handler from an effect, and React runs effects in
// a task of their own after the frame is drawn (a setImmediate; later still when the machine is busy and
// drawing is slow): a key arriving in between reached the handler of the frame before — ink-text-input
// submitted the empty answer it had before "web" was typed — or, on a screen just opened, no handler at
// all. Here one subscription, made once at the root, hands each key to handlers that are registered while
// React commits the frame that shows them (a layout effect, in the same synchronous step as drawing it):
// a key typed after a frame appeared always reaches what that frame shows.
import {useInput, type Key} from 'ink';
import React, {createContext, useRef, useState, type ReactNode} from 'react';

/** What a key handler receives: Ink's input and key. */
export type KeyHandler = (input: string, key: Key) => void;

/** The handlers mounted below a KeyRoot, in the order they were registered (a screen's inner fields before the screen). */
export class KeyRouter {
  private readonly handlers = new Set<{readonly current: KeyHandler}>();

  /** Registers a handler (read at each key, so it may change); returns its removal. */
  add(handler: {readonly current: KeyHandler}): () => void {
    this.handlers.add(handler);
    return () => {
      this.handlers.delete(handler);
    };
  }

  /** Hands a key to every registered handler. */
  dispatch(input: string, key: Key): void {
    for (const handler of [...this.handlers]) {
      handler.current(input, key);
    }
  }
}

/** The router of the nearest KeyRoot; undefined outside one. */
export const KeyRouterContext = createContext<KeyRouter | undefined>(undefined);

/** Props of the root. */
export type KeyRootProps = {
  /** False lets go of stdin and raw mode (a shell has the terminal). */
  readonly isActive?: boolean;
  /** The root's own keys, handed each key before the handlers below it. */
  readonly onKey?: KeyHandler;
  readonly children?: ReactNode;
};

/**
 * Subscribes to Ink's input once, for as long as it is mounted, and hands every key to `onKey` and then to
 * the handlers that `useLatestInput` registers below it. Keep it mounted while screens come and go.
 */
export function KeyRoot({isActive = true, onKey, children}: KeyRootProps) {
  const [router] = useState(() => new KeyRouter());
  const rootKey = useRef(onKey);
  rootKey.current = onKey;
  const [dispatch] = useState(() => (input: string, key: Key) => {
    rootKey.current?.(input, key);
    router.dispatch(input, key);
  });
  useInput(dispatch, {isActive});
  return <KeyRouterContext.Provider value={router}>{children}</KeyRouterContext.Provider>;
}
