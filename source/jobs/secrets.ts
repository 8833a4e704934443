// Which env values to hide on screen until the user asks to see them.

const secretPattern = /(PASS(WORD|WD)?|SECRET|TOKEN|(^|_)KEY($|_)|API_?KEY|PRIVATE|CREDENTIAL|AUTH|SALT|DSN|CERT)/i;

/** True when an env var's name suggests its value is a secret. */
export function isSecretName(name: string): boolean {
  return secretPattern.test(name);
}

/** A fixed-width mask, so the value's length is not shown either. */
export const secretMask = '••••••••';

/** Splits `NAME=value` into its parts. */
export function splitEnv(entry: string): {name: string; value: string} {
  const equals = entry.indexOf('=');
  return equals < 0 ? {name: entry, value: ''} : {name: entry.slice(0, equals), value: entry.slice(equals + 1)};
}
