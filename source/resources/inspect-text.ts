// An engine document as indented JSON lines, with secret env values masked unless revealed. Pure.
import {isSecretName, secretMask, splitEnv} from '../jobs/secrets.js';

function masked(document: unknown): unknown {
  if (Array.isArray(document)) {
    return document.map(masked);
  }

  if (document && typeof document === 'object') {
    return Object.fromEntries(Object.entries(document as Record<string, unknown>).map(([key, value]) => {
      if (key === 'Env' && Array.isArray(value)) {
        return [key, value.map(entry => {
          const {name} = splitEnv(String(entry));
          return isSecretName(name) ? `${name}=${secretMask}` : entry;
        })];
      }

      return [key, masked(value)];
    }));
  }

  return document;
}

/** The document's JSON, a line each; secrets in `Env` masked unless `isRevealed`. */
export function inspectLines(document: unknown, isRevealed: boolean): string[] {
  return JSON.stringify(isRevealed ? document : masked(document), null, 2).split('\n');
}
