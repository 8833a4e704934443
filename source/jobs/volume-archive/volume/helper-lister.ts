// A restored volume's listing from the engine's side, without its contents: `find` and `stat` in a
// helper container from a local image with a shell (busybox, alpine, debian…), no network, no capability
// but DAC_OVERRIDE (to enter every folder), the volume read-only; a helper that also sets the volume's root
// (owner, mode, mtime) before it lists mounts it writable, with CHOWN, FOWNER and FSETID for that. Through the
// archive API the same listing costs reading the whole volume back. Undefined whenever the answer could be
// ambiguous (no such image, a name with a line break, an error): the caller then reads the volume back instead.
import type {EnginePort} from '../../../engine/port.js';
import {removeStrays, runHelper, withShellHelper} from '../../helpers/helper-container.js';
import {findHelperImage} from '../../helpers/helper-image.js';
import {listedFromStats, type StatLine} from './restored-listing.js';
import type {ListedEntry} from '../format/manifest.js';
import type {RootAttributes} from './root-entry.js';

// The fields first, the name last; symlink targets after a marker line, each as name then target; then the
// counts of entries and links, to prove no line was lost on the way (log drivers may drop some). A name or a
// link target with a line break cannot be told apart in this output: the script refuses them (exit 6, 7).
const listScript = `nl='
'
cd /vol || exit 3
if find . -name "*$nl*" | grep -q .; then exit 6; fi
entries=$(find . | wc -l)
links=$(find . -type l | wc -l)
find . -exec stat -c '%f %u %g %s %Y %i %h %n' {} + || exit 4
echo '--hawser-links--'
find . -type l -exec sh -c 'nl="
"; for f; do t=$(readlink "$f"; echo x); t=\${t%x}; t=\${t%"$nl"}; case "$t" in *"$nl"*) exit 7;; esac; printf "%s\\n%s\\n" "$f" "$t"; done' sh {} + || exit 5
echo "--hawser-end-- $entries $links"
`;

const statPattern = /^([\da-f]+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\.(?:\/.*)?)$/;
const endPattern = /^--hawser-end-- +(\d+) +(\d+)$/;

/** Parses the helper's output; undefined when any line is not what the script prints, or the counts do not add up. */
export function parseListing(output: string): StatLine[] | undefined {
  const lines = output.split('\n');
  if (lines.at(-1) === '') {
    lines.pop();
  }

  // The end line must be the very last: anything after it (the helper's stderr comes after its stdout) is a problem.
  const end = endPattern.exec(lines.pop() ?? '');
  const marker = lines.indexOf('--hawser-links--');
  if (!end || marker === -1 || (lines.length - marker - 1) % 2 !== 0) {
    return undefined;
  }

  const links = new Map<string, string>();
  for (let index = marker + 1; index < lines.length; index += 2) {
    links.set(lines[index]!, lines[index + 1]!);
  }

  const stats: StatLine[] = [];
  const paths = new Set<string>();
  for (const line of lines.slice(0, marker)) {
    const match = statPattern.exec(line);
    if (!match) {
      return undefined;
    }

    const [, mode = '', uid = '', gid = '', size = '', mtime = '', inode = '', , name = ''] = match;
    const relative = name === '.' ? '.' : name.slice(2);
    const fullMode = Number.parseInt(mode, 16);
    const isSymlink = (fullMode & 0o170000) === 0o120000;
    if ((isSymlink && !links.has(name)) || paths.has(relative)) {
      return undefined;
    }

    paths.add(relative);
    stats.push({path: relative, mode: fullMode, uid: Number(uid), gid: Number(gid), size: Number(size), mtime: Number(mtime), inode: `${inode}`, ...(isSymlink ? {link: links.get(name)} : {})});
  }

  const isComplete = stats.length === Number(end[1]) && links.size === Number(end[2]) && (lines.length - marker - 1) / 2 === links.size;
  return isComplete && stats.length > 0 && stats[0]!.path === '.' ? stats : undefined;
}

/** A listing of the volume: the image of the helper that made it, and the entries. */
export type HelperListing = {readonly image: string; readonly entries: ListedEntry[]};

