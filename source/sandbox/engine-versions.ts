// Which Docker Engine an isolated engine runs: the system's docker.io (Debian bookworm, 20.10) or a
// newer docker.io from Debian's trixie or sid, fetched with a private apt state and unpacked into a
// cache folder, never installed over the system's packages. dockerd then runs with that folder's
// binaries first on its PATH (it finds containerd, docker-proxy and docker-init there); bookworm's
// runc works with all of them.
import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {SandboxError} from './isolated-engine.js';
import {homeFolder} from '../model/home.js';

/** An engine the sandbox and the tests can run. */
export type EngineChoice = {
  /** What the user types: `--engine 20`, `HAWSER_TEST_ENGINES=20,26,28`. */
  readonly id: '20' | '26' | '28';
  /** The Debian suite its docker.io comes from. */
  readonly suite: 'bookworm' | 'trixie' | 'sid';
  /** The packages unpacked beside docker.io (bookworm's come with the system's docker.io). */
  readonly packages: readonly string[];
};

/** The engines hawser is proven on, oldest first. */
export const engineChoices: readonly EngineChoice[] = [
  {id: '20', suite: 'bookworm', packages: []},
  {id: '26', suite: 'trixie', packages: ['docker.io', 'containerd', 'tini']},
  // sid's docker.io is the newest Debian has; 28.x when this was written.
  {id: '28', suite: 'sid', packages: ['docker.io', 'containerd', 'tini-static']},
];

/** The choice a user named (`20`, `26`, `28`, or a suite name), or an error that lists them. */
export function engineChoice(name: string): EngineChoice {
  const found = engineChoices.find(choice => choice.id === name || choice.suite === name);
  if (!found) {
    throw new SandboxError(`Unknown engine "${name}": choose one of ${engineChoices.map(choice => `${choice.id} (${choice.suite})`).join(', ')}.`);
  }

  return found;
}

/** How to run one engine: binary folders to put first on dockerd's PATH, and what it is. */
export type EngineBinaries = {
  readonly choice: EngineChoice;
  /** Folders first on dockerd's PATH; empty for the system's docker.io. */
  readonly pathDirs: readonly string[];
  /** The docker.io package version, e.g. 28.5.2+dfsg4-5. */
  readonly version: string;
  /** Set when the asked-for suite had no docker.io and another one stands in. */
  readonly fallback?: string;
};

/** Where fetched engines are kept: $HAWSER_ENGINE_CACHE, else $XDG_CACHE_HOME/hawser/engines. */
export function engineCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env['XDG_CACHE_HOME'] || path.join(homeFolder(env), '.cache');
  return env['HAWSER_ENGINE_CACHE'] || path.join(cache, 'hawser', 'engines');
}

/** A fetched engine is used as it is for this long before apt is asked for a newer one. */
const refreshAfterMs = 7 * 24 * 3600_000;

type DebianSource = {uris: string; signedBy?: string};

/**
 * The system's own Debian archive entry (not security, not a third party), from deb822
 * `.sources` files or one-line `sources.list` entries, so no mirror's address is written here.
 */
export function systemDebianSource(files: readonly {name: string; text: string}[]): DebianSource | undefined {
  for (const {name, text} of files) {
    if (name.endsWith('.sources')) {
      for (const stanza of text.split(/\n\s*\n/)) {
        const field = (key: string) => new RegExp(`^${key}:\\s*(.+)$`, 'mi').exec(stanza)?.[1]?.trim();
        const uris = field('URIs');
        const suites = field('Suites') ?? '';
        const enabled = (field('Enabled') ?? 'yes').toLowerCase() !== 'no';
        if (enabled && uris && /\bdebian\/?(\s|$)/.test(uris) && !/security/.test(uris) && /\b(bookworm|trixie|sid|stable|testing|unstable)\b/.test(suites) && (field('Components') ?? '').split(/\s+/).includes('main')) {
          return {uris: uris.split(/\s+/)[0]!, signedBy: field('Signed-By')};
        }
      }
    } else {
      for (const line of text.split('\n')) {
        const match = /^deb\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s+(.*)$/.exec(line.trim());
        if (match && /\/debian\/?$/.test(match[2]!) && !/security/.test(match[2]! + match[3]!) && match[4]!.split(/\s+/).includes('main')) {
          const signedBy = /signed-by=(\S+)/.exec(match[1] ?? '')?.[1];
          return {uris: match[2]!, signedBy};
        }
      }
    }
  }

  return undefined;
}

function readSystemSources(): {name: string; text: string}[] {
  const files: {name: string; text: string}[] = [];
  const read = (file: string) => {
    try {
      files.push({name: file, text: readFileSync(file, 'utf8')});
    } catch {}
  };

  read('/etc/apt/sources.list');
  try {
    for (const name of readdirSync('/etc/apt/sources.list.d').sort()) {
      if (name.endsWith('.sources') || name.endsWith('.list')) {
        read(path.join('/etc/apt/sources.list.d', name));
      }
    }
  } catch {}

  return files;
}

