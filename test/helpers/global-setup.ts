// Starts the isolated test engine once for the whole run (own network namespace, data root and
// socket), with the busybox test image. Never touches the user's engine. Under CI=true an engine
// that cannot be had is a failure, not a skip.
import {mkdtempSync} from 'node:fs';
import type {TestProject} from 'vitest/node';
import {parseHost} from '../../source/engine/connection.js';
import {createDockerEngine} from '../../source/engine/dockerode-adapter.js';
import {ensureHostPackages, layoutFor, startIsolatedEngine, stopIsolatedEngine} from '../../source/sandbox/isolated-engine.js';
import {ensureBusyboxImage} from '../../source/sandbox/test-image.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dockerHost: string;
    engineSkipReason: string;
    testNetns: string;
  }
}

export default async function setup(project: TestProject) {
  const isCi = Boolean(process.env['CI']) && process.env['CI'] !== 'false';
  const external = process.env['HAWSER_TEST_DOCKER_HOST'];
  const skip = (reason: string) => {
    if (isCi) {
      throw new Error(`Integration tests cannot run: ${reason}. Under CI=true that is a failure.`);
    }

    console.warn(`\n!!! INTEGRATION TESTS SKIPPED: ${reason}\n!!! Run as root on Debian, or set HAWSER_TEST_DOCKER_HOST to a disposable engine.\n`);
    project.provide('dockerHost', '');
    project.provide('engineSkipReason', reason);
    project.provide('testNetns', '');
  };

  if (process.env['HAWSER_TEST_NO_ENGINE'] === '1') {
    skip('HAWSER_TEST_NO_ENGINE=1');
    return;
  }

  if (external) {
    const engine = createDockerEngine(parseHost(external, 'HAWSER_TEST_DOCKER_HOST'));
    await ensureBusyboxImage(engine);
    project.provide('dockerHost', external);
    project.provide('engineSkipReason', '');
    project.provide('testNetns', '');
    return;
  }

  if (process.getuid?.() !== 0) {
    skip('not root, and HAWSER_TEST_DOCKER_HOST is not set');
    return;
  }

  // The end-to-end tests drive a real terminal; the connection tests make TLS certificates.
  ensureHostPackages(line => console.log(`[test engine] ${line}`), [{command: 'tmux', package: 'tmux'}, {command: 'openssl', package: 'openssl'}, {command: 'ssh', package: 'openssh-client'}, {command: '/usr/sbin/sshd', package: 'openssh-server'}]);
  const baseDir = mkdtempSync('/tmp/hwt-');
  const layout = layoutFor(baseDir, `hawser-test-${process.pid}`);
  const host = `unix://${layout.socketPath}`;
  const engine = createDockerEngine(parseHost(host, 'test engine'));
  const started = Date.now();
  await startIsolatedEngine(layout, async () => engine.ping().then(() => true, () => false));
  await ensureBusyboxImage(engine);
  console.log(`[test engine] ready at ${host} in ${Date.now() - started} ms (netns ${layout.netns})`);
  project.provide('dockerHost', host);
  project.provide('engineSkipReason', '');
  project.provide('testNetns', layout.netns);
  return async () => {
    await stopIsolatedEngine(layout, {removeData: true});
  };
}
