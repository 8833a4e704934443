// Loads the inspected details of the selected item while details are on screen; loads again when the
// item changes on the engine, and never for rows merely scrolled past.
import {useEffect, useState} from 'react';
import type {EnginePort} from '../engine/port.js';
import type {ItemDetails, PanelItem} from '../resources/panel.js';

/** The item's inspected details, or undefined while loading, when none are shown, or when its panel inspects nothing. */
export function useDetails(engine: EnginePort, item: PanelItem | undefined): ItemDetails | undefined {
  const [loaded, setLoaded] = useState<ItemDetails>();
  useEffect(() => {
    if (item === undefined) {
      return;
    }

    const controller = new AbortController();
    // A short wait, so holding j down does not inspect every row on the way.
    const timer = setTimeout(() => {
      item.loadDetails(engine, controller.signal)
        .then(details => {
          if (!controller.signal.aborted && details) {
            setLoaded(details);
          }
        })
        .catch(() => undefined);
    }, 60);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [engine, item?.key, item?.entry]);
  return loaded && loaded.key === item?.key ? loaded : undefined;
}
