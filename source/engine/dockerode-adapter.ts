// The EnginePort for real engines, on dockerode. The only file that imports dockerode.
import {readFileSync} from 'node:fs';
import {Agent} from 'node:http';
import {PassThrough, type Readable} from 'node:stream';
import type Docker from 'dockerode';
import Modem from 'docker-modem';
import type {Endpoint} from './connection.js';
import {EngineError, toEngineError} from './errors.js';
import {readNdjson} from './ndjson.js';
import {pullQuery, readPullProgress} from './pull-progress.js';
import type {ConnectSpec, CreateNetworkSpec, EnginePort, ExecResult, RequestOptions} from './port.js';
import {containerFromInspect, containerFromList, eventFromEngine, networkFromInspect, networkFromList, volumeFromEngine} from './records.js';
import {createSshAgent} from './ssh-agent.js';
import {uploadStream, type UploadTarget} from './upload.js';
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

/**
 * The agent of plain (not TLS) connections: Node 20's global agent's settings, and no TLS server name. Without
 * that, each request asks whether its host is an IP address (TLS's rule for server names), and the first two asks
 * compile Node's IPv6 pattern: some 15 ms of every run, on the way to the first screen.
 */
let plainAgent: Agent | undefined;
export function plainConnectionAgent(): Agent {
  plainAgent ??= new Agent({keepAlive: true, scheduling: 'lifo', timeout: 5000, servername: ''} as ConstructorParameters<typeof Agent>[0]);
  return plainAgent;
}

