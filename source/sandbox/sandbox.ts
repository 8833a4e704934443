// `hawser sandbox up|down|status`: one isolated engine per user, seeded, kept between runs.
import {homedir} from 'node:os';
import path from 'node:path';
import type {EnginePort} from '../engine/port.js';
import {ensureHostPackages, layoutFor, runningPid, startIsolatedEngine, stopIsolatedEngine, type IsolatedEngineLayout} from './isolated-engine.js';
import {seedSandbox} from './seed.js';
import {ensureBusyboxImage} from './test-image.js';

/** The sandbox's folder: $HAWSER_SANDBOX_DIR, else $XDG_STATE_HOME/hawser/sandbox. */
export function sandboxLayout(env: NodeJS.ProcessEnv = process.env): IsolatedEngineLayout {
  const state = env['XDG_STATE_HOME'] || path.join(env['HOME'] || homedir(), '.local', 'state');
  return layoutFor(env['HAWSER_SANDBOX_DIR'] || path.join(state, 'hawser', 'sandbox'), 'hawser-sandbox');
}

/** The DOCKER_HOST that reaches the sandbox. */
export function sandboxHost(layout: IsolatedEngineLayout): string {
  return `unix://${layout.socketPath}`;
}

/** Starts (installing what is missing) and seeds the sandbox; returns its DOCKER_HOST. */
export async function sandboxUp(layout: IsolatedEngineLayout, connect: (host: string) => EnginePort, report: (line: string) => void): Promise<string> {
  ensureHostPackages(report);
  const host = sandboxHost(layout);
  const engine = connect(host);
  const ping = async () => engine.ping().then(() => true, () => false);
  report(`starting an isolated engine in network namespace ${layout.netns} (data in ${layout.baseDir})`);
  const {wasRunning} = await startIsolatedEngine(layout, ping);
  if (wasRunning) {
    report('the sandbox engine was already running');
  }

  if (await ensureBusyboxImage(engine)) {
    report('imported the test image hawser/busybox from busybox-static');
  }

  await seedSandbox(engine, report);
  return host;
}

/** Stops the sandbox; with `purge` removes its data too. */
export async function sandboxDown(layout: IsolatedEngineLayout, purge: boolean): Promise<boolean> {
  return stopIsolatedEngine(layout, {removeData: purge});
}

/** Whether the sandbox runs, and where. */
export function sandboxStatus(layout: IsolatedEngineLayout): {isRunning: boolean; pid?: number; host: string} {
  const pid = runningPid(layout);
  return {isRunning: Boolean(pid), pid, host: sandboxHost(layout)};
}
