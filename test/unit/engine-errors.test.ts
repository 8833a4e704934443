import {describe, expect, it} from 'vitest';
import {toEngineError} from '../../source/engine/errors.js';

/** An error as docker-modem and the upload make them for an engine's answer. */
function answered(statusCode: number, message: string): Error {
  return Object.assign(new Error(`(HTTP code ${statusCode}) unexpected - ${message} `), {statusCode, json: {message}});
}

describe('what went wrong talking to an engine', () => {
  it('an engine\'s answer is the engine\'s, even when a name in it looks like TLS or SSL', () => {
    for (const name of ['tls-certs', 'ssl-data', 'nginx-certificate']) {
      const error = toEngineError(answered(404, `get ${name}: no such volume`), 'tcp://10.0.0.5:2376');
      expect(error.reason).toBe('engine');
      expect(error.statusCode).toBe(404);
      expect(error.message).toBe(`Get ${name}: no such volume`);
    }
  });

  it('a failed handshake is TLS\'s, with what to check', () => {
    const error = toEngineError(Object.assign(new Error('self-signed certificate in certificate chain'), {code: 'SELF_SIGNED_CERT_IN_CHAIN'}), 'tcp://10.0.0.5:2376');
    expect(error.reason).toBe('unreachable');
    expect(error.message).toMatch(/^TLS failed with tcp:\/\/10\.0\.0\.5:2376/);
    expect(error.hint).toMatch(/DOCKER_CERT_PATH/);
  });
});
