// The bytes a restore sends to the engine: the archive's volume entries without hawser's manifest,
// ended with fresh end-of-archive blocks; or, with a strip, the entries re-packed under shorter names.
import {Transform, type Readable, type TransformCallback} from 'node:stream';
import {extract, pack} from 'tar-stream';
import {normalizeEntryName, stripComponents} from './archive-rules.js';

/** Passes the first `limit` bytes, then the two zero blocks that end a tar. */
export class CutStream extends Transform {
  private passed = 0;

  constructor(private readonly limit: number, private readonly onBytes?: (passed: number) => void) {
    super({highWaterMark: 1024 * 1024});
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const room = this.limit - this.passed;
    if (room > 0) {
      const piece = chunk.length <= room ? chunk : chunk.subarray(0, room);
      this.passed += piece.length;
      this.push(piece);
      this.onBytes?.(this.passed);
    }

    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.push(Buffer.alloc(1024));
    callback();
  }
}

/** Re-packs a (validated) tar stream with `strip` leading components removed, as tar --strip-components does. */
export function stripStream(source: Readable, strip: number, onBytes?: (passed: number) => void): Readable {
  const unpack = extract();
  const repack = pack();
  let passed = 0;
  unpack.on('entry', (header, stream, next) => {
    const normalized = normalizeEntryName(header.name);
    const name = 'path' in normalized ? stripComponents(normalized.path, strip) : undefined;
    if (name === undefined) {
      stream.on('end', next);
      stream.resume();
      return;
    }

    let linkname = header.linkname;
    if (header.type === 'link' && linkname) {
      const target = normalizeEntryName(linkname);
      linkname = 'path' in target ? stripComponents(target.path, strip) ?? linkname : linkname;
    }

    const sink = repack.entry({...header, name: header.type === 'directory' ? `${name}/` : name, linkname}, error => {
      if (error) {
        unpack.destroy(error);
      } else {
        next();
      }
    });
    stream.on('data', (chunk: unknown) => {
      passed += (chunk as Buffer).length;
      onBytes?.(passed);
    });
    stream.pipe(sink);
  });
  unpack.on('finish', () => repack.finalize());
  unpack.on('error', error => repack.destroy(error));
  source.on('error', error => unpack.destroy(error));
  source.pipe(unpack);
  return repack as unknown as Readable;
}
