// Colours as a function of the environment: NO_COLOR gives none, and every state stays readable
// through inverse video, bold and dim alone.

/** Colour names used by the UI; undefined means "terminal default". */
export type Theme = {
  readonly accent?: string;
  readonly good?: string;
  readonly warning?: string;
  readonly error?: string;
  readonly dim?: string;
  readonly titleBackground?: string;
  readonly titleForeground?: string;
};

/** The theme for this process. */
export function themeFor(env: NodeJS.ProcessEnv = process.env): Theme {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') {
    return {};
  }

  return {accent: 'cyan', good: 'green', warning: 'yellow', error: 'red', dim: 'gray', titleBackground: 'blue', titleForeground: 'white'};
}
