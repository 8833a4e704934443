// What a link alias may be: a DNS name the engine's resolver and /etc/hosts both accept, and (for
// legacy links) the prefix of the env vars the engine injects. Pure.

const label = /^[a-zA-Z0-9](?:[a-zA-Z0-9_-]{0,61}[a-zA-Z0-9])?$/;

/** Why `alias` cannot be a link alias, or undefined when it can. */
export function aliasProblem(alias: string): string | undefined {
  if (!alias) {
    return 'The alias is empty.';
  }

  if (alias.length > 253) {
    return `The alias is ${alias.length} characters long; a DNS name has at most 253.`;
  }

  // Every dot-separated part must be a DNS label, or one resolver accepts what another refuses.
  const bad = alias.split('.').find(part => !label.test(part));
  if (bad !== undefined) {
    return `"${alias}" is not a valid alias: each dot-separated part must be 1 to 63 letters, digits, "-" or "_", starting and ending with a letter or digit.`;
  }

  if (/^\d+(\.\d+){3}$/.test(alias)) {
    return `"${alias}" looks like an IPv4 address, which a name cannot be.`;
  }

  return undefined;
}

/** The prefix of the env vars a legacy link injects, as the engine makes it: `my-db` → `MY_DB_`. */
export function linkEnvPrefix(alias: string): string {
  return `${alias.toUpperCase().replaceAll('-', '_')}_`;
}
