// useInput, but always calling the handler of the latest render, and (below a KeyRoot) from the very
// commit that draws it: a key typed right after a screen appears reaches that screen, however long React
// takes to run its effects (see key-root.tsx).
import {useInput} from 'ink';
import {useContext, useLayoutEffect, useRef, useState} from 'react';
import {KeyRouterContext, type KeyHandler} from './key-root.js';

/**
 * Every key goes to the newest handler while `isActive`. Below a KeyRoot it is registered with the root's
 * router in a layout effect; outside one (a component rendered on its own) it subscribes with Ink's useInput,
 * which only starts with the effects after the first frame.
 */
export function useLatestInput(handler: KeyHandler, options: {isActive?: boolean} = {}): void {
  const isActive = options.isActive !== false;
  const router = useContext(KeyRouterContext);
  const latest = useRef(handler);
  latest.current = handler;
  const [stable] = useState(() => (input: string, key: Parameters<KeyHandler>[1]) => latest.current(input, key));
  useLayoutEffect(() => (router && isActive ? router.add(latest) : undefined), [router, isActive]);
  useInput(stable, {isActive: router === undefined && isActive});
}
