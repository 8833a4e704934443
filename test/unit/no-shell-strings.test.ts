// User input never reaches a shell string: every process and container command is an argument array.
// A static check over source/, so a future `sh -c` with interpolation fails here instead of in a review.
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap(entry => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe('no shell strings built from values', () => {
  const files = sourceFiles(path.resolve('source')).map(file => ({file, text: readFileSync(file, 'utf8')}));

  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('never interpolates into a `sh -c` script, never spawns with a shell, never uses exec/execSync', () => {
    const problems: string[] = [];
    for (const {file, text} of files) {
      const lines = text.split('\n');
      for (const [index, line] of lines.entries()) {
        const where = `${path.relative(process.cwd(), file)}:${index + 1}`;
        // A -c followed by a template literal with ${...} on the same line: a script built from values.
        if (/['"]-c['"]\s*,\s*`[^`]*\$\{/.test(line)) {
          problems.push(`${where}: sh -c with an interpolated script`);
        }

        if (/shell:\s*true/.test(line)) {
          problems.push(`${where}: spawn with shell: true`);
        }

        if (/\b(execSync|exec)\(\s*`/.test(line) || /from 'node:child_process'.*\bexec\b[,}]/.test(line)) {
          problems.push(`${where}: child_process.exec runs a shell`);
        }
      }

      // Container commands given as one string are run by a shell inside the container.
      for (const match of text.matchAll(/\b(Cmd|Entrypoint):\s*`[^`]*\$\{/g)) {
        problems.push(`${path.relative(process.cwd(), file)}: ${match[1]} as an interpolated string`);
      }
    }

    expect(problems).toEqual([]);
  });
});
