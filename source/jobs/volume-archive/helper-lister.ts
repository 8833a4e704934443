// A restored volume's listing from the engine's side, without its contents: `find` and `stat` in a
// helper container from a local image with a shell (busybox, alpine, debian…), the volume mounted
// read-only, no network, no capabilities but reading every directory. Through the archive API the same
// listing costs reading the whole volume back. Undefined whenever the answer could be ambiguous (no such
// image, a name with a line break, an error): the caller then reads the volume back instead.
import type {EnginePort} from '../../engine/port.js';
import {runHelper} from '../forwarding/helper-container.js';
import {findHelperImage} from '../forwarding/helper-image.js';
import type {ScanResult} from './archive-scan.js';
import {listedFromStats, type StatLine} from './local-restore.js';
import type {ListedEntry} from './manifest.js';

// The fields first, the name last; symlink targets after a marker line, each as name then target.
const listScript = `cd /vol || exit 3
find . -exec stat -c '%f %u %g %s %Y %i %h %n' {} + || exit 4
echo '--hawser-links--'
find . -type l -exec sh -c 'for f; do printf "%s\\n%s\\n" "$f" "$(readlink "$f")"; done' sh {} + || exit 5
`;

const statPattern = /^([\da-f]+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\.(?:\/.*)?)$/;

/** Parses the helper's output; undefined when any line is not what the script prints. */
export function parseListing(output: string): StatLine[] | undefined {
  const lines = output.split('\n');
  if (lines.at(-1) === '') {
    lines.pop();
  }

  const marker = lines.indexOf('--hawser-links--');
  if (marker === -1 || (lines.length - marker - 1) % 2 !== 0) {
    return undefined;
  }

  const links = new Map<string, string>();
  for (let index = marker + 1; index < lines.length; index += 2) {
    links.set(lines[index]!, lines[index + 1]!);
  }

  const stats: StatLine[] = [];
  for (const line of lines.slice(0, marker)) {
    const match = statPattern.exec(line);
    if (!match) {
      return undefined;
    }

    const [, mode = '', uid = '', gid = '', size = '', mtime = '', inode = '', , name = ''] = match;
    const relative = name === '.' ? '.' : name.slice(2);
    const fullMode = Number.parseInt(mode, 16);
    const isSymlink = (fullMode & 0o170000) === 0o120000;
    if (isSymlink && !links.has(name)) {
      return undefined;
    }

    stats.push({path: relative, mode: fullMode, uid: Number(uid), gid: Number(gid), size: Number(size), mtime: Number(mtime), inode: `${inode}`, ...(isSymlink ? {link: links.get(name)} : {})});
  }

  return stats.length > 0 && stats[0]!.path === '.' ? stats : undefined;
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
      // Root without DAC_READ_SEARCH could not enter another user's 0700 directory.
      CapAdd: ['DAC_READ_SEARCH'],
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
