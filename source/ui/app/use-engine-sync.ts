// The app's view of the engine: the mirror, the live sync that fills it (started here unless the entry
// point already started one), and the snapshot the screen draws.
import {useEffect, useMemo, useState, useSyncExternalStore} from 'react';
import type {EnginePort} from '../../engine/port.js';
import {EngineMirror, type MirrorSnapshot} from '../../state/engine-mirror.js';
import {startLiveSync, type LiveSync, type LiveSyncOptions} from '../../state/live-sync.js';

/** Where the mirror and the sync come from. */
export type EngineSyncOptions = {
  readonly syncOptions?: LiveSyncOptions;
  /** Exposes the mirror (tests, bench). */
  readonly onMirror?: (mirror: EngineMirror) => void;
  /** A mirror the entry point already started filling, with its sync; otherwise the app starts its own. */
  readonly mirror?: EngineMirror;
  readonly sync?: LiveSync;
};

/** The mirror's snapshot, kept current, and the sync (undefined for the first frame of a sync started here). */
export function useEngineSync(engine: EnginePort, {syncOptions, onMirror, mirror: givenMirror, sync: givenSync}: EngineSyncOptions): {snapshot: MirrorSnapshot; sync?: LiveSync} {
  const mirror = useMemo(() => givenMirror ?? new EngineMirror(), [givenMirror]);
  const [sync, setSync] = useState<LiveSync | undefined>(givenSync);
  useEffect(() => {
    onMirror?.(mirror);
    if (givenSync) {
      return () => givenSync.stop();
    }

    const started = startLiveSync(engine, mirror, syncOptions);
    setSync(started);
    return () => started.stop();
  }, [engine, mirror]);
  const snapshot = useSyncExternalStore(mirror.subscribe, mirror.snapshot);
  return {snapshot, sync};
}
