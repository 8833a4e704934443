// Which local image can run hawser's shell helpers, and pulling a small one when there is none.
import type {EnginePort} from '../../engine/port.js';
import type {ImageSummary} from '../../engine/types.js';
import {JobError, throwIfAborted, type JobEvent} from '../job.js';
import {withShellHelper} from './helper-container.js';

/** Repositories tried in order of preference: small first. The last path part is matched, so mirrors count. */
export const helperImageCandidates = ['busybox', 'hawser/busybox', 'alpine', 'debian', 'ubuntu'] as const;

/** What hawser offers to pull when no local image has a shell: about 2 MB. */
export const defaultPullImage = 'busybox:latest';

// Verified images per engine, so every refresh does not create a probe container.
const verified = new WeakMap<EnginePort, string>();

function repositoryOf(tag: string): string {
  const colon = tag.lastIndexOf(':');
  const repo = colon > tag.lastIndexOf('/') ? tag.slice(0, colon) : tag;
  return repo.replace(/^docker\.io\//, '').replace(/^library\//, '');
}

/** The local tags that may hold a shell, best first. */
export function candidateTags(images: readonly ImageSummary[]): string[] {
  const ranked: {tag: string; rank: number}[] = [];
  for (const image of images) {
    for (const tag of image.tags) {
      const repo = repositoryOf(tag);
      const rank = helperImageCandidates.findIndex(candidate => repo === candidate || repo.endsWith(`/${candidate}`));
      if (rank >= 0) {
        ranked.push({tag, rank});
      }
    }
  }

  return ranked.sort((a, b) => a.rank - b.rank || a.tag.localeCompare(b.tag)).map(entry => entry.tag);
}

/** True when the image has /bin/sh: a created (never started) container is enough to look into its rootfs. */
export async function hasShell(engine: EnginePort, image: string): Promise<boolean> {
  return withShellHelper(engine, {image, purpose: 'forwarding-probe', script: 'true', hostConfig: {NetworkMode: 'none'}}, undefined, async id => {
    const archive = await engine.getArchive(id, '/bin/sh');
    archive.destroy();
    return true;
  }).catch(() => false);
}

/** The local image hawser's helpers will use, or undefined when none has a shell. `preferred` is checked first. */
export async function findHelperImage(engine: EnginePort, preferred?: string): Promise<string | undefined> {
  if (preferred) {
    return await hasShell(engine, preferred) ? preferred : undefined;
  }

  const images = await engine.listImages();
  const known = verified.get(engine);
  if (known && images.some(image => image.tags.includes(known))) {
    return known;
  }

  for (const tag of candidateTags(images)) {
    if (await hasShell(engine, tag)) {
      verified.set(engine, tag);
      return tag;
    }
  }

  return undefined;
}

/** Why there is no helper image, for previews and banners. */
export function noHelperImageMessage(): string {
  return `No local image with a shell was found (looked for ${helperImageCandidates.join(', ')}).`;
}

/** Pulls `reference`, reporting the bytes of all layers together as progress. Throws JobError on failure. */
export async function * pullHelperImage(engine: EnginePort, reference: string, signal: AbortSignal): AsyncGenerator<JobEvent> {
  throwIfAborted(signal);
  yield {type: 'step', title: `Pulling ${reference}`};
  const layers = new Map<string, {current: number; total: number}>();
  let lastStatus = '';
  try {
    for await (const message of engine.pullImage(reference, {signal})) {
      if (message.id && message.total !== undefined) {
        layers.set(message.id, {current: message.current ?? 0, total: message.total});
        const done = [...layers.values()].reduce((sum, layer) => sum + layer.current, 0);
        const total = [...layers.values()].reduce((sum, layer) => sum + layer.total, 0);
        yield {type: 'progress', done, total, unit: 'bytes', current: `${message.status} ${message.id}`};
      } else if (message.status && message.status !== lastStatus && !message.id) {
        lastStatus = message.status;
        yield {type: 'log', line: message.status};
      }
    }
  } catch (error) {
    throwIfAborted(signal);
    const reason = error instanceof Error ? error.message : String(error);
    throw new JobError(`Could not pull ${reference}: ${reason.replace(/^The pull failed: /, '')}`, 'Check that the engine can reach the registry (proxy, DNS, credentials), or load a small image with a shell on the engine\'s host (docker load -i busybox.tar).');
  }

  if (!await hasShell(engine, reference)) {
    throw new JobError(`${reference} was pulled but has no /bin/sh.`, 'Choose another image with a shell.');
  }

  verified.set(engine, reference);
}
