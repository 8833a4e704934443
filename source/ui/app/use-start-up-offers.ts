// What hawser offers once the lists are in: to roll back or finish an operation an earlier hawser left
// half-done (killed mid-recreate), else to clean up helpers or half-filled volumes of a run that died.
import {useEffect, type Dispatch} from 'react';
import type {EnginePort} from '../../engine/port.js';
import {isEmptyLeftovers, leftoversIn, removeLeftoversForm} from '../../jobs/helpers/leftovers.js';
import {pendingOperations, recoverForm} from '../../jobs/pending-operations.js';
import type {MirrorSnapshot} from '../../state/engine-mirror.js';
import type {UiAction} from '../../state/ui-state.js';

/** Opens the offer's wizard once, when the lists have loaded (never with --read-only). */
export function useStartUpOffers(engine: EnginePort, snapshot: MirrorSnapshot, isReadOnly: boolean, dispatch: Dispatch<UiAction>): void {
  useEffect(() => {
    if (!snapshot.hasLoaded || isReadOnly) {
      return;
    }

    const [pending] = pendingOperations(engine);
    if (pending) {
      dispatch({type: 'cover', cover: {kind: 'flow', form: recoverForm(pending)}});
      return;
    }

    // From the lists just loaded; never over a screen the user opened meanwhile.
    const leftovers = leftoversIn(snapshot.containers, snapshot.volumes);
    if (!isEmptyLeftovers(leftovers)) {
      dispatch({type: 'coverIfFree', cover: {kind: 'flow', form: removeLeftoversForm(leftovers)}});
    }
  }, [snapshot.hasLoaded]);
}
