// hawser in a real terminal (a 120x40 tmux pane): start it, watch its screen, type into it, and time
// each change as a person would see it.
import {setTimeout as sleep} from 'node:timers/promises';
import {childrenOf, commOf} from './proc.mjs';

/** Wall-clock time in ms with sub-ms precision (comparable with the engine's event timestamps). */
export function nowMs() {
  return performance.timeOrigin + performance.now();
}

/** One hawser process in its own tmux session. */
export class TuiSession {
  constructor(tmux, name) {
    this.tmux = tmux;
    this.name = name;
  }

  /** Starts `dist/cli.js --host HOST` as the installed `hawser` runs (its shebang's node flags included); resolves with the start time (ms). */
  async start(cliPath, host) {
    // exec: the pane's process is node itself (env execs it), so its pid is the one to measure.
    const command = `exec ${cliPath} --host ${host}`;
    const startedAt = nowMs();
    await this.tmux.newSession(this.name, command, 120, 40);
    this.pid = await this.findNode();
    return startedAt;
  }

  async findNode() {
    const panePid = await this.tmux.panePid(this.name);
    if (commOf(panePid).startsWith('node')) return panePid;
    return childrenOf(panePid).find(pid => commOf(pid).startsWith('node')) ?? panePid;
  }

  screen() {
    return this.tmux.capture(this.name);
  }

  /** Polls the screen every `everyMs` until `test(screen)`; resolves with the time it matched and the screen. */
  async waitFor(test, {timeoutMs = 30_000, everyMs = 2, what = 'the screen'} = {}) {
    const deadline = performance.now() + timeoutMs;
    let screen = '';
    while (performance.now() < deadline) {
      screen = await this.screen();
      const at = nowMs();
      if (test(screen)) return {at, screen};
      if (everyMs > 0) await sleep(everyMs);
    }

    throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}. The screen was:\n${screen}`);
  }

  /** Waits until the screen has not changed for `quietMs`. */
  async settle(quietMs = 150, timeoutMs = 5_000) {
    const deadline = performance.now() + timeoutMs;
    let last = await this.screen();
    let since = performance.now();
    while (performance.now() < deadline) {
      await sleep(10);
      const screen = await this.screen();
      if (screen !== last) {
        last = screen;
        since = performance.now();
      } else if (performance.now() - since >= quietMs) {
        return last;
      }
    }

    return last;
  }

  /**
   * Sends one key (or literal text) and times it to the first changed screen that passes `test`.
   * The screen must be settled before.
   */
  async timeKey(key, {literal = false, test = () => true, what} = {}) {
    const before = await this.screen();
    const sentAt = nowMs();
    if (literal) await this.tmux.sendText(this.name, key);
    else await this.tmux.sendKey(this.name, key);
    const {at, screen} = await this.waitFor(s => s !== before && test(s), {timeoutMs: 10_000, everyMs: 0, what: what ?? `the frame after ${key}`});
    return {ms: at - sentAt, screen};
  }

  /** Quits with q; kills the session if it does not end. */
  async quit() {
    try {
      await this.tmux.sendKey(this.name, 'q');
    } catch {}

    const deadline = performance.now() + 5_000;
    while (performance.now() < deadline && await this.tmux.hasSession(this.name)) await sleep(50);
    await this.tmux.killSession(this.name);
  }
}
