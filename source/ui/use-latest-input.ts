// useInput, but always calling the handler of the latest render: Ink re-subscribes a new handler only
// after React's effects run, and a key arriving in between would otherwise see the previous state.
import {useInput} from 'ink';
import {useRef} from 'react';

type Handler = Parameters<typeof useInput>[0];

/** Subscribes once per activity change; every key goes to the newest handler. */
export function useLatestInput(handler: Handler, options: {isActive?: boolean} = {}): void {
  const latest = useRef(handler);
  latest.current = handler;
  const stable = useRef<Handler>((input, key) => latest.current(input, key));
  useInput(stable.current, options);
}
