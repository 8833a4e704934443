// `hawser sandbox up|down|status`: one isolated engine per user, seeded, kept between runs.
import {createHash} from 'node:crypto';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type {EnginePort} from '../engine/port.js';
import {engineChoice, engineChoices, ensureEngineBinaries, type EngineBinaries} from './engine-versions.js';
import {ensureHostPackages, layoutFor, runningPid, SandboxError, startIsolatedEngine, stopIsolatedEngine, type IsolatedEngineLayout} from './isolated-engine.js';
import {seedSandbox} from './seed.js';
import {ensureBusyboxImage} from './test-image.js';
import {homeFolder} from '../model/home.js';

/**
 * The sandbox's folder: $HAWSER_SANDBOX_DIR, else $XDG_STATE_HOME/hawser/sandbox. Its network
 * namespace is named after the folder, so two users' (or two HOMEs') sandboxes never share one.
 */
export function sandboxLayout(env: NodeJS.ProcessEnv = process.env): IsolatedEngineLayout {
  const state = env['XDG_STATE_HOME'] || path.join(homeFolder(env), '.local', 'state');
  const baseDir = path.resolve(env['HAWSER_SANDBOX_DIR'] || path.join(state, 'hawser', 'sandbox'));
  return layoutFor(baseDir, `hawser-sandbox-${createHash('sha256').update(baseDir).digest('hex').slice(0, 8)}`);
}

/** Each engine keeps its own data root (a newer engine's data would not go back to an older one). */
function forEngine(layout: IsolatedEngineLayout, id: string): IsolatedEngineLayout {
  return id === '20' ? layout : {...layout, dataRoot: path.join(layout.baseDir, `data-${id}`)};
}

const engineFile = (layout: IsolatedEngineLayout) => path.join(layout.baseDir, 'engine');

/** The engine the sandbox runs (or last ran): '20', '26' or '28'. */
export function sandboxEngine(layout: IsolatedEngineLayout): string | undefined {
  try {
    return readFileSync(engineFile(layout), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The engine asked for, or the newest that can be had (sid's, then trixie's, then the system's). */
function chooseEngine(asked: string | undefined, report: (line: string) => void): EngineBinaries {
  if (asked) {
    return ensureEngineBinaries(engineChoice(asked), report);
  }

  const failures: string[] = [];
  for (const choice of [...engineChoices].reverse()) {
    try {
      return ensureEngineBinaries(choice, report);
    } catch (error) {
      failures.push(`engine ${choice.id}: ${error instanceof Error ? error.message : String(error)}`);
      report(`engine ${choice.id} cannot be had here (${error instanceof Error ? error.message : String(error)}); trying an older one`);
    }
  }

  throw new SandboxError(`No engine could be had: ${failures.join('; ')}`);
}

/** The DOCKER_HOST that reaches the sandbox. */
export function sandboxHost(layout: IsolatedEngineLayout): string {
  return `unix://${layout.socketPath}`;
}

/**
 * Starts (installing what is missing) and seeds the sandbox; returns its DOCKER_HOST. `engineId`
 * ('20', '26', '28') picks the engine; without it a running sandbox is used as it is, else the newest
 * engine that can be had starts.
 */
export async function sandboxUp(layout: IsolatedEngineLayout, connect: (host: string) => EnginePort, report: (line: string) => void, engineId?: string): Promise<string> {
  ensureHostPackages(report);
  const host = sandboxHost(layout);
  const engine = connect(host);
  const ping = async () => engine.ping().then(() => true, () => false);
  const running = runningPid(layout) ? sandboxEngine(layout) ?? '20' : undefined;
  if (running && engineId && engineChoice(engineId).id !== running) {
    throw new SandboxError(`The sandbox runs engine ${running}, not ${engineId}. Stop it first (hawser sandbox down), then start it with --engine ${engineId}.`);
  }

  const binaries = chooseEngine(engineId ?? running, report);
  if (binaries.fallback) {
    report(`!!! ${binaries.fallback}`);
  }

  const engineLayout = forEngine(layout, binaries.choice.id);
  const what = `engine ${binaries.choice.id} (docker.io ${binaries.version}, Debian ${binaries.choice.suite})`;
  if (!running) {
    report(`starting ${what} in network namespace ${layout.netns} (data in ${engineLayout.dataRoot})`);
  }

  await startIsolatedEngine(engineLayout, ping, {pathDirs: binaries.pathDirs});
  writeFileSync(engineFile(layout), `${binaries.choice.id}\n`);
  if (running) {
    report(`the sandbox runs ${what}`);
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

/** Whether the sandbox runs, and where, and which engine. */
export function sandboxStatus(layout: IsolatedEngineLayout): {isRunning: boolean; pid?: number; host: string; engine?: string} {
  const pid = runningPid(layout);
  return {isRunning: Boolean(pid), pid, host: sandboxHost(layout), engine: sandboxEngine(layout)};
}
