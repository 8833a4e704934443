// The fast local path: when the engine runs on this machine and hawser may read and write the
// volume's directory itself, the archive API (several times slower than plain tar on this engine) is
// skipped and GNU tar reads or writes the Mountpoint directly. The bytes still go through the same
// validation, manifest and checksum pipeline, so archives from either path verify and restore alike.
import {randomBytes} from 'node:crypto';
import {lstatSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync} from 'node:fs';
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import type {EnginePort} from '../../../engine/port.js';
import type {EngineInfo, VolumeSummary} from '../../../engine/types.js';
import {stateDir} from '../../journal-file.js';
import {helperLabels, helperMountPath, withHelper} from '../../helpers/helper-container.js';
import {findGnuTar} from './gnu-tar.js';

/** How volume bytes travel: straight from the volume's directory, or through the engine's archive API. */
export type ArchiveVia = 'local' | 'api';

/** The caller's wish: `auto` takes the local path when it is safe, `api` always uses the archive API. */
export type ArchiveViaRequest = 'auto' | 'api';

/** The local directory of a volume, or why the archive API is used instead. */
export type LocalAccess = {readonly via: 'local'; readonly dir: string} | {readonly via: 'api'; readonly reason: string};

/** The request's wish, overridden by HAWSER_ARCHIVE_VIA=api (tests and people on odd setups use it). */
export function viaRequested(requested: ArchiveViaRequest | undefined, env: NodeJS.ProcessEnv = process.env): ArchiveViaRequest {
  return requested === 'api' || env['HAWSER_ARCHIVE_VIA'] === 'api' ? 'api' : 'auto';
}

/** Why the volume's directory cannot be used here, from what is known without asking the engine; undefined when it may be. */
export function localRefusal(engine: EnginePort, requested: ArchiveViaRequest | undefined): string | undefined {
  if (viaRequested(requested) === 'api') {
    return 'asked for with --via-api';
  }

  if (!engine.address.startsWith('unix://')) {
    return 'the engine is not on this machine';
  }

  try {
    if (!statSync(engine.address.slice('unix://'.length)).isSocket()) {
      return 'the engine\'s socket is not a local socket';
    }
  } catch {
    return 'the engine\'s socket is not on this filesystem';
  }

  if (process.geteuid?.() !== 0) {
    return 'hawser does not run as root, so it cannot keep owners and modes by itself';
  }

  return undefined;
}

/** Starts, while a job is planned, the checks of localAccess that need no volume (the GNU tar one), when the local path is possible at all. */
export function startLocalChecks(engine: EnginePort, requested: ArchiveViaRequest | undefined): void {
  if (localRefusal(engine, requested) === undefined) {
    void findGnuTar();
  }
}

// Proven once per engine and volumes folder: writing a marker there is seen by the engine.
const provenRoots = new Map<string, Promise<boolean>>();

/**
 * Decides whether `volume`, mounted at /vol in `helper`, can be read or written directly here.
 * Every condition is checked against the engine, never assumed from names: a unix socket on this
 * machine, root (owners and modes must be kept), no user-namespace remapping (owners would differ
 * from what the engine reports), a plain local volume, the helper's mount source equal to the
 * volume's Mountpoint, and a marker written beside it on this machine that the engine sees.
 *
 * `volume` may still be being inspected: it is awaited whatever the outcome, and its failure is
 * thrown before any other, as when it was inspected first; the helper's details are asked meanwhile.
 * `info` may be a function that gives it (an answer asked early), called only when it is needed.
 */