/** apt options that keep every list, cache and source of a suite inside `dir`. */
function privateApt(dir: string): string[] {
  return [
    '-o', `Dir::State=${dir}/state`,
    '-o', `Dir::State::status=/dev/null`,
    '-o', `Dir::Cache=${dir}/cache`,
    '-o', 'Dir::Etc::SourceList=/dev/null',
    '-o', `Dir::Etc::SourceParts=${dir}/sources.list.d`,
    '-o', 'Dir::Etc::Preferences=/dev/null',
    '-o', `Dir::Etc::PreferencesParts=${dir}/preferences.d`,
    '-o', 'APT::Sandbox::User=root',
    '-q',
  ];
}

function candidate(options: string[], pkg: string): string | undefined {
  const policy = execFileSync('apt-cache', [...options, 'policy', pkg], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
  const version = /Candidate:\s*(\S+)/.exec(policy)?.[1];
  return version && version !== '(none)' ? version : undefined;
}

function systemDockerVersion(): string {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Version}', 'docker.io'], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}).trim();
  } catch {
    return 'unknown';
  }
}

/**
 * Makes the engine `choice` runnable and says how: the system's for bookworm; otherwise Debian's
 * packages of that suite unpacked under the cache (fetched again after a week). When the suite has
 * no docker.io (sid now and then), trixie's stands in and `fallback` says so.
 */
export function ensureEngineBinaries(choice: EngineChoice, report: (line: string) => void, cacheDir = engineCacheDir()): EngineBinaries {
  if (choice.suite === 'bookworm') {
    return {choice, pathDirs: [], version: systemDockerVersion()};
  }

  const dir = path.join(cacheDir, choice.suite);
  const root = path.join(dir, 'root');
  const versionFile = path.join(dir, 'version');
  const pathDirs = [path.join(root, 'usr', 'sbin'), path.join(root, 'usr', 'bin')];
  const cached = existsSync(versionFile) && existsSync(path.join(root, 'usr', 'sbin', 'dockerd'));
  if (cached && Date.now() - statSync(versionFile).mtimeMs < refreshAfterMs) {
    const [version = 'unknown', fallback] = readFileSync(versionFile, 'utf8').split('\n');
    return {choice, pathDirs, version, ...(fallback ? {fallback} : {})};
  }

  if (process.getuid?.() !== 0) {
    throw new SandboxError(`Engine ${choice.id} comes from Debian ${choice.suite}'s packages, which only root can fetch here. Run as root, or choose --engine 20 (the system's docker.io).`);
  }

  const source = systemDebianSource(readSystemSources());
  if (!source) {
    throw new SandboxError(`Engine ${choice.id} comes from Debian ${choice.suite}'s packages, but no Debian archive entry was found in /etc/apt/sources.list or /etc/apt/sources.list.d to borrow the mirror from. Choose --engine 20, or add a Debian entry.`);
  }

  const fetchSuite = (suite: string): string | undefined => {
    const suiteDir = path.join(dir, 'apt', suite);
    for (const sub of ['state/lists/partial', 'cache/archives/partial', 'sources.list.d', 'preferences.d']) {
      mkdirSync(path.join(suiteDir, sub), {recursive: true});
    }

    const signedBy = source.signedBy ? `Signed-By: ${source.signedBy}\n` : '';
    writeFileSync(path.join(suiteDir, 'sources.list.d', 'debian.sources'), `Types: deb\nURIs: ${source.uris}\nSuites: ${suite}\nComponents: main\n${signedBy}`);
    const options = privateApt(suiteDir);
    report(`fetching Debian ${suite}'s package lists (private apt state in ${suiteDir})…`);
    execFileSync('apt-get', [...options, 'update'], {stdio: ['ignore', 'ignore', 'pipe']});
    return candidate(options, 'docker.io');
  };

  let suite: string = choice.suite;
  let version = fetchSuite(suite);
  let fallback: string | undefined;
  if (!version && choice.suite === 'sid') {
    fallback = `Debian sid has no docker.io at the moment: engine ${choice.id} is trixie's instead.`;
    report(`!!! ${fallback}`);
    suite = 'trixie';
    version = fetchSuite(suite);
  }

  if (!version) {
    throw new SandboxError(`Debian ${suite} has no docker.io package right now, so engine ${choice.id} cannot be had. Choose another with --engine.`);
  }

  const packages = suite === choice.suite ? choice.packages : engineChoice(suite).packages;
  const suiteDir = path.join(dir, 'apt', suite);
  const debs = path.join(dir, 'debs');
  rmSync(debs, {recursive: true, force: true});
  mkdirSync(debs, {recursive: true});
  report(`downloading ${packages.join(', ')} ${version} from Debian ${suite}…`);
  execFileSync('apt-get', [...privateApt(suiteDir), 'download', ...packages], {cwd: debs, stdio: ['ignore', 'ignore', 'pipe']});
  const staging = `${root}.new`;
  rmSync(staging, {recursive: true, force: true});
  for (const deb of readdirSync(debs).filter(name => name.endsWith('.deb'))) {
    execFileSync('dpkg', ['-x', path.join(debs, deb), staging], {stdio: ['ignore', 'ignore', 'pipe']});
  }

  rmSync(root, {recursive: true, force: true});
  renameSync(staging, root);
  rmSync(debs, {recursive: true, force: true});
  writeFileSync(versionFile, `${version}\n${fallback ?? ''}`);
  return {choice, pathDirs, version, ...(fallback ? {fallback} : {})};
}
