// Which containers use a volume (running or not): the engine refuses to remove a volume any of them
// mounts, and a prune keeps it.
import type {ContainerSummary, VolumeSummary} from '../../engine/types.js';

/** A container that mounts the volume. */
export type VolumeUser = {readonly name: string; readonly isRunning: boolean};

/** The containers that mount `volume`, by name. */
export function usersOf(volume: string, containers: readonly ContainerSummary[]): VolumeUser[] {
  return containers
    .filter(c => c.mounts.some(m => m.type === 'volume' && m.name === volume))
    .map(c => ({name: c.name, isRunning: c.state === 'running'}))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The users in words: "web, worker (stopped)". */
export function describeUsers(users: readonly VolumeUser[]): string {
  return users.map(u => (u.isRunning ? u.name : `${u.name} (stopped)`)).join(', ');
}

/** True for a volume the engine named itself (`docker run -v /data`): 64 hex digits. */
export function isAnonymousVolume(volume: Pick<VolumeSummary, 'name'>): boolean {
  return /^[0-9a-f]{64}$/.test(volume.name);
}
