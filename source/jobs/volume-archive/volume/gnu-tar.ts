// GNU tar on this machine, for the local path: found once per process, run on a volume's directory to
// read it as a tar or extract hawser's validated stream into it, its failures told in its own words.
import {spawn, type ChildProcess} from 'node:child_process';
import type {Readable, Writable} from 'node:stream';

// Backups keep what a volume holds beyond its bytes: PAX mtimes (any year, to the nanosecond), user
// and capability extended attributes, POSIX ACLs, sparse files' holes (PAX 1.0); numeric owners; entries in name order as the engine
// walks them. Extraction only ever reads hawser's canonical stream (restore-streams.ts), whose every
// PAX record hawser put there itself, so it applies all the attributes the stream carries; directories
// get theirs at the end, as the engine does (bsdtar writes a folder's files after other entries, and
// GNU tar would otherwise set the folder's time before writing into it).
const createFlags = ['--sort=name', '--numeric-owner', '--format=posix', '--sparse', '--pax-option=delete=atime,delete=ctime', '--xattrs', '--xattrs-include=user.*', '--xattrs-include=security.capability', '--acls', '--no-selinux'];
const extractFlags = ['--numeric-owner', '--same-owner', '--preserve-permissions', '--delay-directory-restore', '--xattrs', '--xattrs-include=*', '--acls', '--no-selinux'];
const tarEnv = {...process.env, LC_ALL: 'C'};

let gnuTarCheck: Promise<string | undefined> | undefined;
/** What the check found, once it has ended (undefined before). */
let gnuTar: string | undefined;

/**
 * The GNU tar on PATH, or undefined (busybox and bsdtar lack --sort and the PAX options): `tar --version`,
 * run once per process, without blocking; started early by startLocalChecks, so it is known when needed.
 */
export async function findGnuTar(): Promise<string | undefined> {
  gnuTarCheck ??= new Promise<string | undefined>(resolve => {
    let stdout = '';
    try {
      const probe = spawn('tar', ['--version'], {env: tarEnv, stdio: ['ignore', 'pipe', 'ignore']});
      probe.stdout.setEncoding('utf8');
      probe.stdout.on('data', (text: string) => {
        stdout += text;
      });
      probe.on('error', () => resolve(undefined));
      probe.on('close', code => resolve(code === 0 && stdout.includes('GNU tar') ? 'tar' : undefined));
    } catch {
      resolve(undefined);
    }
  }).then(found => {
    gnuTar = found;
    return found;
  });
  return gnuTarCheck;
}

/** A running tar whose failure (exit status, stderr) is known once it has ended. */
export type TarProcess = {readonly child: ChildProcess; readonly done: Promise<void>};

function watch(child: ChildProcess, what: string): Promise<void> {
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    // Bounded: tar can complain once per file.
    if (stderr.length < 4096) {
      stderr += text;
    }
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, killedBy) => {
      if (code === 0) {
        resolve();
      } else {
        reject(new LocalTarError(`${what} failed (${killedBy ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(0, 3).join('; ') || 'no message'}`, stderr));
      }
    });
  });
  // Awaited by the caller on success; on an earlier failure nobody may be waiting, which must not crash.
  done.catch(() => undefined);
  return done;
}

/** GNU tar reported a problem (a file changed while read, a write refused, …). */
export class LocalTarError extends Error {
  override readonly name = 'LocalTarError';
  constructor(message: string, readonly stderr: string) {
    super(message);
  }

  /** True when tar saw the volume change under it, the local form of the engine's truncated archive. */
  get isChanged(): boolean {
    return /changed as we read it|shrank by|file removed before we read it|File removed before/i.test(this.stderr);
  }
}

/** The command that writes the volume's directory as a tar to stdout, entries named `./...` like the archive API's `path=/vol/.`. */
export function tarCommand(dir: string): [string, string[], NodeJS.ProcessEnv] {
  return [gnuTar ?? 'tar', ['--create', '--file=-', `--directory=${dir}`, ...createFlags, '.'], tarEnv];
}

/** Watches a spawned tar: its promise fails with tar's message when it exits badly. */
export const watchTar = watch;

/** The volume's directory as a tar stream. */
export function readVolumeDir(dir: string): {readonly stream: Readable; readonly tar: TarProcess} {
  const [command, args, env] = tarCommand(dir);
  const child = spawn(command, args, {env, stdio: ['ignore', 'pipe', 'pipe']});
  return {stream: child.stdout!, tar: {child, done: watch(child, 'tar of the volume\'s directory')}};
}

/** Extracts a (validated) tar stream into the volume's directory, keeping owners, modes, mtimes and links. */
export function writeVolumeDir(dir: string): {readonly input: Writable; readonly tar: TarProcess} {
  const child = spawn(gnuTar ?? 'tar', ['--extract', '--file=-', `--directory=${dir}`, ...extractFlags], {env: tarEnv, stdio: ['pipe', 'ignore', 'pipe']});
  // A tar that exits early (cancel, a bad entry) breaks the pipe: the writer's callbacks and tar's exit
  // status report it; the stream's own 'error' event must not crash the process.
  child.stdin!.on('error', () => undefined);
  return {input: child.stdin!, tar: {child, done: watch(child, 'tar into the volume\'s directory')}};
}

/** The GNU tar found by the local checks (`tar` before they ran). */
export function gnuTarCommand(): string {
  return gnuTar ?? 'tar';
}

/** Ends a tar process that is no longer wanted (cancel, failure elsewhere in the pipeline). */
export function stopTar(tar: TarProcess): void {
  if (tar.child.exitCode === null && tar.child.signalCode === null) {
    tar.child.kill('SIGTERM');
  }
}
