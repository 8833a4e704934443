// What a volume job asks the engine first (its info, and the image list that the helper image check
// reads), asked while the job is planned, beside the planning's own requests, so that the answers are
// there when the job starts instead of being asked in turn. Backup and restore share it.
import type {EnginePort, RequestOptions} from '../../engine/port.js';
import type {EngineInfo, ImageSummary} from '../../engine/types.js';

/** How long answers asked for while planning serve the job: --yes or a prompt answered at once start it well within. */
export const earlyAnswerMs = 10_000;

/**
 * Answers asked while a job is planned. Used once, by the first run of the job on the same engine while
 * still fresh; a failed or stale one is asked again by the job, as it would have been without this.
 * A request not asked early (`info` or `images` undefined) is asked by the job when it needs it.
 */
export type EarlyAnswers = {
  readonly engine: EnginePort;
  readonly askedAt: number;
  readonly info?: Promise<EngineInfo | undefined>;
  readonly images?: Promise<ImageSummary[] | undefined>;
};

/** Asks now what is wanted early; a failure is kept as `undefined`, never thrown. */
export function askEarly(engine: EnginePort, wanted: {readonly info: boolean; readonly images: boolean}): EarlyAnswers {
  const quietly = async <T>(ask: () => Promise<T>): Promise<T | undefined> => ask().catch(() => undefined);
  return {
    engine,
    askedAt: Date.now(),
    ...(wanted.info ? {info: quietly(async () => engine.info())} : {}),
    ...(wanted.images ? {images: quietly(async () => engine.listImages())} : {}),
  };
}

/** `early` when it was asked of `engine` and is still fresh, else undefined. */
export function freshFor(early: EarlyAnswers | undefined, engine: EnginePort, now = Date.now()): EarlyAnswers | undefined {
  return early?.engine === engine && now - early.askedAt < earlyAnswerMs ? early : undefined;
}

/** For a job: each run calls it once as it starts; the first run gets `early` (when fresh, on its engine), later runs nothing. */
export function firstRunOnly(early: EarlyAnswers | undefined): (engine: EnginePort) => EarlyAnswers | undefined {
  let unused = early;
  return engine => {
    const answers = freshFor(unused, engine);
    unused = undefined;
    return answers;
  };
}

/**
 * The early answer once it is there, else the request made now: also when the early one failed, and
 * when the signal aborts while it is awaited (the request then fails as an aborted one always has).
 */
export async function answerOr<T>(early: Promise<T | undefined> | undefined, ask: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!early || signal?.aborted) {
    return ask();
  }

  let onAbort: () => void = () => undefined;
  const gaveUp = new Promise<undefined>(resolve => {
    onAbort = () => resolve(undefined);
  });
  signal?.addEventListener('abort', onAbort, {once: true});
  try {
    return await Promise.race([early, gaveUp]) ?? await ask();
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** `engine`, except that its first listImages() takes the early answer (the helper image check's). */
export function withEarlyImages(engine: EnginePort, early: Promise<ImageSummary[] | undefined> | undefined): EnginePort {
  if (!early) {
    return engine;
  }

  let unused: typeof early | undefined = early;
  const listImages = async (options?: RequestOptions) => {
    const answer = unused;
    unused = undefined;
    return answerOr(answer, async () => engine.listImages(options), options?.signal);
  };

  return new Proxy(engine, {
    get(target, key) {
      if (key === 'listImages') {
        return listImages;
      }

      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
