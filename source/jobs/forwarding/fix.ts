// The fix: turn IPv4 forwarding on through a least-privilege helper, optionally persist it in sysctl.d,
// then check again live. Works on remote engines too: only the Engine API is used.
import {posix} from 'node:path';
import type {EnginePort} from '../../engine/port.js';
import type {EngineInfo} from '../../engine/types.js';
import {InputError, JobError, throwIfAborted, type JobEvent, type PreparedJob, type Preview} from '../job.js';
import {detectForwarding, readLiveForwarding, forgetLiveCheck, usesUserns} from './detect.js';
import {engineKind, fixRisks, isInfoCached, switchOffCauses, unreachableHostAdvice} from './explain.js';
import {runHelper} from '../helpers/helper-container.js';
import {defaultPullImage, findHelperImage, hasShell, noHelperImageMessage, pullHelperImage} from '../helpers/helper-image.js';
import {defaultSysctlDir, describeConflict, findConflicts, persistFileContent, persistFileName, type Conflict} from './sysctl-files.js';

/** Where the sysctl.d file goes by default, on the engine's host. */
export {defaultSysctlDir} from './sysctl-files.js';

/** What the fix does. */
export type FixOptions = {
  /** Also write a sysctl.d file so the setting survives reboots. */
  readonly persist?: boolean;
  /** The host's sysctl.d directory (absolute, on the engine's host); tests choose their own. */
  readonly sysctlDir?: string;
  /** A helper image to use instead of the one hawser finds. */
  readonly image?: string;
  /** What to pull when no local image has a shell. */
  readonly pullImage?: string;
};

/** The script of the fix helper: a constant, no input reaches it. */
export const fixScript = 'echo 1 > /proc/sys/net/ipv4/ip_forward && cat /proc/sys/net/ipv4/ip_forward';

/** The fix helper's host config: the least that can write the setting, never privileged. */
export function fixHostConfig(info: EngineInfo): Record<string, unknown> {
  const hasSelinux = info.securityOptions.some(option => option.split(',').includes('name=selinux'));
  return {
    NetworkMode: 'host',
    CapDrop: ['ALL'],
    CapAdd: ['NET_ADMIN'],
    // The API form of --security-opt systempaths=unconfined: /proc/sys is read-only otherwise.
    MaskedPaths: [],
    ReadonlyPaths: [],
    // The default AppArmor profile (and SELinux label) forbid writes to /proc/sys.
    SecurityOpt: ['apparmor=unconfined', 'no-new-privileges', ...(hasSelinux ? ['label=disable'] : [])],
    ReadonlyRootfs: true,
    Privileged: false,
    ...(usesUserns(info) ? {UsernsMode: 'host'} : {}),
  };
}

// The persist helper: no network, no capabilities; writes only into the sysctl.d mount, reads the rest.
const persistScript = [
  'set -eu',
  'dir=/hawser/sysctl.d',
  'tmp="$dir/.$HAWSER_FILE.$$.tmp"',
  'trap \'rm -f "$tmp"\' EXIT',
  'printf \'%s\' "$HAWSER_CONTENT" > "$tmp"',
  'chmod 0644 "$tmp"',
  // Same directory, so the rename is atomic: a reader sees the old file or the new one, never half.
  'mv -f "$tmp" "$dir/$HAWSER_FILE"',
  'echo "@@written"',
  'for f in /hawser/etc/sysctl.conf /hawser/etc/ufw/sysctl.conf /hawser/etc/sysctl.d/*.conf /hawser/usr-lib/sysctl.d/*.conf /hawser/sysctl.d/*.conf; do',
  '  [ -f "$f" ] || continue',
  '  echo "@@file $f"',
  '  grep -n -i forward "$f" || true',
  'done',
].join('\n');

