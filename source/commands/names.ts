// The names a command line gives for containers, networks and volumes, checked before the engine is asked:
// an empty name, or one with "/" (or "." or "..", which a URL path takes for folders), would otherwise reach
// the engine's URL as another path, and come back as an answer nobody can act on (or none at all).
import {InputError} from '../jobs/job.js';

/** Docker's own rule for container names; an id, or the start of one, is hex and passes too. */
const containerPattern = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** The name as given, quoted and readable whatever it holds (a long one shortened, control characters escaped). */
export function quoted(name: string): string {
  return JSON.stringify(name.length > 60 ? `${name.slice(0, 40)}…${name.slice(-10)}` : name);
}

/** Why `name` can never name a container, network or volume (it would not stay one name in a URL's path), or undefined. */
function unreachableReason(name: string): string | undefined {
  if (name.includes('/')) {
    return 'a name has no "/"';
  }

  if (name === '.' || name === '..') {
    return '"." and ".." are not names';
  }

  return /[\u0000-\u001f\u007f]/.test(name) ? 'a name has no control characters' : undefined;
}

/** Throws InputError unless `name` can name (or be the id of) a container; `what` is how the command calls it. */
export function checkContainerName(name: string, what = 'CONTAINER'): void {
  const hint = 'A container name starts with a letter or digit and holds only letters, digits, _ . and - (like web or db-1); an id works too. hawser ls containers lists them.';
  if (!name.trim()) {
    throw new InputError(`No container given: ${what} is empty.`, hint);
  }

  if (!containerPattern.test(name.trim())) {
    const reason = unreachableReason(name.trim());
    throw new InputError(`${quoted(name)} (${what}) is not a container name or id${reason ? `: ${reason}` : ''}.`, hint);
  }
}

/** Throws InputError for an empty `name`, or one that can never reach an object: `noun` says what it would be. */
function checkReachable(name: string, what: string, empty: string, noun: string, hint: string, note = ''): void {
  if (!name.trim()) {
    throw new InputError(`No ${empty} given: ${what} is empty.`, hint);
  }

  const reason = unreachableReason(name.trim());
  if (reason) {
    throw new InputError(`${quoted(name)} (${what}) is not ${noun}: ${reason}${note}.`, hint);
  }
}

/**
 * Throws InputError unless `name` can name (or be the id of) a network. The engine lets a network's name hold
 * almost anything, so only what can never reach one is refused.
 */
export function checkNetworkName(name: string, what = 'NETWORK'): void {
  checkReachable(name, what, 'network', 'a network name or id', 'Give a network\'s name or id, like appnet or bridge; hawser network ls lists them.');
}

/**
 * Throws InputError unless `name` can name a volume. A local volume's name is letters, digits, _ . and -; a
 * volume plugin may allow more, so only what can never reach a volume is refused.
 */
export function checkVolumeName(name: string, what = 'VOLUME'): void {
  const note = name.includes('/') ? ' (hawser backs up volumes; a folder of this machine is for tar)' : '';
  checkReachable(name, what, 'volume', 'a volume name', 'A volume name is like mysql-data: letters, digits, _ . and -, starting with a letter or digit; hawser ls volumes lists them.', note);
}

/**
 * Throws InputError for what cannot be a container's name, one of its aliases or an address: nothing, or "/" in
 * it. `kinds` says what the command takes there, `example` shows it.
 */
export function checkTargetName(name: string, what: string, kinds: string, example: string): void {
  checkReachable(name, what, 'target', 'a container name, alias or address', `Give ${kinds}, as in ${example}.`);
}
