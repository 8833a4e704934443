// A small local image made from Debian's busybox-static, imported without any registry.
import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync, statSync} from 'node:fs';
import type {Readable} from 'node:stream';
import {pack} from 'tar-stream';
import type {EnginePort} from '../engine/port.js';

/** The reference of the image the sandbox and the tests use. */
export const busyboxImage = 'hawser/busybox:latest';

function busyboxPath(): string {
  for (const candidate of ['/bin/busybox', '/usr/bin/busybox']) {
    if (existsSync(candidate)) {
      return candidate;
    }
  }

  throw new Error('busybox-static is not installed: apt-get install busybox-static');
}

/** Builds the image's root filesystem as a tar stream: busybox, its applet links, a few files. */
export function busyboxRootfs(): Readable {
  const binary = busyboxPath();
  const applets = execFileSync(binary, ['--list'], {encoding: 'utf8'}).split('\n').filter(name => name && name !== 'busybox');
  const archive = pack();
  const mtime = new Date(statSync(binary).mtimeMs);
  for (const dir of ['bin', 'sbin', 'usr', 'usr/bin', 'usr/sbin', 'etc', 'root', 'var', 'var/www', 'proc', 'sys', 'dev', 'data']) {
    archive.entry({name: `${dir}/`, type: 'directory', mode: 0o755, mtime});
  }

  archive.entry({name: 'tmp/', type: 'directory', mode: 0o1777, mtime});
  archive.entry({name: 'etc/passwd', mode: 0o644, mtime}, 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n');
  archive.entry({name: 'etc/group', mode: 0o644, mtime}, 'root:x:0:\nnogroup:x:65534:\n');
  archive.entry({name: 'bin/busybox', mode: 0o755, mtime}, readFileSync(binary));
  for (const applet of applets) {
    archive.entry({name: `bin/${applet}`, type: 'symlink', linkname: 'busybox', mode: 0o777, mtime});
  }

  archive.finalize();
  return archive as unknown as Readable;
}

/** Imports the busybox image into the engine unless it is there already. */
export async function ensureBusyboxImage(engine: EnginePort): Promise<boolean> {
  const images = await engine.listImages();
  if (images.some(image => image.tags.includes(busyboxImage))) {
    return false;
  }

  await engine.importImage(busyboxRootfs(), busyboxImage, ['ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin', 'CMD ["sh"]']);
  return true;
}
