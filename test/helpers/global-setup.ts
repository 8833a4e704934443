// Starts one isolated test engine for an engine project of the matrix (own network namespace, data
// root and socket), with the busybox test image: `engine-20` runs the system's docker.io, `engine-26`
// and `engine-28` Debian trixie's and sid's (see source/sandbox/engine-versions.ts). Never touches
// the user's engine. Under CI=true an engine that cannot be had is a failure, not a skip.
import {mkdtempSync} from 'node:fs';
import type {TestProject} from 'vitest/node';
import {parseHost} from '../../source/engine/connection.js';
import {createDockerEngine} from '../../source/engine/dockerode-adapter.js';
import {engineChoice, ensureEngineBinaries} from '../../source/sandbox/engine-versions.js';
import {ensureHostPackages, layoutFor, startIsolatedEngine, stopIsolatedEngine} from '../../source/sandbox/isolated-engine.js';
import {ensureBusyboxImage} from '../../source/sandbox/test-image.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dockerHost: string;
    engineSkipReason: string;
    testNetns: string;
    /** The matrix entry: '20', '26', '28', or 'external'. */
    engineId: string;
    /** The engine's own version, e.g. 28.5.2. */
    engineVersion: string;
  }
}

export default async function setup(project: TestProject) {
  const isCi = Boolean(process.env['CI']) && process.env['CI'] !== 'false';
  const external = process.env['HAWSER_TEST_DOCKER_HOST'];
  // `sea-28` (vitest.config.ts's single-executable project) runs on an engine 28 of its own.
  const id = project.name.replace(/^(?:engine|sea)-/, '');
  const say = (line: string) => console.log(`[engine ${id}] ${line}`);
  const provide = (host: string, reason: string, netns: string, version: string) => {
    project.provide('dockerHost', host);
    project.provide('engineSkipReason', reason);
    project.provide('testNetns', netns);
    project.provide('engineId', id);
    project.provide('engineVersion', version);
  };

  const skip = (reason: string) => {
    if (isCi) {
      throw new Error(`Integration tests cannot run on engine ${id}: ${reason}. Under CI=true that is a failure.`);
    }

    console.warn(`\n!!! INTEGRATION TESTS SKIPPED on engine ${id}: ${reason}\n!!! Run as root on Debian, or set HAWSER_TEST_DOCKER_HOST to a disposable engine.\n`);
    provide('', reason, '', '');
  };

  if (process.env['HAWSER_TEST_NO_ENGINE'] === '1') {
    skip('HAWSER_TEST_NO_ENGINE=1');
    return;
  }

  if (external) {
    const engine = createDockerEngine(parseHost(external, 'HAWSER_TEST_DOCKER_HOST'));
    await ensureBusyboxImage(engine);
    provide(external, '', '', (await engine.info()).version);
    return;
  }

  if (process.getuid?.() !== 0) {
    skip('not root, and HAWSER_TEST_DOCKER_HOST is not set');
    return;
  }

  // The end-to-end tests drive a real terminal; the connection tests make TLS certificates; the archive tests set and read ACLs;
  // the completion tests run zsh's and fish's scripts.
  ensureHostPackages(say, [{command: 'tmux', package: 'tmux'}, {command: 'openssl', package: 'openssl'}, {command: 'ssh', package: 'openssh-client'}, {command: '/usr/sbin/sshd', package: 'openssh-server'}, {command: 'bsdtar', package: 'libarchive-tools'}, {command: 'python3', package: 'python3'}, {command: 'setfacl', package: 'acl'}, {command: 'zsh', package: 'zsh'}, {command: 'fish', package: 'fish'}]);
  const binaries = ensureEngineBinaries(engineChoice(id), say);
  if (binaries.fallback) {
    // Loud, but not a failure: sid goes without docker.io for a while now and then.
    console.warn(`\n!!! ${binaries.fallback}\n`);
  }

  const baseDir = mkdtempSync('/tmp/hwt-');
  const layout = layoutFor(baseDir, `hawser-test-${project.name.replace(/^engine-/, '')}-${process.pid}`);
  const host = `unix://${layout.socketPath}`;
  const engine = createDockerEngine(parseHost(host, 'test engine'));
  const started = Date.now();
  await startIsolatedEngine(layout, async () => engine.ping().then(() => true, () => false), {pathDirs: binaries.pathDirs});
  await ensureBusyboxImage(engine);
  const info = await engine.info();
  say(`docker.io ${binaries.version} (Engine ${info.version}, API ${info.apiVersion}) ready at ${host} in ${Date.now() - started} ms (netns ${layout.netns})`);
  provide(host, '', layout.netns, info.version);
  return async () => {
    await stopIsolatedEngine(layout, {removeData: true});
  };
}
