// Removing volumes: one in use refused, naming its users (stopped ones too: the engine refuses it
// then as well); prune lists what goes and how many bytes it frees before anything goes. Each removal
// is read back: the volume must be gone.
import prettyBytes from 'pretty-bytes';
import type {EnginePort} from '../../engine/port.js';
import type {VolumeSummary} from '../../engine/types.js';
import {InputError, JobError, type PreparedJob} from '../job.js';
import {hasLabel} from '../label-filter.js';
import {describeUsers, isAnonymousVolume, usersOf} from './users.js';

/** Bytes in words (1.2 GB), or '' when unknown. */
function bytes(size: number | undefined): string {
  return size === undefined || size < 0 ? '' : prettyBytes(size);
}

/** Whether the volume is still listed: the read-back of a removal. */
async function isListed(engine: EnginePort, name: string, signal: AbortSignal): Promise<boolean> {
  return (await engine.listVolumes({signal})).some(v => v.name === name);
}

/** Validates and plans removing one volume. */
export async function prepareRemoveVolume(engine: EnginePort, input: {readonly volume: string}): Promise<PreparedJob> {
  const [volumes, containers] = await Promise.all([engine.listVolumes(), engine.listContainers()]);
  const volume = volumes.find(v => v.name === input.volume);
  if (!volume) {
    throw new InputError(`No volume named ${input.volume}.`, 'List them with `hawser ls volumes`.');
  }

  const users = usersOf(volume.name, containers);
  if (users.length > 0) {
    throw new InputError(`${volume.name} is in use by ${describeUsers(users)}.`, `Remove ${users.length === 1 ? 'that container' : 'those containers'} first (the engine refuses to remove a volume a container mounts, stopped or not), or back the volume up and keep it.`);
  }

  const usage = await engine.volumeUsage().catch(() => []);
  const size = bytes(usage.find(u => u.name === volume.name)?.size);
  return {
    preview: {
      title: `Remove volume ${volume.name}`,
      steps: [`Remove ${volume.name}${size ? ` (${size})` : ''}`],
      warnings: [`Its data is deleted for good${size ? ` (${size})` : ''}: back it up first (b) if it may be needed.`],
      isDestructive: true,
    },
    async * job(engine, signal) {
      await engine.removeVolume(volume.name, {signal});
      yield {type: 'step', title: `Reading the volumes back`};
      if (await isListed(engine, volume.name, signal)) {
        throw new JobError(`The engine accepted removing ${volume.name}, but still lists it.`, 'Look at it with `docker volume inspect`; a volume plugin may remove it later, or not at all.');
      }

      yield {type: 'done', summary: `Removed volume ${volume.name}.`, data: {removed: [volume.name]}};
    },
  };
}

/**
 * Which volumes a prune considers: anonymous ones only (as `docker volume prune` since API 1.42), or every
 * unused one; `label` (`key` or `key=value`) keeps it to volumes with that label.
 */
export type VolumePruneFilter = {readonly isAll?: boolean; readonly label?: string};

/** The unused volumes a prune would remove: no container mounts them, running or not. */
export async function unusedVolumes(engine: EnginePort, filter: VolumePruneFilter = {}): Promise<VolumeSummary[]> {
  const [volumes, containers] = await Promise.all([engine.listVolumes(), engine.listContainers()]);
  return volumes
    .filter(v => (filter.isAll || isAnonymousVolume(v)) && hasLabel(v.labels, filter.label) && usersOf(v.name, containers).length === 0)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Lists what a prune removes, with the bytes it frees; the job removes exactly those (not ones that appear meanwhile). */
export async function preparePruneVolumes(engine: EnginePort, filter: VolumePruneFilter = {}): Promise<PreparedJob & {readonly volumes: readonly string[]}> {
  const unused = await unusedVolumes(engine, filter);
  const usage = unused.length > 0 ? await engine.volumeUsage().catch(() => []) : [];
  const sizeOf = (name: string) => usage.find(u => u.name === name)?.size;
  const known = unused.map(v => sizeOf(v.name)).filter((size): size is number => size !== undefined && size >= 0);
  const total = known.reduce((sum, size) => sum + size, 0);
  const what = filter.isAll ? 'unused' : 'unused anonymous';
  return {
    volumes: unused.map(v => v.name),
    preview: {
      title: unused.length > 0 ? `Remove ${unused.length} ${what} volume${unused.length === 1 ? '' : 's'}${known.length > 0 ? `, freeing ${bytes(total)}${known.length < unused.length ? ' or more' : ''}` : ''}` : `No ${what} volumes to remove`,
      steps: unused.map(v => `Remove ${v.name}${bytes(sizeOf(v.name)) ? ` (${bytes(sizeOf(v.name))})` : ''}`),
      warnings: [
        ...(unused.length > 0 ? ['Their data is deleted for good.'] : []),
        ...(filter.isAll ? [] : ['Named volumes are kept: prune with "all" (hawser volume prune --all) to remove unused named ones too.']),
      ],
      isDestructive: unused.length > 0,
    },
    async * job(engine, signal) {
      const removed: string[] = [];
      // A container may have started using one since the preview: listed again once, each checked anew.
      const containers = unused.length > 0 ? await engine.listContainers({signal}) : [];
      for (const [index, volume] of unused.entries()) {
        yield {type: 'progress', done: index, total: unused.length, unit: 'items', current: volume.name};
        const users = usersOf(volume.name, containers);
        if (users.length > 0) {
          yield {type: 'warning', message: `${volume.name} is in use now (${describeUsers(users)}); kept.`};
          continue;
        }

        await engine.removeVolume(volume.name, {signal});
        removed.push(volume.name);
      }

      yield {type: 'progress', done: unused.length, total: unused.length, unit: 'items'};
      // Read back: none of the removed ones may still be listed.
      const listed = new Set((await engine.listVolumes({signal})).map(v => v.name));
      const remaining = removed.filter(name => listed.has(name));
      if (remaining.length > 0) {
        throw new JobError(`The engine accepted removing ${remaining.join(', ')}, but still lists ${remaining.length === 1 ? 'it' : 'them'}.`, 'Look with `docker volume ls`; a volume plugin may remove them later, or not at all.');
      }

      const freed = removed.map(sizeOf).filter((size): size is number => size !== undefined && size >= 0).reduce((sum, size) => sum + size, 0);
      yield {type: 'done', summary: removed.length > 0 ? `Removed ${removed.length} volume${removed.length === 1 ? '' : 's'}${freed > 0 ? `, ${bytes(freed)} freed` : ''}: ${removed.join(', ')}.` : 'Nothing was removed.', data: {removed, freedBytes: freed}};
    },
  };
}
