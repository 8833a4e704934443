// Turns what went wrong talking to an engine into one or two lines a person can act on.

/** An engine failure with what happened and what to do; never shown with a stack trace. */
export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    message: string,
    readonly hint: string,
    readonly statusCode?: number,
    readonly reason?: string,
  ) {
    super(message);
  }
}

/** A message made to go inside a sentence that goes on: without its final full stops. */
export function clause(message: string): string {
  return message.replace(/\.+$/, '');
}

type RawError = Error & {
  code?: string;
  statusCode?: number;
  reason?: string;
  json?: {message?: string} | null;
  address?: string;
};

function engineMessage(error: RawError): string {
  const fromJson = error.json && typeof error.json === 'object' ? error.json.message : undefined;
  if (fromJson) {
    return fromJson;
  }

  const match = /\(HTTP code \d+\) [^-]+- (.*)$/s.exec(error.message);
  return (match?.[1] ?? error.message).trim();
}

/** Maps any error from a request to an EngineError naming the address and the next step. */
export function toEngineError(error: unknown, address: string): EngineError {
  if (error instanceof EngineError) {
    return error;
  }

  const raw = (error instanceof Error ? error : new Error(String(error))) as RawError;
  const code = raw.code ?? '';
  if (raw.name === 'AbortError' || code === 'ABORT_ERR') {
    return new EngineError('Cancelled.', '', undefined, 'aborted');
  }

  if (code === 'ENOENT') {
    return new EngineError(`No Docker socket at ${address}.`, 'Is Docker running? Start it (systemctl start docker), or point hawser elsewhere with --host, --context or DOCKER_HOST.', undefined, 'unreachable');
  }

  if (code === 'EACCES' || code === 'EPERM') {
    return new EngineError(`Permission denied on ${address}.`, 'Run hawser as a member of the docker group (usermod -aG docker $USER, then log in again) or as root.', undefined, 'unreachable');
  }

  if (code === 'ECONNREFUSED') {
    return new EngineError(`Nothing is listening at ${address}.`, 'Check that the engine is running and listens there, or choose another with --host or --context.', undefined, 'unreachable');
  }

  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new EngineError(`Cannot resolve the host of ${address}.`, 'Check the host name in --host, DOCKER_HOST or the docker context.', undefined, 'unreachable');
  }

  if (code === 'ETIMEDOUT' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new EngineError(`The connection to ${address} failed (${code}).`, 'Check the network path to the engine; hawser retries on its own.', undefined, 'unreachable');
  }

  if (code === 'ESSH') {
    return new EngineError(`${raw.message} (connecting to ${address}).`, 'Check that `ssh HOST docker version` works from this shell: keys, known_hosts, and docker on the remote PATH.', undefined, 'unreachable');
  }

  // Docker answers a missing thing with its reason in JSON ("No such container: x"). A bare 404 comes from
  // something else listening there (a web server, a proxy on the wrong port): not an engine at all.
  if (raw.statusCode === 404 && !engineMessage(raw)) {
    return new EngineError(`${address} answered, but not as a Docker engine (HTTP 404 with no message).`, 'Check the address and port in --host, DOCKER_HOST or the docker context: the engine listens on 2375, or 2376 with TLS, unless set otherwise.', undefined, 'unreachable');
  }

  // An answer with a status came through the connection: whatever it says (a volume named ssl-certs), TLS worked.
  if (raw.statusCode) {
    const message = engineMessage(raw);
    if (!message) {
      // An empty body (a failing engine, a proxy in between): the status is all there is to say.
      return new EngineError(`The engine at ${address} answered HTTP ${raw.statusCode}${raw.reason ? ` (${raw.reason})` : ''} with no message.`, 'Check the engine\'s logs (journalctl -u docker, or the daemon\'s log file) for what went wrong, then try again.', raw.statusCode, 'engine');
    }

    const hint = raw.statusCode === 404 ? 'It may have been removed meanwhile.' : raw.statusCode === 409 ? 'It conflicts with the engine\'s current state.' : '';
    return new EngineError(`${message.charAt(0).toUpperCase()}${message.slice(1)}`, hint, raw.statusCode, 'engine');
  }

  if (/certificate|self[- ]signed|SSL|TLS|EPROTO|wrong version number/i.test(`${code} ${raw.message}`)) {
    return new EngineError(`TLS failed with ${address}: ${clause(raw.message)}.`, 'Check DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem) and DOCKER_TLS_VERIFY, or the context\'s TLS files.', undefined, 'unreachable');
  }

  if (code === 'ENOENT_FILE' || code === 'EISDIR') {
    return new EngineError(raw.message, '', undefined, 'local');
  }

  return new EngineError(raw.message || 'Unknown error talking to the engine.', 'Try again; if it persists, check the engine\'s logs.', undefined, 'unknown');
}

/** True when the error means the engine could not be reached at all (as opposed to refusing a request). */
export function isUnreachable(error: unknown): boolean {
  return error instanceof EngineError && error.reason === 'unreachable';
}
