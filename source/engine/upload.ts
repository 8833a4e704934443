// A streamed request body (an archive to extract) sent with Node's own http client on the same transport as
// docker-modem. Through docker-modem, 1 GiB took 1–2 s longer than through a plain request and three times its
// CPU on these machines, the CPU the engine needs to extract the same bytes (measured: see readme, #6).
import http from 'node:http';
import https from 'node:https';
import {pipeline} from 'node:stream/promises';
import type {Readable} from 'node:stream';

/** Where requests go: a unix socket, or a host and port (http, https with its TLS files, or through an agent). */
export type UploadTarget = {
  readonly socketPath?: string;
  readonly host?: string;
  readonly port?: number | string;
  readonly protocol?: string;
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly agent?: http.Agent;
  readonly checkServerIdentity?: () => undefined;
};

/** An error shaped as docker-modem's are (status code, message, the engine's JSON), for toEngineError. */
function statusError(statusCode: number, reason: string, text: string): Error {
  let json: {message?: string} | undefined;
  try {
    json = JSON.parse(text) as {message?: string};
  } catch {
    json = undefined;
  }

  const error = new Error(`(HTTP code ${statusCode}) ${reason} - ${json?.message ?? text} `) as Error & {statusCode: number; reason: string; json?: unknown};
  error.statusCode = statusCode;
  error.reason = reason;
  error.json = json;
  return error;
}

/**
 * Sends `body` as a chunked `method path` request and resolves when the engine answers with a status that
 * `statusCodes` maps to true; any other status rejects with the engine's message. `signal` aborts it.
 */
export async function uploadStream(target: UploadTarget, request: {readonly method: string; readonly path: string; readonly contentType: string}, body: Readable, statusCodes: Readonly<Record<number, true | string>>, signal?: AbortSignal): Promise<void> {
  const isTls = target.protocol === 'https';
  const options: https.RequestOptions = {
    method: request.method,
    path: request.path,
    headers: {'Content-Type': request.contentType, 'Transfer-Encoding': 'chunked'},
    ...(target.socketPath ? {socketPath: target.socketPath} : {host: target.host, port: target.port}),
    // A connection of its own (an ssh tunnel brings its agent): Node 20's global agent keeps sockets alive, and one the
    // engine closed after an earlier answer (it does after refusing a body it did not read) fails as "socket hang up".
    agent: target.agent ?? false,
    // No TLS server name to work out for a plain connection (see plainConnectionAgent).
    ...(isTls ? {} : {servername: ''}),
    ...(isTls ? {ca: target.ca, cert: target.cert, key: target.key, ...(target.checkServerIdentity ? {checkServerIdentity: target.checkServerIdentity} : {})} : {}),
    ...(signal ? {signal} : {}),
  };
  const req = (isTls ? https : http).request(options);
  // The body's own failure (a damaged gzip stream, a read error, a cancel) is the one to report, not the
  // "socket hang up" that ending the request half-way makes; it also ends a request still waiting for a connection.
  let bodyError: unknown;
  body.once('error', error => {
    bodyError = error;
    req.destroy(error);
  });
  const answered = new Promise<http.IncomingMessage>((resolve, reject) => {
    req.once('response', resolve);
    req.once('error', error => {
      reject(bodyError ?? error);
    });
    // Destroyed before any answer or error (a request that never had its connection): never left pending.
    req.once('close', () => {
      reject(bodyError ?? new Error('The request was closed before the engine answered.'));
    });
  });
  // The engine may answer (an error) before it has read the whole body: the answer decides, not the send.
  let isSent = false;
  const sent = pipeline(body, req).catch(() => undefined).finally(() => {
    isSent = true;
  });
  const response = await answered;
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of response) {
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    throw bodyError ?? error;
  }

  // An answer that came before the body was all read (an error) ends the sending: nothing more will be read.
  if (!isSent) {
    body.destroy();
    req.destroy();
  }

  await sent;
  if (bodyError) {
    throw bodyError;
  }

  const status = response.statusCode ?? 0;
  if (statusCodes[status] !== true) {
    throw statusError(status, typeof statusCodes[status] === 'string' ? statusCodes[status] : 'unexpected', Buffer.concat(chunks).toString('utf8'));
  }
}
