// Lines written to a file in one piece: a temporary file beside it, flushed, then renamed over the name
// (or, when the file must not be replaced, linked to it, which fails if it appeared meanwhile), so the file
// is never seen half-written and a failure leaves nothing behind. Failures come back in words.
import {randomBytes} from 'node:crypto';
import {link, mkdir, open, rename, stat, unlink} from 'node:fs/promises';
import {basename, dirname, join} from 'node:path';

/** Why a file could not be written, in words; the system's code after it. */
export function saveProblem(failure: unknown): string {
  const code = (failure as NodeJS.ErrnoException | undefined)?.code;
  const words: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is used up',
    EROFS: 'the file system is read-only',
    EEXIST: 'the file exists (it appeared meanwhile)',
    EISDIR: 'that is a folder',
    ENOTDIR: 'a part of the path is a file, not a folder',
    ENAMETOOLONG: 'the name is too long',
    EIO: 'the disk failed to write (I/O error)',
    ENOENT: 'a folder on the way cannot be made there',
  };
  const text = code && words[code] ? words[code] : failure instanceof Error ? failure.message : String(failure);
  return code && words[code] ? `${text} (${code})` : text;
}

/** Writes `lines` (each ended by a newline) to `path`, creating its folder; replaces a file there only when `isReplacing`. */
export async function saveLines(path: string, lines: readonly string[], isReplacing: boolean): Promise<void> {
  const folder = dirname(path);
  await makeFolder(folder);
  const temporary = join(folder, `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const file = await open(temporary, 'wx', 0o644);
  try {
    try {
      await file.writeFile(lines.length > 0 ? `${lines.join('\n')}\n` : '');
      await file.sync();
    } finally {
      await file.close();
    }

    if (isReplacing) {
      await rename(temporary, path);
    } else {
      await linkWithoutReplacing(temporary, path);
    }
  } catch (failure) {
    await unlink(temporary).catch(() => undefined);
    throw failure;
  }
}

/**
 * `mkdir -p`, a level at a time: Node's own recursive mkdir never returns where a folder cannot be made
 * although its parent exists (under /proc, say); here the second refusal is the answer.
 */
async function makeFolder(folder: string): Promise<void> {
  const make = async () => mkdir(folder).catch(async (failure: unknown) => {
    const code = (failure as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST') {
      throw failure;
    }

    // The name is taken: by a folder, fine; by a file, say so (not that "the file exists").
    if (!(await stat(folder)).isDirectory()) {
      throw Object.assign(new Error(`${folder} is a file`), {code: 'ENOTDIR'});
    }
  });
  try {
    await make();
  } catch (failure) {
    if ((failure as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(folder) === folder) {
      throw failure;
    }

    await makeFolder(dirname(folder));
    await make();
  }
}

/** Gives the written file its name unless a file already has it; where links are not supported (FAT, some network mounts), renames. */
async function linkWithoutReplacing(temporary: string, path: string): Promise<void> {
  try {
    await link(temporary, path);
  } catch (failure) {
    const code = (failure as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') {
      throw failure;
    }

    await rename(temporary, path);
    return;
  }

  // The file has its name: a temporary name left over would be untidy, not wrong.
  await unlink(temporary).catch(() => undefined);
}
