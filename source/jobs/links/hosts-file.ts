// A container's /etc/hosts, read through the archive API (works for any image, running or not), and
// parsed. Used to check a legacy link or an extra host without needing any tool in the container.
import type {Readable} from 'node:stream';
import {extract} from 'tar-stream';
import type {EnginePort, RequestOptions} from '../../engine/port.js';

/** One line of /etc/hosts: an address and its names. */
export type HostsEntry = {readonly address: string; readonly names: readonly string[]};

/** Parses /etc/hosts text; comments and blank lines are skipped. */
export function parseHosts(text: string): HostsEntry[] {
  const entries: HostsEntry[] = [];
  for (const line of text.split('\n')) {
    const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (address && names.length > 0) {
      entries.push({address, names});
    }
  }

  return entries;
}

/** The addresses /etc/hosts gives for `name` (hosts lookups ignore case). */
export function hostsAddresses(entries: readonly HostsEntry[], name: string): string[] {
  const wanted = name.toLowerCase();
  return entries.filter(entry => entry.names.some(n => n.toLowerCase() === wanted)).map(entry => entry.address);
}

/** The first file of a tar stream, as text; at most `limit` bytes are kept. */
export async function firstFileOfTar(stream: Readable, limit = 1024 * 1024): Promise<string> {
  const tar = extract();
  let text: string | undefined;
  const finished = new Promise<void>((resolve, reject) => {
    tar.on('entry', (_header, body, next) => {
      const chunks: Buffer[] = [];
      let size = 0;
      body.on('data', (chunk: unknown) => {
        const bytes = chunk as Buffer;
        size += bytes.length;
        if (size <= limit) {
          chunks.push(bytes);
        }
      });
      body.on('end', () => {
        text ??= Buffer.concat(chunks).toString('utf8');
        next();
      });
      body.on('error', reject);
    });
    tar.on('finish', resolve);
    tar.on('error', reject);
    stream.on('error', reject);
  });
  stream.pipe(tar);
  await finished;
  if (text === undefined) {
    throw new Error('the archive held no file');
  }

  return text;
}

/** Reads a container's /etc/hosts through `GET /containers/{id}/archive`. */
export async function readHostsFile(engine: EnginePort, container: string, options?: RequestOptions): Promise<HostsEntry[]> {
  const stream = await engine.getArchive(container, '/etc/hosts', options);
  return parseHosts(await firstFileOfTar(stream));
}
