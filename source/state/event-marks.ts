// What an engine event changes in the lists, as marks: which containers to list again (now, and once
// more a moment later for state changes the list may lag), whether networks or volumes are stale, and
// which container is gone. Pure: the refresher turns marks into requests.
import type {EngineEvent} from '../engine/types.js';

/** Container actions that change its state, whose list entry may lag the event. */
const stateActions = new Set(['start', 'die', 'stop', 'kill', 'pause', 'unpause', 'restart', 'oom', 'health_status']);

/** Container actions that do not change what the list shows. */
const ignoredContainerActions = new Set(['exec_create', 'exec_start', 'exec_die', 'exec_detach', 'attach', 'detach', 'resize', 'top', 'commit', 'copy', 'archive-path', 'extract-to-dir', 'export']);

/** What one event marks; undefined for an event that changes nothing listed. */
export type EventMarks = {
  /** A container removed: forget it at once. */
  readonly removed?: string;
  /** A container to list again. */
  readonly container?: string;
  /** List that container once more after a moment: the engine can announce a change before its list shows it. */
  readonly confirm?: boolean;
  /** Its network mode, learnt from an inspect, may have changed (a connect or disconnect). */
  readonly modeChanged?: boolean;
  readonly networks?: boolean;
  readonly volumes?: boolean;
};

/** The marks of an event. */
export function marksOf(event: EngineEvent): EventMarks | undefined {
  switch (event.type) {
    case 'container': {
      if (ignoredContainerActions.has(event.action)) {
        return undefined;
      }

      return event.action === 'destroy' ? {removed: event.id} : {container: event.id, confirm: stateActions.has(event.action)};
    }

    case 'network': {
      if (event.action !== 'connect' && event.action !== 'disconnect') {
        return {networks: true};
      }

      // The container's list entry can show the old networks for a moment, like a state change.
      const container = event.attributes['container'];
      return container ? {container, confirm: true, modeChanged: true} : {};
    }

    case 'volume': {
      return event.action === 'create' || event.action === 'destroy' || event.action === 'prune' ? {volumes: true} : {};
    }

    default: {
      return undefined;
    }
  }
}
