// A restored volume's listing from the engine's side, without its contents: `find` and `stat` in a
// helper container from a local image with a shell (busybox, alpine, debian…), the volume mounted
// read-only, no network, no capability but DAC_OVERRIDE (to enter every folder). Through the archive API the same
// listing costs reading the whole volume back. Undefined whenever the answer could be ambiguous (no such
// image, a name with a line break, an error): the caller then reads the volume back instead.
import type {EnginePort} from '../../engine/port.js';
import {runHelper} from '../forwarding/helper-container.js';
import {findHelperImage} from '../forwarding/helper-image.js';
import type {ScanResult} from './archive-scan.js';
import {listedFromStats, type StatLine} from './local-restore.js';
import type {ListedEntry} from './manifest.js';

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

/** The volume as the engine sees it (file checksums from `scan`, valid for proven bytes); undefined when it cannot be listed this way. */
export async function listThroughHelper(engine: EnginePort, volume: string, scan: ScanResult, signal: AbortSignal): Promise<{readonly image: string; readonly entries: ListedEntry[]} | undefined> {
  const image = await findHelperImage(engine).catch(() => undefined);
  if (!image) {
    return undefined;
  }

  const result = await runHelper(engine, {
    image,
    purpose: 'volume-list',
    script: listScript,
    isWholeOutput: true,
    hostConfig: {
      NetworkMode: 'none',
      ReadonlyRootfs: true,
      CapDrop: ['ALL'],
      // Root without it could not enter another user's 0700 folder. Not DAC_READ_SEARCH: with it Docker's seccomp
      // profile allows open_by_handle_at, which reaches files outside the container.
      CapAdd: ['DAC_OVERRIDE'],
      SecurityOpt: ['no-new-privileges'],
      Mounts: [{Type: 'volume', Source: volume, Target: '/vol', ReadOnly: true}],
    },
  }, signal).catch(() => undefined);
  if (!result || result.exitCode !== 0) {
    return undefined;
  }

  const stats = parseListing(result.output);
  return stats ? {image, entries: listedFromStats(stats, scan)} : undefined;
}
