// An engine document as indented JSON lines, with secrets masked unless revealed: env values and
// labels named like secrets, command-line secret flags, and passwords in URLs anywhere. Pure.
import {maskedDocument} from '../model/secrets.js';

/** The document's JSON, a line each; secrets masked unless `isRevealed`. */
export function inspectLines(document: unknown, isRevealed: boolean): string[] {
  return JSON.stringify(isRevealed ? document : maskedDocument(document), null, 2).split('\n');
}
