import {mkdir, open, readFile, stat} from 'node:fs/promises';
import {describe, expect, it} from 'vitest';
import {exitCodeOf, exitCodes, formatError} from '../../source/commands/errors.js';

async function failure(action: () => Promise<unknown>): Promise<unknown> {
  return action().then(() => expect.unreachable('it did not fail'), (error: unknown) => error);
}

describe('how a command reports a file system error', () => {
  it('in words, with the path and what to do, and as bad input (exit 2)', async () => {
    const missing = await failure(async () => readFile('/nonexistent-dir/archive.tar'));
    expect(formatError(missing)).toBe('hawser: /nonexistent-dir/archive.tar does not exist.\n  Check the path (a folder on the way may be missing).');
    expect(exitCodeOf(missing)).toBe(exitCodes.usage);

    const exists = await failure(async () => mkdir('/tmp'));
    expect(formatError(exists)).toBe('hawser: /tmp already exists.\n  Choose another path, or move it away first.');

    const notFolder = await failure(async () => open('/etc/hostname/x', 'r'));
    expect(formatError(notFolder)).toBe('hawser: A part of /etc/hostname/x is a file, where a folder is needed.\n  Check the path.');
    expect(exitCodeOf(notFolder)).toBe(exitCodes.usage);
  });

  it('a path too long for the system: said shortened, with what is too long and what to do, as bad input', async () => {
    const longName = await failure(async () => stat(`/tmp/${'a'.repeat(5000)}`));
    expect((longName as NodeJS.ErrnoException).code).toBe('ENAMETOOLONG');
    expect(formatError(longName)).toBe(`hawser: The path /tmp/${'a'.repeat(45)}…${'a'.repeat(20)} is too long: a name in it is 5000 bytes long, and a file or folder name can have at most 255.\n  Give a shorter path: shorter names, or fewer folders.`);
    expect(exitCodeOf(longName)).toBe(exitCodes.usage);

    const longPath = await failure(async () => open(`/tmp/${'d/'.repeat(2100)}a.tar`, 'r'));
    expect(formatError(longPath)).toMatch(/^hawser: The path \/tmp\/d\/d\/.*… ?.* is too long: it is 4210 bytes long, more than the system takes \(4,095 at most\)\.\n {2}Give a shorter path/);
    expect(exitCodeOf(longPath)).toBe(exitCodes.usage);
  });

  it('leaves other errors as they are', () => {
    expect(formatError(new Error('something else'))).toBe('hawser: something else');
    expect(exitCodeOf(new Error('something else'))).toBe(exitCodes.failure);
  });
});
