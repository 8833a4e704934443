// What to hide on screen and in every output until the user asks to see it: values of env vars and
// labels whose names say secret (MYSQL_PWD, GITHUB_PAT, JWT, db.password…), and secrets by their
// shape wherever they stand: the password in a URL (postgres://app:pass@db) and the value of a
// command-line flag named like a secret (--password=…, --token …).

// A secret-sounding word, as a whole part of a name split at _ . - (or at its ends).
const secretWord = /(^|[_.-])(PASS(WORD|WD|PHRASE)?|PWD|SECRETS?|TOKENS?|KEYS?|API_?KEY|PRIVATE|CREDENTIALS?|CREDS|AUTH|SALT|DSN|CERT|PAT|JWT|SIGNATURE|SESSION|COOKIE)($|[_.-])/i;
// Words that hold a secret also when glued to others (DBPASSWORD, MYSECRET, APITOKEN).
const secretStem = /(PASSWORD|PASSWD|SECRET|TOKEN|APIKEY|PRIVATE_?KEY|CREDENTIAL)/i;

/** True when an env var's or label's name suggests its value is a secret. */
export function isSecretName(name: string): boolean {
  return secretWord.test(name) || secretStem.test(name);
}

/** A fixed-width mask, so the value's length is not shown either. */
export const secretMask = '••••••••';

/** Splits `NAME=value` into its parts. */
export function splitEnv(entry: string): {name: string; value: string} {
  const equals = entry.indexOf('=');
  return equals < 0 ? {name: entry, value: ''} : {name: entry.slice(0, equals), value: entry.slice(equals + 1)};
}

// scheme://user:password@host — the password is what goes.
const urlCredentials = /([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s@/]+)(@)/gi;
// --password=x, --db-token=x (one word), and the next word after such a flag in a command line.
const secretFlagInline = /(--?[a-z0-9][a-z0-9_.-]*)=(\S+)/gi;

/** `text` with credentials in URLs and the values of secret-named `--flag=value`s masked. */
export function maskSecretText(text: string): string {
  return text
    .replace(urlCredentials, (_match, before: string, _password: string, at: string) => `${before}${secretMask}${at}`)
    .replace(secretFlagInline, (match, flag: string) => (isSecretName(flag.replace(/^-+/, '')) ? `${flag}=${secretMask}` : match));
}

/** True when `text` holds a secret by its shape (a URL with a password, a secret flag's value). */
export function hasSecretShape(text: string): boolean {
  return maskSecretText(text) !== text;
}

/** `NAME=value` with the value masked when the name says secret, else its secret shapes masked. */
export function maskEnvEntry(entry: string): string {
  const {name, value} = splitEnv(entry);
  return isSecretName(name) ? `${name}=${secretMask}` : `${name}=${maskSecretText(value)}`;
}

/** A command line (Cmd, Entrypoint, Args) with secret flag values masked, also as separate words (`--password x`). */
export function maskCommandLine(words: readonly string[]): string[] {
  return words.map((word, index) => {
    const previous = words[index - 1];
    if (previous !== undefined && /^--?[a-z]/i.test(previous) && !previous.includes('=') && isSecretName(previous.replace(/^-+/, ''))) {
      return secretMask;
    }

    return maskSecretText(word);
  });
}

/** A label's value as it may be shown: masked when its key says secret, else its secret shapes masked. */
export function maskLabelValue(key: string, value: string): string {
  return isSecretName(key) ? secretMask : maskSecretText(value);
}

/** `document` (an engine record, a job event) with every secret in it masked: env, labels, command lines, URLs anywhere. */
export function maskedDocument(document: unknown): unknown {
  if (typeof document === 'string') {
    return maskSecretText(document);
  }

  if (Array.isArray(document)) {
    return document.map(maskedDocument);
  }

  if (document && typeof document === 'object') {
    return Object.fromEntries(Object.entries(document as Record<string, unknown>).map(([key, value]) => {
      const name = key.toLowerCase();
      if (name === 'env' && Array.isArray(value)) {
        return [key, value.map(entry => maskEnvEntry(String(entry)))];
      }

      if ((name === 'cmd' || name === 'entrypoint' || name === 'args') && Array.isArray(value)) {
        return [key, maskCommandLine(value.map(String))];
      }

      if (name === 'labels' && value && typeof value === 'object' && !Array.isArray(value)) {
        return [key, Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([label, text]) => [label, maskLabelValue(label, String(text))]))];
      }

      return [key, maskedDocument(value)];
    }));
  }

  return document;
}