/** The persist helper's host config: the sysctl.d directory writable, /etc and /usr/lib read-only for the scan. */
export function persistHostConfig(info: EngineInfo, sysctlDir: string): Record<string, unknown> {
  return {
    NetworkMode: 'none',
    CapDrop: ['ALL'],
    ReadonlyRootfs: true,
    SecurityOpt: ['no-new-privileges'],
    Privileged: false,
    // Mounts, not Binds: a missing source is an error instead of a directory created on the host.
    Mounts: [
      {Type: 'bind', Source: sysctlDir, Target: '/hawser/sysctl.d', ReadOnly: false},
      {Type: 'bind', Source: '/etc', Target: '/hawser/etc', ReadOnly: true},
      {Type: 'bind', Source: '/usr/lib', Target: '/hawser/usr-lib', ReadOnly: true},
    ],
    ...(usesUserns(info) ? {UsernsMode: 'host'} : {}),
  };
}

/** Turns the persist helper's output into host paths and their forwarding lines. */
export function parseScan(output: string, sysctlDir: string): {isWritten: boolean; files: {path: string; text: string}[]} {
  const files: {path: string; lines: string[]}[] = [];
  let isWritten = false;
  const toHost = (path: string) => path
    .replace(/^\/hawser\/sysctl\.d\//, `${sysctlDir}/`)
    .replace(/^\/hawser\/etc\//, '/etc/')
    .replace(/^\/hawser\/usr-lib\//, '/usr/lib/');
  for (const line of output.split('\n')) {
    if (line === '@@written') {
      isWritten = true;
    } else if (line.startsWith('@@file ')) {
      files.push({path: toHost(line.slice('@@file '.length)), lines: []});
    } else {
      const match = /^(\d+):(.*)$/.exec(line);
      const current = files.at(-1);
      if (match && current) {
        // Put each line back at its number, so reported line numbers match the file.
        current.lines[Number(match[1]) - 1] = match[2]!;
      }
    }
  }

  return {isWritten, files: files.map(file => ({path: file.path, text: Array.from(file.lines, line => line ?? '').join('\n')}))};
}

/** Checks the sysctl.d directory given by the user: absolute, normalised, not the root. */
export function validateSysctlDir(dir: string): string {
  const trimmed = dir.trim();
  if (!trimmed.startsWith('/') || /[\0\n]/.test(trimmed)) {
    throw new InputError(`The sysctl directory must be an absolute path on the engine's host, not "${dir}".`, `For example ${defaultSysctlDir}.`);
  }

  const normal = posix.normalize(trimmed).replace(/\/+$/, '');
  if (!normal || normal === '/' || trimmed.split('/').includes('..')) {
    throw new InputError(`"${dir}" cannot be the sysctl directory.`, `Give the directory itself, for example ${defaultSysctlDir}.`);
  }

  return normal;
}

function explainFixFailure(output: string, exitCode: number): JobError {
  const text = output.trim().split('\n').at(-1) ?? '';
  if (/read-only file system/i.test(output)) {
    return new JobError(`The engine kept /proc/sys read-only for the helper (${text}).`, 'It ignored ReadonlyPaths: [] (engines before API 1.40). On the engine\'s host run: sysctl -w net.ipv4.ip_forward=1');
  }

  if (/operation not permitted|permission denied/i.test(output)) {
    return new JobError(`The helper may not write the setting (${text}).`, 'A security module (AppArmor, SELinux) or a user namespace blocks it. On the engine\'s host run: sysctl -w net.ipv4.ip_forward=1');
  }

  return new JobError(`The fix helper failed with exit code ${exitCode}${text ? `: ${text}` : ''}.`, 'On the engine\'s host run: sysctl -w net.ipv4.ip_forward=1');
}

function helperFailure(what: string, error: unknown, hint: string): JobError {
  if (error instanceof JobError) {
    return error;
  }

  return new JobError(`${what}: ${error instanceof Error ? error.message : String(error)}`, hint);
}

/** The preview of the fix: what runs, with which privileges, and the risks. */
export function fixPreview(engine: EnginePort, info: EngineInfo, plan: {image?: string; pullImage: string; persist: boolean; sysctlDir: string; isOn?: boolean}): Preview {
  const config = fixHostConfig(info);
  const image = plan.image ?? plan.pullImage;
  const steps: string[] = [];
  if (!plan.image) {
    steps.push(`${noHelperImageMessage()} Pull ${plan.pullImage} (about 2 MB) from its registry first, with progress.`);
  }

  steps.push(
    `Run a helper container from ${image}: sh -c '${fixScript}'`,
    `  privileges: host network namespace; capabilities: NET_ADMIN only (CapDrop ALL); /proc/sys writable (MaskedPaths [], ReadonlyPaths []); ${(config['SecurityOpt'] as string[]).join(', ')}; read-only root filesystem${config['UsernsMode'] ? '; host user namespace' : ''}; never --privileged`,
    '  labelled io.hawser.helper=1 and removed when it ends, also on failure',
  );
  if (plan.persist) {
    steps.push(
      `Write ${posix.join(plan.sysctlDir, persistFileName)} with "net.ipv4.ip_forward = 1" (to a temporary name, then renamed) through a second helper: no network, no capabilities, read-only root filesystem; ${plan.sysctlDir} mounted read-write, the host's /etc and /usr/lib read-only to find files that set it back to 0`,
    );
  }

  steps.push('Check again from a fresh read-only helper and report the result');
  const warnings = [...fixRisks];
  if (!plan.persist) {
    warnings.push('Without persisting, the setting lasts until the next reboot or sysctl reload.');
  }

  const title = (plan.isOn ?? info.isIpv4ForwardingOn) ? `IPv4 forwarding is on at ${engine.address}: make it last across reboots` : `Turn on IPv4 forwarding on ${engine.address}`;
  return {title, steps, warnings, isDestructive: false};
}

/** Checks the engine and the options, then plans the fix; throws InputError (nothing changed) where it cannot work. */
export async function prepareForwardingFix(engine: EnginePort, options: FixOptions = {}): Promise<PreparedJob> {
  const persist = Boolean(options.persist);
  const sysctlDir = validateSysctlDir(options.sysctlDir ?? defaultSysctlDir);
  const info = await engine.info();
  if (info.os && info.os !== 'linux') {
    throw new InputError(`The engine runs on ${info.os}: IPv4 forwarding is a Linux setting.`, 'Nothing to fix here.');
  }

  const kind = engineKind(info);
  if (kind !== 'standard') {
    const [why = '', what = ''] = unreachableHostAdvice(kind);
    throw new InputError(`The fix cannot reach the real host. ${why}`, what);
  }

  // From Engine 23 /info holds the value read when the daemon started: ask the engine's own
  // namespace instead. When that check cannot run, the fix goes ahead (it reads the value back).
  const isOn = isInfoCached(info) ? await detectForwarding(engine, {live: 'always'}).then(report => report.liveSaysOn ?? false, () => false) : info.isIpv4ForwardingOn;
  if (isOn && !persist) {
    throw new InputError(`IPv4 forwarding is already on at ${engine.address}: there is nothing to turn on.`, 'To make it last across reboots, write it to the host\'s sysctl.d: hawser forwarding --fix --persist (in the TUI: F, with "Make it last across reboots" on).');
  }

  let image: string | undefined;
  if (options.image) {
    if (!await hasShell(engine, options.image)) {
      throw new InputError(`The image ${options.image} is not on the engine or has no /bin/sh.`, 'Choose a local image with a shell, or leave it out and hawser finds or pulls one.');
    }

    image = options.image;
  } else {
    image = await findHelperImage(engine);
  }

  const pullImage = options.pullImage ?? defaultPullImage;
  const preview = fixPreview(engine, info, {image, pullImage, persist, sysctlDir, isOn});

  async function * job(jobEngine: EnginePort, signal: AbortSignal): AsyncGenerator<JobEvent> {
    let helperImage = image;
    if (!helperImage) {
      yield * pullHelperImage(jobEngine, pullImage, signal);
      helperImage = pullImage;
    }

    throwIfAborted(signal);
    yield {type: 'step', title: 'Turning on IPv4 forwarding through a helper in the host network namespace'};
    const fix = await runHelper(jobEngine, {image: helperImage, purpose: 'forwarding-fix', script: fixScript, hostConfig: fixHostConfig(info)}, signal)
      .catch((error: unknown) => {
        throw helperFailure('The fix helper could not run', error, 'Check the engine\'s logs; on the engine\'s host you can run: sysctl -w net.ipv4.ip_forward=1');
      });
    if (fix.exitCode !== 0 || fix.output.trim() !== '1') {
      throw explainFixFailure(fix.output, fix.exitCode);
    }

    forgetLiveCheck(jobEngine);
    yield {type: 'log', line: 'net.ipv4.ip_forward = 1 in the engine\'s network namespace.'};

    let conflicts: Conflict[] = [];
    const persistedTo = persist ? posix.join(sysctlDir, persistFileName) : undefined;
    if (persist) {
      throwIfAborted(signal);
      yield {type: 'step', title: `Writing ${persistedTo}`};
      const written = await runHelper(jobEngine, {
        image: helperImage,
        purpose: 'forwarding-persist',
        script: persistScript,
        env: {HAWSER_FILE: persistFileName, HAWSER_CONTENT: persistFileContent},
        hostConfig: persistHostConfig(info, sysctlDir),
      }, signal).catch((error: unknown) => {
        throw helperFailure(`Forwarding is on now, but ${persistedTo} was not written`, error, `Check that ${sysctlDir} exists on the engine's host and is writable by root.`);
      });
      const scan = parseScan(written.output, sysctlDir);
      if (written.exitCode !== 0 || !scan.isWritten) {
        throw new JobError(`Forwarding is on now, but ${persistedTo} was not written: ${written.output.trim().split('\n').at(-1) ?? `exit code ${written.exitCode}`}.`, `Check that ${sysctlDir} exists on the engine's host and is writable by root.`);
      }

      yield {type: 'log', line: `Wrote ${persistedTo}.`};
      conflicts = findConflicts(scan.files, persistedTo!);
      for (const conflict of conflicts) {
        yield conflict.isWinning ? {type: 'warning', message: describeConflict(conflict)} : {type: 'log', line: describeConflict(conflict)};
      }

      yield {type: 'log', line: 'What else can switch it off again, and how to prevent it:'};
      for (const cause of switchOffCauses) {
        yield {type: 'log', line: `- ${cause}`};
      }
    }

    throwIfAborted(signal);
    yield {type: 'step', title: 'Checking again'};
    const isOn = await readLiveForwarding(jobEngine, info, helperImage, signal).catch((error: unknown) => {
      throw helperFailure('The check after the fix failed', error, 'Run hawser forwarding to check again.');
    });
    if (!isOn) {
      throw new JobError('IPv4 forwarding is off again right after the fix: something on the host switched it back.', 'Look for a network manager or hardening agent resetting net.ipv4.ip_forward (see hawser forwarding --help).');
    }

    if (isInfoCached(info)) {
      yield {type: 'log', line: `The engine's /info keeps saying forwarding is off until its daemon restarts (Engine ${info.version} reads it once at start); containers work now.`};
    }

    if (!persist) {
      yield {type: 'warning', message: 'Not persisted: a reboot or sysctl reload can switch it off again. Run with --persist to keep it.'};
    }

    const winning = conflicts.filter(conflict => conflict.isWinning).length;
    yield {
      type: 'done',
      summary: `IPv4 forwarding is on (checked live)${persistedTo ? `; persisted in ${persistedTo}` : ''}${winning ? `; ${winning} file(s) set it back to 0 at the next reload` : ''}.`,
      data: {state: 'on', persistedTo, conflicts},
    };
  }

  return {preview, job};
}
