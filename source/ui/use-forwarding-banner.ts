// Checks IPv4 forwarding each time hawser (re)connects, and again after a fix, for the banner.
import {useEffect, useState} from 'react';
import type {EnginePort} from '../engine/port.js';
import {checkForwardingBanner, forgetLiveCheck, type ForwardingBanner} from '../jobs/forwarding/index.js';

/** The banner to show, if any; `recheck` asks again (after the fix ran). */
export function useForwardingBanner(engine: EnginePort, connectedSince: number | undefined): {banner?: ForwardingBanner; recheck: () => void} {
  const [banner, setBanner] = useState<ForwardingBanner>();
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (connectedSince === undefined) {
      return;
    }

    const controller = new AbortController();
    checkForwardingBanner(engine, controller.signal).then(
      result => !controller.signal.aborted && setBanner(result.isShown ? result : undefined),
      () => undefined,
    );
    return () => controller.abort();
  }, [engine, connectedSince, round]);
  return {
    banner,
    recheck() {
      forgetLiveCheck(engine);
      setRound(value => value + 1);
    },
  };
}