/**
 * The helper's limits: no network, no capability but DAC_OVERRIDE, the volume read-only. A helper that also gives
 * the volume's root its owner, mode and mtime (`isSettingRoot`) mounts it writable, with CHOWN, FOWNER and FSETID
 * for that (without FSETID a set-group-ID bit for a group root is not in is dropped).
 */
function listerHostConfig(volume: string, isSettingRoot = false): Record<string, unknown> {
  return {
    NetworkMode: 'none',
    ReadonlyRootfs: true,
    CapDrop: ['ALL'],
    // Root without it could not enter another user's 0700 folder. Not DAC_READ_SEARCH: with it Docker's seccomp
    // profile allows open_by_handle_at, which reaches files outside the container.
    CapAdd: isSettingRoot ? ['DAC_OVERRIDE', 'CHOWN', 'FOWNER', 'FSETID'] : ['DAC_OVERRIDE'],
    SecurityOpt: ['no-new-privileges'],
    Mounts: [{Type: 'volume', Source: volume, Target: '/vol', ReadOnly: !isSettingRoot}],
  };
}

// Run before the listing when the root is to be set: its owner, then its mode (a chown may clear set-id bits),
// then its mtime (the others leave it alone); exit 8 when any of them fails, so that the root is put another way.
const setRootScript = `chown "$1:$2" /vol && chmod "$3" /vol && touch -d "@$4" /vol || exit 8
`;
// The statuses the listing script ends with once past the set-root line: its success and its own refusals (3–7).
// Any other (8, a shell that could not run the script: 126, 127, a killed one: 128+n) leaves the root unknown.
const pastRootStatuses = new Set(['0', '3', '4', '5', '6', '7']);

/** The root's attributes as the set-root script's arguments: uid, gid, octal mode, whole seconds. */
export function setRootArguments(root: RootAttributes): string[] {
  return [String(root.uid), String(root.gid), (root.mode & 0o7777).toString(8), String(Math.floor(root.mtime))];
}

/** The listing from the script's exit code and output; undefined when either is not certain. */
function listingOf(image: string, exitCode: number, output: string, expected: readonly ListedEntry[]): HelperListing | undefined {
  const stats = exitCode === 0 ? parseListing(output) : undefined;
  return stats ? {image, entries: listedFromStats(stats, expected)} : undefined;
}

/** The volume as the engine sees it (file checksums from the plan's `expected` listing, valid for proven bytes); undefined when it cannot be listed this way. */
export async function listThroughHelper(engine: EnginePort, volume: string, expected: readonly ListedEntry[], signal: AbortSignal): Promise<HelperListing | undefined> {
  const image = await findHelperImage(engine).catch(() => undefined);
  if (!image) {
    return undefined;
  }

  const result = await runHelper(engine, {image, purpose: 'volume-list', script: listScript, isWholeOutput: true, hostConfig: listerHostConfig(volume)}, signal).catch(() => undefined);
  return result && listingOf(image, result.exitCode, result.output, expected);
}

/** A listing helper made ready while the volume is still being written. */
export type VolumeLister = {
  /** Start the helper now (it waits, idle, until it is asked), so that it runs by the time the engine has written the bytes. */
  readonly start: () => void;
  /**
   * The volume's listing, by the started helper (or, when it could not start, by a helper run now); undefined when
   * uncertain. With a root to set, the root has its attributes once this resolves, whatever the listing's outcome.
   */
  readonly list: (expected: readonly ListedEntry[], signal: AbortSignal) => Promise<(HelperListing & {readonly wasReady: boolean}) | undefined>;
};

/**
 * The volume root's attributes, set by the prepared helper in the exec that lists the volume (the engine skips an
 * archive's root entry, and a root-entry PUT of its own costs a quarter of a second), and `put`, which sets them
 * another way when that helper cannot.
 */
export type RootToSet = {readonly attributes: RootAttributes; readonly put: (signal: AbortSignal) => Promise<void>};

