// The EnginePort for real engines, on dockerode. The only file that imports dockerode.
import {readFileSync} from 'node:fs';
import {PassThrough, type Readable} from 'node:stream';
import Docker from 'dockerode';
import type {Endpoint} from './connection.js';
import {EngineError, toEngineError} from './errors.js';
import {readNdjson} from './ndjson.js';
import {pullQuery, readPullProgress} from './pull-progress.js';
import type {ConnectSpec, CreateNetworkSpec, EnginePort, ExecResult, RequestOptions} from './port.js';
import {containerFromInspect, containerFromList, eventFromEngine, networkFromInspect, networkFromList, volumeFromEngine} from './records.js';
import {createSshAgent} from './ssh-agent.js';
import type {EngineInfo} from './types.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function readTls(file: string | undefined, what: string): Buffer | undefined {
  if (!file) {
    return undefined;
  }

  try {
    return readFileSync(file);
  } catch {
    throw new EngineError(`Cannot read the TLS ${what} ${file}.`, 'Set DOCKER_CERT_PATH to the folder holding ca.pem, cert.pem and key.pem.', undefined, 'unreachable');
  }
}

/** dockerode options for an endpoint; every field set, since docker-modem's defaults read DOCKER_HOST. */
function modemOptions(endpoint: Endpoint, timeoutMs?: number): Docker.DockerOptions {
  const base = {socketPath: undefined, host: undefined, port: undefined, protocol: undefined, ca: undefined, cert: undefined, key: undefined, timeout: timeoutMs};
  switch (endpoint.kind) {
    case 'unix': {
      return {...base, socketPath: endpoint.socketPath};
    }

    case 'tcp': {
      if (!endpoint.tls) {
        return {...base, host: endpoint.host, port: endpoint.port, protocol: 'http'};
      }

      return {
        ...base,
        host: endpoint.host,
        port: endpoint.port,
        protocol: 'https',
        ca: readTls(endpoint.tls.ca, 'CA certificate'),
        cert: readTls(endpoint.tls.cert, 'client certificate'),
        key: readTls(endpoint.tls.key, 'client key'),
        ...(endpoint.tls.isVerifying ? {} : {checkServerIdentity: () => undefined}),
      } as Docker.DockerOptions;
    }

    case 'ssh': {
      return {...base, host: 'localhost', port: 80, protocol: 'http', agent: createSshAgent(endpoint, process.env['HAWSER_SSH_COMMAND'] || 'ssh')} as Docker.DockerOptions;
    }
  }
}

