// Reading sysctl configuration: which files set IPv4 forwarding, and which of them win at the next reload.
import {posix} from 'node:path';

/** Where the file goes unless told otherwise: the host's sysctl.d directory. */
export const defaultSysctlDir = '/etc/sysctl.d';

/** The file hawser writes, in the sysctl.d directory. Sorted like the admin's own 99-sysctl.conf, /etc/sysctl.conf still wins. */
export const persistFileName = '99-hawser-ip-forward.conf';

/** Its content. */
export const persistFileContent = '# Written by hawser: Docker needs IPv4 forwarding (containers reach outside, published ports from other hosts).\nnet.ipv4.ip_forward = 1\n';

// Keys that set the IPv4 forwarding switch: conf.all.forwarding and ip_forward are the same kernel value.
const forwardingKeys = new Set(['net.ipv4.ip_forward', 'net.ipv4.conf.all.forwarding']);

/** One line of a sysctl file that sets forwarding. */
export type ForwardingSetting = {readonly file: string; readonly line: number; readonly value: string; readonly text: string};

/** Parses a sysctl.conf-style text and returns the lines that set IPv4 forwarding. */
export function forwardingSettings(file: string, text: string): ForwardingSetting[] {
  const found: ForwardingSetting[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) {
      continue;
    }

    const equals = line.indexOf('=');
    if (equals < 0) {
      continue;
    }

    // A leading '-' only means "ignore errors"; '/' and '.' separate the same path.
    const key = line.slice(0, equals).trim().replace(/^-/, '').replaceAll('/', '.');
    if (forwardingKeys.has(key)) {
      found.push({file, line: index + 1, value: line.slice(equals + 1).trim(), text: line});
    }
  }

  return found;
}

/** A file that turns forwarding off, and whether it overrides hawser's file at the next reload or boot. */
export type Conflict = ForwardingSetting & {readonly isWinning: boolean};

/**
 * The settings of 0 among `files`, each marked winning when it is applied after hawser's file: systemd-sysctl
 * applies sysctl.d files sorted by name (a name in /etc masks the same name in /usr/lib), and procps
 * `sysctl --system` applies /etc/sysctl.conf last of all.
 */
export function findConflicts(files: readonly {path: string; text: string}[], ourPath: string): Conflict[] {
  const ourName = posix.basename(ourPath);
  const conflicts: Conflict[] = [];
  const seen = new Set<string>();
  for (const {path, text} of files) {
    if (path === ourPath || seen.has(path)) {
      continue;
    }

    seen.add(path);
    const isSysctlConf = path.endsWith('/sysctl.conf') && !path.includes('/sysctl.d/');
    const name = posix.basename(path);
    const isMaskedByOurs = name === ourName;
    for (const setting of forwardingSettings(path, text)) {
      if (setting.value !== '0') {
        continue;
      }

      conflicts.push({...setting, isWinning: !isMaskedByOurs && (isSysctlConf || name > ourName)});
    }
  }

  return conflicts;
}

/** The warning for one conflict. */
export function describeConflict(conflict: Conflict): string {
  const where = `${conflict.file}:${conflict.line} sets "${conflict.text}"`;
  return conflict.isWinning
    ? `${where} and is applied after hawser's file: at the next boot or sysctl reload forwarding goes off again. Change it to 1 or remove the line.`
    : `${where}; hawser's file is applied after it and wins, but remove the line to avoid confusion.`;
}
