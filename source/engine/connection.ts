// Resolves which engine to talk to, the way the docker CLI does:
// --context > --host > DOCKER_HOST > DOCKER_CONTEXT > currentContext in the docker config > default socket.
import {createHash} from 'node:crypto';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {homeFolder} from '../model/home.js';

/** TLS material for a tcp endpoint. */
export type TlsFiles = {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly isVerifying: boolean;
};

/** Where an engine is and how to reach it. */
export type Endpoint = EndpointAddress & {
  /** The docker context it was read from, when one was chosen (`--context`, DOCKER_CONTEXT, the CLI's current one). */
  readonly context?: string;
};

/** Where the engine is. */
type EndpointAddress =
  | {readonly kind: 'unix'; readonly address: string; readonly socketPath: string; readonly origin: string}
  | {readonly kind: 'tcp'; readonly address: string; readonly host: string; readonly port: number; readonly tls?: TlsFiles; readonly origin: string}
  /** `socketPath`: the remote engine's socket named in the URL's path, passed on to the remote docker as `--host unix://PATH`. */
  | {readonly kind: 'ssh'; readonly address: string; readonly host: string; readonly user?: string; readonly port?: number; readonly socketPath?: string; readonly origin: string};

/** What the user said about the engine (flags) and where to look for the rest. */
export type ConnectionRequest = {
  readonly host?: string;
  readonly context?: string;
  readonly env?: NodeJS.ProcessEnv;
};

/** A connection setting that cannot work; the message says what to do. */
export class ConnectionConfigError extends Error {
  override readonly name = 'ConnectionConfigError';
}

const defaultSocket = '/var/run/docker.sock';

function dockerConfigDir(env: NodeJS.ProcessEnv): string {
  return env['DOCKER_CONFIG'] || path.join(homeFolder(env), '.docker');
}

function tlsFromEnv(env: NodeJS.ProcessEnv): TlsFiles | undefined {
  const isVerifying = Boolean(env['DOCKER_TLS_VERIFY']);
  if (!isVerifying && !env['DOCKER_TLS']) {
    return undefined;
  }

  const certDir = env['DOCKER_CERT_PATH'] || dockerConfigDir(env);
  return {
    ca: path.join(certDir, 'ca.pem'),
    cert: path.join(certDir, 'cert.pem'),
    key: path.join(certDir, 'key.pem'),
    isVerifying,
  };
}

/** Parses a docker host URL (`unix://`, `tcp://`, `ssh://`, or a bare `host:port`). */
export function parseHost(raw: string, origin: string, tls?: TlsFiles): Endpoint {
  const value = raw.includes('://') ? raw : `tcp://${raw}`;
  if (/^tcp:\/\/(:\d*)?\/?$/.test(value)) {
    throw new ConnectionConfigError(`"${raw}" (from ${origin}) names no host. Use tcp://HOST:PORT.`);
  }

  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConnectionConfigError(`"${raw}" (from ${origin}) is not a docker host URL. Use unix:///path/to/docker.sock, tcp://HOST:PORT or ssh://USER@HOST.`);
  }

  switch (url.protocol) {
    case 'unix:': {
      const socketPath = value.slice('unix://'.length) || defaultSocket;
      return {kind: 'unix', address: `unix://${socketPath}`, socketPath, origin};
    }

    case 'http:':
    case 'https:': {
      // As the docker CLI: an engine address is tcp://, never an HTTP URL.
      throw new ConnectionConfigError(`"${raw}" (from ${origin}) is an HTTP URL; docker hosts are written tcp://HOST:2375 (or tcp://HOST:2376 with TLS: DOCKER_TLS_VERIFY=1).`);
    }

    case 'tcp:': {
      const effectiveTls = tls;
      // The CLI's defaults; docker-modem would otherwise use port 80.
      const port = url.port ? Number(url.port) : (effectiveTls ? 2376 : 2375);
      const host = url.hostname.replace(/^\[|\]$/g, '');
      if (!host) {
        throw new ConnectionConfigError(`"${raw}" (from ${origin}) names no host. Use tcp://HOST:PORT.`);
      }

      return {kind: 'tcp', address: `tcp://${url.hostname}:${port}`, host, port, tls: effectiveTls, origin};
    }

    case 'ssh:': {
      const user = url.username ? decodeURIComponent(url.username) : undefined;
      const port = url.port ? Number(url.port) : undefined;
      // A path names the remote engine's socket (ssh://host/run/user/1000/docker.sock), as the docker CLI reads it.
      const socketPath = url.pathname && url.pathname !== '/' ? decodeURIComponent(url.pathname) : undefined;
      return {kind: 'ssh', address: `ssh://${user ? `${user}@` : ''}${url.hostname}${port ? `:${port}` : ''}${socketPath ?? ''}`, host: url.hostname, user, port, socketPath, origin};
    }

    default: {
      throw new ConnectionConfigError(`"${raw}" (from ${origin}) uses ${url.protocol.replace(':', '')}://, which hawser does not support. Use unix://, tcp:// or ssh://.`);
    }
  }
}

