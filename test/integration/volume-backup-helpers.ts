// Shared by the volume backup integration tests: fill a volume, describe it independently of hawser
// (busybox stat and md5sum), and look for leftovers.
import {expect} from 'vitest';
import type {EnginePort} from '../../source/engine/port.js';
import {busyboxImage} from '../../source/sandbox/test-image.js';
import {testLabel} from '../helpers/engine.js';

/** Runs a busybox command with `volume` at /v to its end; returns stdout. */
export async function inVolume(engine: EnginePort, volume: string, command: string, binds: readonly string[] = []): Promise<string> {
  const {id} = await engine.createContainer({
    Image: busyboxImage,
    Cmd: ['sh', '-c', command],
    Labels: {[testLabel]: '1'},
    HostConfig: {Binds: [`${volume}:/v`, ...binds], NetworkMode: 'none'},
  });
  try {
    await engine.startContainer(id);
    const {exitCode} = await engine.waitContainer(id);
    const logs = await engine.containerLogs(id);
    if (exitCode !== 0) {
      throw new Error(`exit ${exitCode}: ${logs}`);
    }

    return logs;
  } finally {
    await engine.removeContainer(id, {force: true});
  }
}

/** Every path's mode, owner, mtime, size, type, link count and target, then every file's md5: what "exact" means. */
export async function describeVolume(engine: EnginePort, volume: string): Promise<string> {
  const listing = await inVolume(engine, volume, 'cd /v && find . -exec stat -c "%n|%a|%u|%g|%Y|%s|%F|%h|%N" {} + | sort > /tmp/l && find . -type f -exec md5sum {} + | sort >> /tmp/l && md5sum /tmp/l && wc -l < /tmp/l && head -c 4000 /tmp/l');
  return listing;
}

/** Helper containers hawser left behind on volumes named `prefix...` (test files share one engine and run side by side). */
export async function leftoverHelpers(engine: EnginePort, prefix: string): Promise<string[]> {
  return (await engine.listContainers())
    .filter(c => c.labels['io.hawser.helper'] && c.mounts.some(m => m.name?.startsWith(prefix)))
    .map(c => c.name);
}

type CliRun = (...args: string[]) => Promise<{stdout: string}>;
type Done = {type: 'done'; data: {via?: string; differences?: unknown[]; archives?: {via: string}[]}};

/**
 * A remote engine's round trip through the CLI (`run` reaches it): fills `volume`, backs it up to `archive`, restores
 * it into `${volume}-back`, and expects both to have gone through the archive API, the copy to be exact and no helper left.
 */
export async function expectExactRemoteRoundTrip(engine: EnginePort, run: CliRun, volume: string, archive: string): Promise<void> {
  await inVolume(engine, volume, 'mkdir -p /v/d/empty && echo hello > /v/d/f && chown 7:8 /v/d/f && chmod 640 /v/d/f && ln -s d/f /v/l && ln /v/d/f /v/hard && head -c 300000 /dev/urandom > /v/big');
  const doneOf = (stdout: string) => stdout.split('\n').filter(Boolean).map(line => JSON.parse(line) as Done).find(event => event.type === 'done')!;
  const backup = doneOf((await run('backup', volume, '-o', archive, '--yes', '--json')).stdout);
  const restore = doneOf((await run('restore', archive, '--volume', `${volume}-back`, '--yes', '--json')).stdout);
  expect(backup.data.archives?.[0]?.via).toBe('api');
  expect(restore.data.via).toBe('api');
  expect(restore.data.differences).toEqual([]);
  expect(await describeVolume(engine, `${volume}-back`)).toBe(await describeVolume(engine, volume));
  expect(await leftoverHelpers(engine, volume)).toEqual([]);
}