// The prepared helper waits on a pipe in its own small tmpfs until the listing releases it, then ends at once
// (removing a running container costs a stop); a helper nobody releases ends after five minutes.
const idleScript = `mkfifo /run/hawser-go || exit 3
(sleep 300; echo > /run/hawser-go) &
read -r _ < /run/hawser-go
`;
// The listing (its script, then its arguments), its exit status as the last line, then the release. The helper's end
// kills the exec, whose own exit status may then be the kill's: the printed one counts (it is in the output before the release).
const listAndRelease = 'script=$1; shift; sh -c "$script" sh "$@"; echo "--hawser-status-- $?"; echo > /run/hawser-go';
const statusPattern = /^([^]*)--hawser-status-- (\d+)\n$/;

/**
 * Runs `use` with a lister whose helper is found and created beside it (the image probe and the create
 * cost the write nothing), started when `use` says so (its start overlaps the write), and asked for the
 * listing by an exec (which first sets `root` when given); the helper is released as soon as that exec has
 * answered, so that its removal overlaps the reading of the answer, and removed when `use` ends, whatever happened.
 * Starting a helper after the write instead costs about a second.
 */
export async function withVolumeLister<T>(engine: EnginePort, volume: string, signal: AbortSignal, use: (lister: VolumeLister) => Promise<T>, root?: RootToSet): Promise<T> {
  let release!: () => void;
  const released = new Promise<void>(resolve => {
    release = resolve;
  });
  let onCreated!: (helper: {image: string; id: string} | undefined) => void;
  const created = new Promise<{image: string; id: string} | undefined>(resolve => {
    onCreated = resolve;
  });
  let started: Promise<{image: string; id: string} | undefined> | undefined;
  let hasImage = false;
  const holder = (async () => {
    const [image] = await Promise.all([findHelperImage(engine).catch(() => undefined), removeStrays(engine, 'volume')]);
    if (!image) {
      return;
    }

    hasImage = true;

    await withShellHelper(engine, {image, purpose: 'volume-list', script: idleScript, hostConfig: {...listerHostConfig(volume, root !== undefined), Tmpfs: {'/run': 'rw,size=64k,mode=0700'}}}, signal, async id => {
      onCreated({image, id});
      await released;
      // Removed once its start is settled: a start still on its way could race the removal.
      await started;
    });
  })().catch(() => undefined).finally(() => {
    onCreated(undefined);
  });
  const start = () => {
    started ??= created.then(async helper => helper && engine.startContainer(helper.id, {signal}).then(() => helper)).catch(() => undefined);
    return started;
  };

  const list = async (expected: readonly ListedEntry[], listSignal: AbortSignal) => {
    const helper = await start();
    const script = root ? `${setRootScript}${listScript}` : listScript;
    const result = helper && await engine.exec(helper.id, ['/bin/sh', '-c', listAndRelease, 'sh', script, ...(root ? setRootArguments(root.attributes) : [])], {signal: listSignal}).catch(() => undefined);
    listSignal.throwIfAborted();
    // The helper has done its part: its removal starts now, beside the parsing below.
    release();
    await new Promise(resolve => {
      setImmediate(resolve);
    });
    const status = result ? statusPattern.exec(result.stdout) : undefined;
    // The script sets the root before it lists: only a status it prints past that line says it did.
    const isRootUnknown = root !== undefined && !(status && pastRootStatuses.has(status[2]!));
    if (isRootUnknown) {
      await root.put(listSignal);
    }

    if (!hasImage) {
      return undefined;
    }

    // The prepared helper could not be made, started or asked, or did not set the root: a helper of its own, run now.
    if (!helper || !result || isRootUnknown) {
      const listed = await listThroughHelper(engine, volume, expected, listSignal);
      return listed && {...listed, wasReady: false};
    }

    // No status line, or anything on stderr (a file that could not be read), makes the listing uncertain.
    const listed = status && result.stderr === '' ? listingOf(helper.image, Number(status[2]), status[1]!, expected) : undefined;
    return listed && {...listed, wasReady: true};
  };

  try {
    return await use({start: () => void start(), list});
  } finally {
    release();
    await holder;
  }
}
