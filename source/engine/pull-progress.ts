// Reading an image pull's progress stream. Kept apart from the adapter so it can be tested on bytes.
import type {Readable} from 'node:stream';
import {EngineError} from './errors.js';
import {readNdjson} from './ndjson.js';
import type {PullProgress} from './types.js';

/** The query of `POST /images/create` for a reference: `fromImage` and `tag`, digest kept whole. */
export function pullQuery(reference: string): {fromImage: string; tag?: string} {
  if (reference.includes('@')) {
    return {fromImage: reference};
  }

  // The tag is after the last colon, unless that colon belongs to a registry's port (a slash follows it).
  const colon = reference.lastIndexOf(':');
  if (colon > reference.lastIndexOf('/')) {
    return {fromImage: reference.slice(0, colon), tag: reference.slice(colon + 1)};
  }

  return {fromImage: reference, tag: 'latest'};
}

/**
 * Yields each progress message of a pull and throws an EngineError on an in-band `{error}` message: the
 * engine answers 200 before it knows whether the pull will work, so failures come inside the body.
 */
export async function * readPullProgress(stream: Readable): AsyncGenerator<PullProgress> {
  for await (const message of readNdjson(stream)) {
    if (message['error'] || message['errorDetail']) {
      const detail = message['errorDetail'] as {message?: string} | undefined;
      throw new EngineError(`The pull failed: ${String(message['error'] ?? detail?.message ?? 'unknown error')}`, 'Check that the engine can reach the registry (proxy, DNS, credentials), or make a local image with a shell available.', undefined, 'engine');
    }

    const detail = message['progressDetail'] as {current?: number; total?: number} | undefined;
    yield {
      ...(typeof message['id'] === 'string' ? {id: message['id']} : {}),
      status: String(message['status'] ?? ''),
      ...(typeof detail?.current === 'number' ? {current: detail.current} : {}),
      ...(typeof detail?.total === 'number' ? {total: detail.total} : {}),
    };
  }
}