/** Splits the engine's multiplexed stdout/stderr framing (non-TTY containers). */
export function demultiplex(buffer: Buffer): {stdout: string; stderr: string} {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let offset = 0;
  const isFramed = buffer.length >= 8 && buffer[0]! <= 2 && buffer[1] === 0 && buffer[2] === 0 && buffer[3] === 0;
  if (!isFramed) {
    return {stdout: buffer.toString('utf8'), stderr: ''};
  }

  while (offset + 8 <= buffer.length) {
    const kind = buffer[offset]!;
    const size = buffer.readUInt32BE(offset + 4);
    const payload = buffer.subarray(offset + 8, offset + 8 + size);
    (kind === 2 ? err : out).push(payload);
    offset += 8 + size;
  }

  return {stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8')};
}

/** Builds an EnginePort for an endpoint. No request is made until a method is called. */
export function createDockerEngine(endpoint: Endpoint, options: {timeoutMs?: number} = {}): EnginePort {
  // dockerode's typings pick the callback overloads for option objects; promises are used throughout.
  const docker = new Docker(modemOptions(endpoint, options.timeoutMs)) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  const modem = docker.modem as {dial: (o: Json, cb: (error: unknown, data: unknown) => void) => void};
  const address = endpoint.address;

  async function call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toEngineError(error, address);
    }
  }

  function dial<T>(request: Json): Promise<T> {
    return call(async () => new Promise<T>((resolve, reject) => {
      modem.dial(request, (error, data) => {
        if (error) {
          reject(error);
        } else {
          resolve(data as T);
        }
      });
    }));
  }

  const sig = (o?: RequestOptions) => ({abortSignal: o?.signal});

  const engine: EnginePort = {
    address,

    async ping(o) {
      await call(async () => docker.ping(sig(o)));
    },

    async info(o) {
      return call(async () => {
        const [version, info] = await Promise.all([docker.version(sig(o)), docker.info(sig(o))]) as [Json, Json];
        const warnings = Array.isArray(info['Warnings']) ? info['Warnings'] as string[] : [];
        const result: EngineInfo = {
          version: String(version['Version'] ?? ''),
          apiVersion: String(version['ApiVersion'] ?? ''),
          os: String(version['Os'] ?? ''),
          name: String(info['Name'] ?? ''),
          isIpv4ForwardingOn: info['IPv4Forwarding'] !== false,
          warnings,
          securityOptions: Array.isArray(info['SecurityOptions']) ? info['SecurityOptions'] as string[] : [],
          isSwarmManager: Boolean(info['Swarm']?.['ControlAvailable']),
          operatingSystem: String(info['OperatingSystem'] ?? ''),
          systemTime: (Date.parse(String(info['SystemTime'] ?? '')) || Date.now()) / 1000,
        };
        return result;
      });
    },

    async listContainers(o) {
      const filters = o?.ids ? {id: [...o.ids]} : undefined;
      const list = await call(async () => docker.listContainers({all: true, filters, ...sig(o)})) as Json[];
      return list.map(containerFromList);
    },

    async inspectContainer(id, o) {
      return containerFromInspect(await call(async () => docker.getContainer(id).inspect(sig(o))) as Json);
    },

    async createContainer(spec, o) {
      const {name, ...body} = spec;
      const result = await dial<Json>({
        path: '/containers/create?',
        method: 'POST',
        options: {_query: name ? {name} : {}, _body: body},
        abortSignal: o?.signal,
        statusCodes: {201: true, 400: 'bad parameter', 404: 'no such image', 409: 'conflict', 500: 'server error'},
      });
      return {id: String(result['Id']), warnings: Array.isArray(result['Warnings']) ? result['Warnings'] as string[] : []};
    },

    async startContainer(id, o) {
      await call(async () => docker.getContainer(id).start(sig(o)));
    },

    async stopContainer(id, o) {
      await call(async () => docker.getContainer(id).stop({t: o?.timeoutSeconds ?? 10, ...sig(o)}));
    },

    async restartContainer(id, o) {
      await call(async () => docker.getContainer(id).restart(sig(o)));
    },

    async pauseContainer(id, o) {
      await call(async () => docker.getContainer(id).pause(sig(o)));
    },

    async unpauseContainer(id, o) {
      await call(async () => docker.getContainer(id).unpause(sig(o)));
    },

    async removeContainer(id, o) {
      await call(async () => docker.getContainer(id).remove({force: Boolean(o?.force), v: Boolean(o?.volumes), ...sig(o)}));
    },

    async renameContainer(id, name, o) {
      await call(async () => docker.getContainer(id).rename({name, ...sig(o)}));
    },

    async updateContainer(id, update, o) {
      await call(async () => docker.getContainer(id).update({...update, ...sig(o)}));
    },

    async waitContainer(id, o) {
      const result = await call(async () => docker.getContainer(id).wait(sig(o))) as Json;
      return {exitCode: Number(result['StatusCode'] ?? -1)};
    },

    async containerLogs(id, o) {
      const buffer = await call(async () => docker.getContainer(id).logs({stdout: true, stderr: true, follow: false, tail: 200, ...sig(o)})) as unknown as Buffer;
      const {stdout, stderr} = demultiplex(Buffer.isBuffer(buffer) ? buffer : Buffer.from(String(buffer)));
      return stdout + stderr;
    },

    async exec(id, cmd, o): Promise<ExecResult> {
      return call(async () => {
        const exec = await docker.getContainer(id).exec({Cmd: [...cmd], AttachStdout: true, AttachStderr: true, ...sig(o)});
        const stream = await exec.start({hijack: true, stdin: false, ...sig(o)}) as unknown as Readable;
        const stdout = new PassThrough();
        const stderr = new PassThrough();
        docker.modem.demuxStream(stream, stdout, stderr);
        const outChunks: Buffer[] = [];
        const errChunks: Buffer[] = [];
        stdout.on('data', (c: Buffer) => outChunks.push(c));
        stderr.on('data', (c: Buffer) => errChunks.push(c));
        await new Promise<void>((resolve, reject) => {
          stream.on('end', resolve);
          stream.on('close', resolve);
          stream.on('error', reject);
        });
        const inspected = await exec.inspect() as Json;
        return {exitCode: Number(inspected['ExitCode'] ?? -1), stdout: Buffer.concat(outChunks).toString('utf8'), stderr: Buffer.concat(errChunks).toString('utf8')};
      });
    },

    async getArchive(id, path, o) {
      return dial<Readable>({
        path: `/containers/${encodeURIComponent(id)}/archive?`,
        method: 'GET',
        options: {path},
        isStream: true,
        abortSignal: o?.signal,
        statusCodes: {200: true, 400: 'bad parameter', 404: 'no such container or path', 500: 'server error'},
      });
    },

    async putArchive(id, path, body, o) {
      await dial({
        path: `/containers/${encodeURIComponent(id)}/archive?`,
        method: 'PUT',
        options: {path},
        file: body,
        // A form content type makes the engine swallow the body and answer 200 with nothing extracted.
        headers: {'Content-Type': 'application/x-tar'},
        abortSignal: o?.signal,
        statusCodes: {200: true, 400: 'bad parameter', 403: 'permission denied', 404: 'no such container or path', 500: 'server error'},
      });
    },

    async listNetworks(o) {
      const list = await call(async () => docker.listNetworks(sig(o))) as Json[];
      return list.map(networkFromList);
    },

    async inspectNetwork(id, o) {
      return networkFromInspect(await call(async () => docker.getNetwork(id).inspect(sig(o))) as Json);
    },

    async createNetwork(spec: CreateNetworkSpec, o) {
      const body: Json = {
        Name: spec.name,
        Driver: spec.driver,
        Internal: Boolean(spec.internal),
        Attachable: Boolean(spec.attachable),
        CheckDuplicate: true,
        Labels: spec.labels ?? {},
        Options: spec.options ?? {},
      };
      if (spec.ipam && spec.ipam.length > 0) {
        body['IPAM'] = {Driver: 'default', Config: spec.ipam.map(p => ({Subnet: p.subnet, ...(p.gateway ? {Gateway: p.gateway} : {}), ...(p.ipRange ? {IPRange: p.ipRange} : {})}))};
      }

      const result = await call(async () => docker.createNetwork({...body, ...sig(o)})) as unknown as {id: string};
      return {id: result.id};
    },

    async removeNetwork(id, o) {
      await call(async () => docker.getNetwork(id).remove(sig(o)));
    },

    async connectNetwork(network, container, spec?: ConnectSpec, o?) {
      const endpointConfig: Json = {};
      if (spec?.aliases?.length) {
        endpointConfig['Aliases'] = [...spec.aliases];
      }

      if (spec?.links?.length) {
        endpointConfig['Links'] = [...spec.links];
      }

      if (spec?.ipv4) {
        endpointConfig['IPAMConfig'] = {IPv4Address: spec.ipv4};
      }

      if (spec?.driverOpts && Object.keys(spec.driverOpts).length > 0) {
        endpointConfig['DriverOpts'] = {...spec.driverOpts};
      }

      await call(async () => docker.getNetwork(network).connect({Container: container, EndpointConfig: endpointConfig, ...sig(o)}));
    },

    async disconnectNetwork(network, container, o) {
      await call(async () => docker.getNetwork(network).disconnect({Container: container, Force: Boolean(o?.force), ...sig(o)}));
    },

    async pruneNetworks(o) {
      const result = await call(async () => docker.pruneNetworks(sig(o))) as Json;
      return Array.isArray(result['NetworksDeleted']) ? result['NetworksDeleted'] as string[] : [];
    },

    async listVolumes(o) {
      const result = await call(async () => docker.listVolumes(sig(o))) as Json;
      return (Array.isArray(result['Volumes']) ? result['Volumes'] as Json[] : []).map(volumeFromEngine);
    },

    async inspectVolume(name, o) {
      return volumeFromEngine(await call(async () => docker.getVolume(name).inspect(sig(o))) as Json);
    },

    async createVolume(spec, o) {
      const result = await call(async () => docker.createVolume({Name: spec.name ?? '', Labels: spec.labels ?? {}, ...sig(o)})) as Json;
      return volumeFromEngine(result);
    },

    async removeVolume(name, o) {
      await call(async () => docker.getVolume(name).remove(sig(o)));
    },

    async volumeUsage(o) {
      const df = await call(async () => docker.df(sig(o))) as Json;
      return (Array.isArray(df['Volumes']) ? df['Volumes'] as Json[] : []).map(v => ({
        name: String(v['Name']),
        size: Number(v['UsageData']?.['Size'] ?? -1),
        refCount: Number(v['UsageData']?.['RefCount'] ?? -1),
      }));
    },

    async listImages(o) {
      const list = await call(async () => docker.listImages(sig(o))) as Json[];
      return list.map(i => ({id: String(i['Id']), tags: Array.isArray(i['RepoTags']) ? (i['RepoTags'] as string[]).filter(t => t !== '<none>:<none>') : [], size: Number(i['Size'] ?? 0)}));
    },

    async importImage(tar, reference, changes, o) {
      const [repo, tag = 'latest'] = reference.split(':');
      const stream = await dial<Readable>({
        path: '/images/create?',
        method: 'POST',
        options: {fromSrc: '-', repo, tag, changes: [...changes]},
        file: tar,
        isStream: true,
        abortSignal: o?.signal,
        statusCodes: {200: true, 500: 'server error'},
      });
      // Failures after the stream started arrive in-band as {error}.
      for await (const message of readNdjson(stream)) {
        if (message['error']) {
          throw new EngineError(`Image import failed: ${String(message['error'])}`, '');
        }
      }
    },

    pullImage(reference, o) {
      return {
        async * [Symbol.asyncIterator]() {
          const stream = await dial<Readable>({
            path: '/images/create?',
            method: 'POST',
            options: pullQuery(reference),
            isStream: true,
            abortSignal: o?.signal,
            statusCodes: {200: true, 404: 'no such image', 500: 'server error'},
          });
          try {
            // A failure after streaming started arrives in-band as {error}; the HTTP status stays 200.
            yield * readPullProgress(stream);
          } catch (error) {
            throw toEngineError(error, address);
          } finally {
            stream.destroy();
          }
        },
      };
    },

    events(o) {
      return {
        async * [Symbol.asyncIterator]() {
          const query: Json = {};
          if (o.since !== undefined) {
            query['since'] = o.since.toFixed(9);
          }

          const stream = await dial<Readable>({
            path: '/events?',
            method: 'GET',
            options: query,
            isStream: true,
            abortSignal: o.signal,
            statusCodes: {200: true, 500: 'server error'},
          });
          const abort = () => stream.destroy();
          o.signal?.addEventListener('abort', abort, {once: true});
          try {
            for await (const message of readNdjson(stream)) {
              yield eventFromEngine(message);
            }
          } catch (error) {
            if (!o.signal?.aborted) {
              throw toEngineError(error, address);
            }
          } finally {
            o.signal?.removeEventListener('abort', abort);
            stream.destroy();
          }
        },
      };
    },
  };
  return engine;
}
