// The "Labels" details section, the same for containers, networks and volumes.
import {hasSecretShape, isSecretName, maskSecretText} from '../model/secrets.js';
import type {DetailSection} from './kind.js';

/** The "Labels" section for a resource's labels (secret ones masked until revealed): one section, or none when it has no labels. */
export function labelsSection(labels: Readonly<Record<string, string>>): DetailSection[] {
  const rows = Object.entries(labels).map(([label, value]) => ({
    label,
    value,
    tone: 'dim' as const,
    ...(isSecretName(label) ? {isSecret: true} : hasSecretShape(value) ? {maskedValue: maskSecretText(value)} : {}),
  }));
  return rows.length > 0 ? [{title: 'Labels', rows}] : [];
}