/** dockerode options for an endpoint; every field set, since docker-modem's defaults read DOCKER_HOST. */
function modemOptions(endpoint: Endpoint, timeoutMs?: number): Docker.DockerOptions {
  const base = {socketPath: undefined, host: undefined, port: undefined, protocol: undefined, ca: undefined, cert: undefined, key: undefined, timeout: timeoutMs};
  switch (endpoint.kind) {
    case 'unix': {
      return {...base, socketPath: endpoint.socketPath, agent: plainConnectionAgent()} as Docker.DockerOptions;
    }

    case 'tcp': {
      if (!endpoint.tls) {
        return {...base, host: endpoint.host, port: endpoint.port, protocol: 'http', agent: plainConnectionAgent()} as Docker.DockerOptions;
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

/** The newest Engine API version hawser is tested against (Debian sid's docker.io 28.5). */
export const newestTestedApiVersion = '1.51';

/** The lower of two API versions such as "1.41" (compared as numbers, not text). */
export function lowerApiVersion(a: string, b: string): string {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor < bMajor || (aMajor === bMajor && aMinor <= bMinor) ? a : b;
}

/** Seconds a non-streaming request may take by default; `HAWSER_REQUEST_TIMEOUT` (seconds) overrides it. */
export const defaultRequestTimeoutSeconds = 60;

function requestTimeoutMsFromEnv(): number {
  const seconds = Number(process.env['HAWSER_REQUEST_TIMEOUT']);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : defaultRequestTimeoutSeconds * 1000;
}

/**
 * Builds an EnginePort for an endpoint. No request is made until a method is called. Every
 * non-streaming request gives up after `requestTimeoutMs` (streams — events, archives, exec, logs,
 * pulls, imports, wait — run as long as they need and stop only on their signal).
 */
export function createDockerEngine(endpoint: Endpoint, options: {timeoutMs?: number; requestTimeoutMs?: number} = {}): EnginePort {
  // dockerode's typings pick the callback overloads for option objects; promises are used throughout.
  // The first screen needs only plain requests, made on dockerode's modem directly; dockerode itself
  // (which loads gRPC and protobufjs at import, ~0.5 s and ~25 MB) is loaded on the first call that needs it.
  const transport = modemOptions(endpoint, options.timeoutMs);
  const modem = new Modem(transport as never) as unknown as {
    dial: (o: Json, cb: (error: unknown, data: unknown) => void) => void;
    demuxStream: (stream: Readable, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream) => void;
  };
  let dockerode: Promise<any> | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
  const dockerApi = async () => {
    await negotiate();
    return dockerode ??= import('dockerode').then(module => new module.default({modem} as never));
  };
  const address = endpoint.address;

  async function call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      // A request aborted by its timeout carries the timeout's EngineError as the abort's cause.
      const cause = (error as {cause?: unknown} | undefined)?.cause;
      throw cause instanceof EngineError ? cause : toEngineError(error, address);
    }
  }

  /**
   * API version negotiation as the docker CLI does it: the lower of the engine's newest API and the
   * newest one hawser is tested against, asked once per engine (again after a failure), then every
   * request goes to /vX.Y/…. DOCKER_API_VERSION pins it, as it does for the CLI. Without a prefix
   * an engine speaks its newest API, whatever hawser was written for.
   */
  let negotiation: Promise<string> | undefined;
  let unusedVersionDocument: Json | undefined;
  const pinned = process.env['DOCKER_API_VERSION']?.replace(/^v/, '');
  function negotiate(): Promise<string> {
    negotiation ??= (pinned ? Promise.resolve(pinned) : call(async () => new Promise<string>((resolve, reject) => {
      modem.dial({path: '/version', method: 'GET', ...sig(undefined), statusCodes: {200: true, 500: 'server error'}}, (error, data) => {
        if (error) {
          reject(error);
        } else {
          // info() answered at start-up takes this document instead of asking /version a second time.
          unusedVersionDocument = data as Json;
          resolve(String((data as Json)['ApiVersion'] ?? ''));
        }
      });
    }))).then(engineApi => {
      const version = engineApi ? lowerApiVersion(engineApi, newestTestedApiVersion) : newestTestedApiVersion;
      (modem as unknown as {version?: string}).version = `v${version}`;
      return version;
    }, (error: unknown) => {
      negotiation = undefined;
      throw error;
    });
    return negotiation;
  }

  /** The negotiated version, awaited as long as `signal` (the request's own: caller and timeout) allows. */
  async function negotiated(signal: AbortSignal | undefined): Promise<string> {
    const shared = negotiate();
    if (!signal) {
      return shared;
    }

    const aborted = () => Object.assign(new Error('This operation was aborted'), {name: 'AbortError', cause: signal.reason as unknown});
    if (signal.aborted) {
      throw aborted();
    }

    return new Promise<string>((resolve, reject) => {
      const onAbort = () => reject(aborted());
      signal.addEventListener('abort', onAbort, {once: true});
      shared.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  function dial<T>(request: Json): Promise<T> {
    return call(async () => {
      // An empty, "." or ".." name makes a path the engine answers with a redirect that docker-modem
      // cannot follow (a raw "Invalid URL" crash): no object has such a name.
      const segments = String(request['path'] ?? '').split('?')[0]!.split('/').slice(1);
      if (segments.some(segment => segment === '' || segment === '.' || segment === '..' || segment === '%2E' || segment === '%2E%2E')) {
        throw new EngineError(`No such object: ${JSON.stringify(decodeURIComponent(segments.find(segment => ['', '.', '..', '%2E', '%2E%2E'].includes(segment)) ?? ''))} is not a name the engine has.`, 'Give the name or id of a container, network or volume (hawser ls lists them).', 404, 'engine');
      }

      await negotiated(request['abortSignal'] as AbortSignal | undefined);
      return new Promise<T>((resolve, reject) => {
        modem.dial(request, (error, data) => {
          if (error) {
            reject(error);
          } else {
            resolve(data as T);
          }
        });
      });
    });
  }

  type PlainRequest = {readonly query?: Json; readonly body?: Json; readonly extraMs?: number; readonly statusCodes?: Readonly<Record<number, string>>};
  /** One plain request on the modem (no dockerode): `query` in the URL, `body` as JSON, the per-request timeout. */
  function request<T = unknown>(method: 'GET' | 'POST' | 'DELETE', path: string, o: RequestOptions | undefined, plain: PlainRequest = {}): Promise<T> {
    const hasQuery = plain.query !== undefined && Object.keys(plain.query).length > 0;
    return dial<T>({
      path: hasQuery ? `${path}?` : path,
      method,
      // An empty body is not sent (docker-modem drops '{}').
      options: {...(hasQuery ? {_query: plain.query} : {}), _body: plain.body ?? {}},
      ...sig(o, plain.extraMs),
      statusCodes: {200: true, 201: true, 204: true, 500: 'server error', ...plain.statusCodes},
    });
  }

  const post = <T = unknown>(path: string, o: RequestOptions | undefined, plain?: PlainRequest) => request<T>('POST', path, o, plain);

  const requestTimeoutMs = options.requestTimeoutMs ?? requestTimeoutMsFromEnv();
  /** The caller's signal plus the per-request timeout; `extraMs` for requests the engine itself makes wait (stop). */
  const sig = (o?: RequestOptions, extraMs = 0) => {
    const limitMs = requestTimeoutMs + extraMs;
    const timeout = new AbortController();
    const seconds = Math.round(limitMs / 100) / 10;
    // unref: a pending timer must not keep the CLI alive after its work is done.
    setTimeout(() => timeout.abort(new EngineError(`The engine at ${address} did not answer within ${seconds} s.`, 'It may be overloaded or stuck: check it (docker info, its logs), or raise HAWSER_REQUEST_TIMEOUT (seconds).', undefined, 'timeout')), limitMs).unref();
    return {abortSignal: o?.signal ? AbortSignal.any([o.signal, timeout.signal]) : timeout.signal};
  };

  const engine: EnginePort = {
    address,

    async ping(o) {
      await dial({path: '/_ping', method: 'GET', ...sig(o), statusCodes: {200: true, 500: 'server error'}});
    },

    async info(o) {
      return call(async () => {
        const get = async (path: string) => dial<Json>({path, method: 'GET', ...sig(o), statusCodes: {200: true, 500: 'server error'}});
        await negotiated(o?.signal);
        const fresh = unusedVersionDocument;
        unusedVersionDocument = undefined;
        const [version, info] = await Promise.all([fresh ?? get('/version'), get('/info')]);
        const warnings = Array.isArray(info['Warnings']) ? info['Warnings'] as string[] : [];
        const result: EngineInfo = {
          id: String(info['ID'] ?? ''),
          version: String(version['Version'] ?? ''),
          apiVersion: await negotiate(),
          engineApiVersion: String(version['ApiVersion'] ?? ''),
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
      const list = await dial<Json[]>({path: '/containers/json?', method: 'GET', options: {all: true, ...(filters ? {filters} : {})}, ...sig(o), statusCodes: {200: true, 400: 'bad parameter', 500: 'server error'}});
      return list.map(containerFromList);
    },

    async inspectContainer(id, o) {
      return containerFromInspect(await dial<Json>({path: `/containers/${encodeURIComponent(id)}/json`, method: 'GET', ...sig(o), statusCodes: {200: true, 404: 'no such container', 500: 'server error'}}));
    },

    async createContainer(spec, o) {
      const {name, ...body} = spec;
      const result = await dial<Json>({
        path: '/containers/create?',
        method: 'POST',
        options: {_query: name ? {name} : {}, _body: body},
        ...sig(o),
        statusCodes: {201: true, 400: 'bad parameter', 404: 'no such image', 409: 'conflict', 500: 'server error'},
      });
      return {id: String(result['Id']), warnings: Array.isArray(result['Warnings']) ? result['Warnings'] as string[] : []};
    },

    async startContainer(id, o) {
      await post(`/containers/${encodeURIComponent(id)}/start`, o, {statusCodes: {304: 'container already started', 404: 'no such container'}});
    },

    async stopContainer(id, o) {
      await post(`/containers/${encodeURIComponent(id)}/stop`, o, {query: {t: o?.timeoutSeconds ?? 10}, extraMs: (o?.timeoutSeconds ?? 10) * 1000, statusCodes: {304: 'container already stopped', 404: 'no such container'}});
    },

    async restartContainer(id, o) {
      await post(`/containers/${encodeURIComponent(id)}/restart`, o, {extraMs: 10_000, statusCodes: {404: 'no such container'}});
    },

    async pauseContainer(id, o) {
      await post(`/containers/${encodeURIComponent(id)}/pause`, o, {statusCodes: {404: 'no such container'}});
    },

    async unpauseContainer(id, o) {
      await post(`/containers/${encodeURIComponent(id)}/unpause`, o, {statusCodes: {404: 'no such container'}});
    },

    async removeContainer(id, o) {
      await request('DELETE', `/containers/${encodeURIComponent(id)}`, o, {query: {force: Boolean(o?.force), v: Boolean(o?.volumes)}, statusCodes: {400: 'bad parameter', 404: 'no such container', 409: 'conflict'}});
    },

    async renameContainer(id, name, o) {
      await post(`/containers/${encodeURIComponent(id)}/rename`, o, {query: {name}, statusCodes: {404: 'no such container', 409: 'name already in use'}});
    },

    async updateContainer(id, update, o) {
      await post(`/containers/${encodeURIComponent(id)}/update`, o, {body: {...update}, statusCodes: {404: 'no such container'}});
    },

    async waitContainer(id, o) {
      // No timeout: waiting for a container to exit takes as long as the container runs.
      const result = await call(async () => (await dockerApi()).getContainer(id).wait({abortSignal: o?.signal})) as Json;
      return {exitCode: Number(result['StatusCode'] ?? -1)};
    },

    async containerLogs(id, o) {
      const buffer = await call(async () => (await dockerApi()).getContainer(id).logs({stdout: true, stderr: true, follow: false, tail: o?.tail ?? 200, ...sig(o)})) as unknown as Buffer;
      const {stdout, stderr} = demultiplex(Buffer.isBuffer(buffer) ? buffer : Buffer.from(String(buffer)));
      return stdout + stderr;
    },

    async exec(id, cmd, o): Promise<ExecResult> {
      return call(async () => {
        const exec = await (await dockerApi()).getContainer(id).exec({Cmd: [...cmd], AttachStdout: true, AttachStderr: true, ...sig(o)});
        // The attached stream lasts as long as the command: the caller's signal only, no timeout.
        const stream = await exec.start({hijack: true, stdin: false, abortSignal: o?.signal}) as unknown as Readable;
        const stdout = new PassThrough();
        const stderr = new PassThrough();
        modem.demuxStream(stream, stdout, stderr);
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

    async execInteractive(id, cmd, terminal) {
      return call(async () => {
        const exec = await (await dockerApi()).getContainer(id).exec({Cmd: [...cmd], AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: true, Env: [`COLUMNS=${terminal.columns}`, `LINES=${terminal.rows}`]});
        const stream = await exec.start({hijack: true, stdin: true, Tty: true}) as NodeJS.ReadWriteStream & {destroy: () => void};
        const resize = () => void exec.resize({h: terminal.stdout.rows || terminal.rows, w: terminal.stdout.columns || terminal.columns}).catch(() => undefined);
        const wasRaw = terminal.stdin.isRaw;
        terminal.stdin.setRawMode?.(true);
        terminal.stdin.resume();
        terminal.stdin.pipe(stream);
        stream.pipe(terminal.stdout, {end: false});
        terminal.stdout.on('resize', resize);
        resize();
        try {
          await new Promise<void>((resolve, reject) => {
            stream.on('end', resolve);
            stream.on('close', resolve);
            stream.on('error', reject);
          });
        } finally {
          terminal.stdin.unpipe(stream);
          terminal.stdin.setRawMode?.(Boolean(wasRaw));
          terminal.stdin.pause();
          terminal.stdout.off('resize', resize);
          stream.destroy();
        }

        const inspected = await exec.inspect() as Json;
        return Number(inspected['ExitCode'] ?? 0);
      });
    },

    followLogs(id, o) {
      return {
        async * [Symbol.asyncIterator]() {
          const container = (await dockerApi()).getContainer(id);
          const info = await call(async () => container.inspect({abortSignal: o.signal})) as Json;
          const isTty = Boolean(info['Config']?.['Tty']);
          const raw = await call(async () => container.logs({
            follow: true, stdout: true, stderr: true, abortSignal: o.signal,
            // Without a tail the engine sends the whole log; since is sent as seconds.milliseconds, which it reads as such.
            ...(o.tail === 'all' ? {} : {tail: o.tail ?? 500}),
            ...(o.since === undefined ? {} : {since: o.since.toFixed(3)}),
            ...(o.timestamps ? {timestamps: true} : {}),
          })) as Readable;
          const text = new PassThrough();
          // Decoded as a stream: a character split between two chunks comes out whole.
          text.setEncoding('utf8');
          if (isTty) {
            raw.pipe(text);
          } else {
            modem.demuxStream(raw, text, text);
            raw.on('end', () => text.end());
          }

          const abort = () => {
            raw.destroy();
            text.end();
          };

          o.signal?.addEventListener('abort', abort, {once: true});
          let partial = '';
          try {
            for await (const chunk of text) {
              const lines = (partial + String(chunk)).split('\n');
              partial = lines.pop() ?? '';
              for (const line of lines) {
                yield line.replace(/\r$/, '');
              }
            }

            if (partial) {
              yield partial;
            }
          } finally {
            o.signal?.removeEventListener('abort', abort);
            raw.destroy();
          }
        },
      };
    },

    async inspectRaw(kind, id, o) {
      return call(async () => {
        switch (kind) {
          case 'container': return (await dockerApi()).getContainer(id).inspect(sig(o));
          case 'network': return (await dockerApi()).getNetwork(id).inspect(sig(o));
          case 'volume': return (await dockerApi()).getVolume(id).inspect(sig(o));
        }
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
      // An upload has a connection of its own (see uploadStream); only an ssh tunnel's agent is shared.
      const version = await call(negotiate);
      await call(async () => uploadStream({...transport, agent: endpoint.kind === 'ssh' ? (transport as UploadTarget).agent : undefined} as UploadTarget, {
        method: 'PUT',
        path: `/v${version}/containers/${encodeURIComponent(id)}/archive?path=${encodeURIComponent(path)}`,
        // A form content type makes the engine swallow the body and answer 200 with nothing extracted.
        contentType: 'application/x-tar',
      }, body, {200: true, 400: 'bad parameter', 403: 'permission denied', 404: 'no such container or path', 500: 'server error'}, o?.signal));
    },

    async listNetworks(o) {
      const list = await dial<Json[]>({path: '/networks', method: 'GET', ...sig(o), statusCodes: {200: true, 500: 'server error'}});
      return list.map(networkFromList);
    },

    async inspectNetwork(id, o) {
      return networkFromInspect(await dial<Json>({path: `/networks/${encodeURIComponent(id)}`, method: 'GET', ...sig(o), statusCodes: {200: true, 404: 'no such network', 500: 'server error'}}));
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

      const result = await post<Json>('/networks/create', o, {body, statusCodes: {400: 'bad parameter', 403: 'operation not supported', 404: 'plugin not found', 409: 'conflict'}});
      return {id: String(result['Id'])};
    },

    async removeNetwork(id, o) {
      await request('DELETE', `/networks/${encodeURIComponent(id)}`, o, {statusCodes: {403: 'operation not permitted', 404: 'no such network'}});
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

      await post(`/networks/${encodeURIComponent(network)}/connect`, o, {body: {Container: container, EndpointConfig: endpointConfig}, statusCodes: {403: 'operation not supported', 404: 'network or container is not found'}});
    },

    async disconnectNetwork(network, container, o) {
      await post(`/networks/${encodeURIComponent(network)}/disconnect`, o, {body: {Container: container, Force: Boolean(o?.force)}, statusCodes: {403: 'operation not supported', 404: 'network or container is not found'}});
    },

    async pruneNetworks(o) {
      const result = await post<Json>('/networks/prune', o);
      return Array.isArray(result['NetworksDeleted']) ? result['NetworksDeleted'] as string[] : [];
    },

    async listVolumes(o) {
      const result = await dial<Json>({path: '/volumes', method: 'GET', ...sig(o), statusCodes: {200: true, 500: 'server error'}});
      return (Array.isArray(result['Volumes']) ? result['Volumes'] as Json[] : []).map(volumeFromEngine);
    },

    async inspectVolume(name, o) {
      return volumeFromEngine(await request<Json>('GET', `/volumes/${encodeURIComponent(name)}`, o, {statusCodes: {404: 'no such volume'}}));
    },

    async createVolume(spec, o) {
      // dockerode resolves to a handle, not the engine's answer: ask the API directly for the record.
      const result = await dial<Json>({
        path: '/volumes/create?',
        method: 'POST',
        options: {Name: spec.name ?? '', Labels: spec.labels ?? {}, ...(spec.driver ? {Driver: spec.driver} : {}), ...(spec.options ? {DriverOpts: spec.options} : {})},
        abortSignal: o?.signal,
        statusCodes: {200: true, 201: true, 500: 'server error'},
      });
      return volumeFromEngine(result);
    },

    async removeVolume(name, o) {
      await request('DELETE', `/volumes/${encodeURIComponent(name)}`, o, {statusCodes: {404: 'no such volume', 409: 'volume is in use'}});
    },

    async volumeUsage(o) {
      // The engine measures every volume for this answer: allow it minutes on big data.
      // `type=volume` (API 1.42+) spares the engine measuring every container and image; older engines ignore it.
      const df = await request<Json>('GET', '/system/df', o, {query: {type: 'volume'}, extraMs: 10 * 60_000});
      return (Array.isArray(df['Volumes']) ? df['Volumes'] as Json[] : []).map(v => ({
        name: String(v['Name']),
        size: Number(v['UsageData']?.['Size'] ?? -1),
        refCount: Number(v['UsageData']?.['RefCount'] ?? -1),
      }));
    },

    async listImages(o) {
      const list = await request<Json[]>('GET', '/images/json', o);
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
