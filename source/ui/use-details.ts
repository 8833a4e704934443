// Loads the inspected document of the selected item while details are on screen; refetches when the
// item changes on the engine, and never for rows merely scrolled past.
import {useEffect, useState} from 'react';
import type {EnginePort} from '../engine/port.js';
import {loadDetails} from '../state/details.js';
import type {PanelId} from '../state/ui-state.js';

/** The inspected document for `key`, or undefined while loading or when none is needed. */
export function useDetails(engine: EnginePort, panel: PanelId, key: string | undefined, item: unknown): unknown {
  const [loaded, setLoaded] = useState<{key: string; data: unknown}>();
  useEffect(() => {
    if (key === undefined) {
      return;
    }

    const controller = new AbortController();
    // A short wait, so holding j down does not inspect every row on the way.
    const timer = setTimeout(() => {
      loadDetails(engine, panel, key, controller.signal)
        .then(data => {
          if (!controller.signal.aborted) {
            setLoaded({key, data});
          }
        })
        .catch(() => undefined);
    }, 60);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [engine, panel, key, item]);
  return loaded && loaded.key === key ? loaded.data : undefined;
}