function contextDirName(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

/** Reads a docker context's endpoint from `$DOCKER_CONFIG/contexts`. */
export function readContext(name: string, env: NodeJS.ProcessEnv): Endpoint {
  const origin = `context "${name}"`;
  if (name === 'default') {
    return {...(env['DOCKER_HOST'] ? parseHost(env['DOCKER_HOST'], 'DOCKER_HOST', tlsFromEnv(env)) : {kind: 'unix', address: `unix://${defaultSocket}`, socketPath: defaultSocket, origin}), context: name};
  }

  const configDir = dockerConfigDir(env);
  const id = contextDirName(name);
  const metaFile = path.join(configDir, 'contexts', 'meta', id, 'meta.json');
  if (!existsSync(metaFile)) {
    throw new ConnectionConfigError(`No docker context named "${name}" in ${configDir}/contexts. List them with \`docker context ls\`.`);
  }

  let meta: {Endpoints?: {docker?: {Host?: string; SkipTLSVerify?: boolean}}};
  try {
    meta = JSON.parse(readFileSync(metaFile, 'utf8')) as typeof meta;
  } catch {
    throw new ConnectionConfigError(`The docker context "${name}" has an unreadable ${metaFile}. Recreate it with \`docker context create\`.`);
  }

  const docker = meta.Endpoints?.docker;
  if (!docker?.Host) {
    throw new ConnectionConfigError(`The docker context "${name}" has no docker endpoint. Recreate it with \`docker context create ${name} --docker host=...\`.`);
  }

  const tlsDir = path.join(configDir, 'contexts', 'tls', id, 'docker');
  const tls: TlsFiles | undefined = existsSync(tlsDir)
    ? {
      ca: path.join(tlsDir, 'ca.pem'),
      cert: path.join(tlsDir, 'cert.pem'),
      key: path.join(tlsDir, 'key.pem'),
      isVerifying: !docker.SkipTLSVerify,
    }
    : undefined;
  return {...parseHost(docker.Host, origin, tls), context: name};
}

function currentContext(env: NodeJS.ProcessEnv): string | undefined {
  const file = path.join(dockerConfigDir(env), 'config.json');
  if (!existsSync(file)) {
    return undefined;
  }

  try {
    const config = JSON.parse(readFileSync(file, 'utf8')) as {currentContext?: string};
    return config.currentContext || undefined;
  } catch {
    return undefined;
  }
}

/** Picks the engine endpoint by the docker CLI's order of precedence. */
export function resolveEndpoint(request: ConnectionRequest): Endpoint {
  const env = request.env ?? process.env;
  if (request.context && request.host) {
    throw new ConnectionConfigError('Pass either --context or --host, not both.');
  }

  if (request.context) {
    return readContext(request.context, env);
  }

  if (request.host) {
    return parseHost(request.host, '--host', tlsFromEnv(env));
  }

  if (env['DOCKER_HOST']) {
    return parseHost(env['DOCKER_HOST'], 'DOCKER_HOST', tlsFromEnv(env));
  }

  if (env['DOCKER_CONTEXT']) {
    return readContext(env['DOCKER_CONTEXT'], env);
  }

  const current = currentContext(env);
  if (current && current !== 'default') {
    return readContext(current, env);
  }

  return {kind: 'unix', address: `unix://${defaultSocket}`, socketPath: defaultSocket, origin: 'the default socket'};
}

/** The docker contexts in the docker config (always including "default"), for switching from the TUI. */
export function listContexts(env: NodeJS.ProcessEnv = process.env): string[] {
  const metaDir = path.join(dockerConfigDir(env), 'contexts', 'meta');
  const names = new Set(['default']);
  try {
    for (const id of readdirSync(metaDir)) {
      try {
        const meta = JSON.parse(readFileSync(path.join(metaDir, id, 'meta.json'), 'utf8')) as {Name?: string};
        if (meta.Name) {
          names.add(meta.Name);
        }
      } catch {}
    }
  } catch {}

  return [...names].sort();
}
