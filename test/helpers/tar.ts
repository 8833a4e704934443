// Builds small tar archives in memory for the archive tests, with tar-stream's packer.
import {pack, type Header} from 'tar-stream';

/** One entry: its header (only the name is required) and, for a regular file, its content (empty when left out). */
export type TarEntrySpec = Partial<Header> & Pick<Header, 'name'> & {body?: string | Buffer};

/**
 * The archive of `entries`, in order. Every entry gets mode 0644 unless `defaults` or the entry
 * says otherwise; `defaults` also fixes other header fields for all entries (an `mtime`, so that
 * the bytes do not depend on when the test runs; tar-stream stamps the current time otherwise).
 */
export async function tarOf(entries: readonly TarEntrySpec[], defaults: Partial<Header> = {}): Promise<Buffer> {
  const archive = pack();
  for (const {body, ...header} of entries) {
    const full = {mode: 0o644, ...defaults, ...header};
    const content = body ?? (full.type === undefined || full.type === 'file' ? '' : undefined);
    if (content === undefined) {
      archive.entry(full);
    } else {
      archive.entry(full, content);
    }
  }

  archive.finalize();
  const chunks: Uint8Array[] = [];
  for await (const chunk of archive) {
    if (!(chunk instanceof Uint8Array)) {
      throw new TypeError(`tar-stream produced a ${typeof chunk} chunk, not bytes`);
    }

    chunks.push(chunk);
  }

  return Buffer.concat(chunks);
}