export async function localAccess(engine: EnginePort, volume: VolumeSummary | Promise<VolumeSummary>, helper: string, requested: ArchiveViaRequest | undefined, signal?: AbortSignal, info?: EngineInfo | (() => Promise<EngineInfo>)): Promise<LocalAccess> {
  const api = (reason: string): LocalAccess => ({via: 'api', reason});
  if (volume instanceof Promise) {
    // Awaited below; a failure that comes before must not count as unhandled meanwhile.
    volume.catch(() => undefined);
  }

  const refusal = localRefusal(engine, requested) ?? (await findGnuTar() ? undefined : 'GNU tar is not installed here');
  // Needed unless the volume itself rules the local path out: asked beside the volume's inspect.
  const asked = refusal === undefined && volume instanceof Promise ? engine.inspectContainer(helper, {signal}) : undefined;
  asked?.catch(() => undefined);
  volume = await volume;
  if (refusal !== undefined) {
    return api(refusal);
  }

  if (volume.driver !== 'local' || Object.keys(volume.options ?? {}).length > 0) {
    return api(`the volume is ${volume.driver === 'local' ? 'a local volume with mount options' : `on the ${volume.driver} driver`}, mounted only while in use`);
  }

  info = typeof info === 'function' ? await info() : info ?? await engine.info({signal});
  if (info.securityOptions.some(option => /name=(userns|rootless)/.test(option))) {
    return api('the engine remaps user ids');
  }

  const details = await (asked ?? engine.inspectContainer(helper, {signal}));
  const mounts = (details.raw['Mounts'] ?? []) as readonly {Destination?: string; Source?: string; Name?: string}[];
  const mount = mounts.find(m => m.Destination === helperMountPath);
  const dir = volume.mountpoint;
  if (!mount || mount.Name !== volume.name || !dir || mount.Source !== dir) {
    return api('the engine mounts the volume from elsewhere than its Mountpoint');
  }

  try {
    if (!lstatSync(dir).isDirectory()) {
      return api('the volume\'s Mountpoint is not a directory here');
    }
  } catch {
    return api('the volume\'s Mountpoint is not on this machine');
  }

  // A local volume lives at <root>/<name>/_data: the marker goes into a probe volume beside it, so the
  // user's volume is never touched, and proves that <root> here is <root> for the engine.
  const root = path.dirname(path.dirname(dir));
  const key = `${engine.address}\n${root}`;
  let proof = provenRoots.get(key);
  if (!proof) {
    const record = rootRecord(engine.address, info.id ?? '', root);
    proof = record && isRecordedProof(record)
      ? Promise.resolve(true)
      : proveRoot(engine, root, signal).then(isProven => {
        if (isProven && record) {
          recordProof(record);
        }

        return isProven;
      }, () => false);
    provenRoots.set(key, proof);
  }

  if (!(await proof)) {
    provenRoots.delete(key);
    return api('a marker written here was not seen by the engine (its files are elsewhere)');
  }

  return {via: 'local', dir};
}

/**
 * A proof is remembered across runs (in the state folder) for the same engine — its address and its
 * own ID — and the same volumes folder here: the same device and inode. A different mount of the same
 * path, another engine on the same socket or a data root moved elsewhere all make a new proof.
 */
type RootRecord = {readonly address: string; readonly engineId: string; readonly root: string; readonly dev: number; readonly ino: number};

function rootRecord(address: string, engineId: string, root: string): RootRecord | undefined {
  try {
    const stat = lstatSync(root);
    return engineId && stat.isDirectory() ? {address, engineId, root, dev: stat.dev, ino: stat.ino} : undefined;
  } catch {
    return undefined;
  }
}

const proofsFile = () => path.join(stateDir(), 'local-volume-roots.json');

function readProofs(): RootRecord[] {
  try {
    const value = JSON.parse(readFileSync(proofsFile(), 'utf8')) as unknown;
    return Array.isArray(value) ? value as RootRecord[] : [];
  } catch {
    return [];
  }
}

function sameRecord(a: RootRecord, b: RootRecord): boolean {
  return a.address === b.address && a.engineId === b.engineId && a.root === b.root && a.dev === b.dev && a.ino === b.ino;
}

function isRecordedProof(record: RootRecord): boolean {
  return readProofs().some(known => sameRecord(known, record));
}

function recordProof(record: RootRecord): void {
  try {
    const others = readProofs().filter(known => !(known.address === record.address && known.root === record.root)).slice(-20);
    mkdirSync(stateDir(), {recursive: true, mode: 0o700});
    const file = proofsFile();
    writeFileSync(`${file}.${process.pid}.tmp`, `${JSON.stringify([...others, record])}\n`, {mode: 0o600});
    renameSync(`${file}.${process.pid}.tmp`, file);
  } catch {
    // Only a cache: the next run proves it again.
  }
}

async function proveRoot(engine: EnginePort, root: string, signal?: AbortSignal): Promise<boolean> {
  const name = `hawser-probe-${randomBytes(4).toString('hex')}`;
  await engine.createVolume({name, labels: helperLabels()}, {signal});
  try {
    const probe = await engine.inspectVolume(name, {signal});
    if (path.dirname(path.dirname(probe.mountpoint)) !== root) {
      return false;
    }

    const marker = randomBytes(16).toString('hex');
    await writeFile(path.join(probe.mountpoint, 'marker'), marker, {flag: 'wx'});
    return await withHelper(engine, name, {isReadOnly: true, signal}, async container => {
      const stream = await engine.getArchive(container, `${helperMountPath}/marker`, {signal});
      const chunks: Buffer[] = [];
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        chunks.push(chunk);
      }

      // A one-entry tar: the marker's bytes follow the 512-byte header.
      return Buffer.concat(chunks).subarray(512, 512 + marker.length).toString('latin1') === marker;
    });
  } finally {
    await engine.removeVolume(name).catch(() => undefined);
  }
}
