// Runs the built hawser in a real terminal (tmux): keys in, screen out, as a person uses it.
import {execFileSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';

/** The tests' own tmux server, so a person's tmux (or another run) can never disturb them. */
const server = ['-L', `hawser-e2e-${process.pid}`];

/** A tmux session running one command. */
export class TmuxSession {
  readonly name = `hawser-e2e-${randomBytes(3).toString('hex')}`;

  constructor(command: string, readonly size = {columns: 100, rows: 30}, env: Record<string, string> = {}) {
    const exports = Object.entries(env).map(([key, value]) => `export ${key}='${value.replaceAll("'", "'\\''")}';`).join(' ');
    execFileSync('tmux', [...server, 'new-session', '-d', '-s', this.name, '-x', String(size.columns), '-y', String(size.rows), `${exports} ${command}`]);
  }

  /** The visible screen as text. */
  screen(): string {
    return execFileSync('tmux', [...server, 'capture-pane', '-p', '-t', this.name], {encoding: 'utf8'});
  }

  /** The newest paste buffer of the tests' tmux server (what a program copied into tmux). */
  static newestBuffer(): string {
    return execFileSync('tmux', [...server, 'show-buffer'], {encoding: 'utf8'});
  }

  /** Types keys (tmux key names: 'j', 'Enter', 'Escape', 'Tab', 'C-c'), one at a time as a person would. */
  async press(...keys: string[]): Promise<void> {
    for (const key of keys) {
      execFileSync('tmux', [...server, 'send-keys', '-t', this.name, key]);
      await new Promise(resolve => setTimeout(resolve, 40));
    }
  }

  /** Types literal text. */
  async type(text: string): Promise<void> {
    for (const char of text) {
      // A lone ";" is tmux's command separator; "\;" sends the character.
      execFileSync('tmux', [...server, 'send-keys', '-t', this.name, '-l', char === ';' ? '\\;' : char]);
      await new Promise(resolve => setTimeout(resolve, 20));
    }
  }

  /** Sends text as one write to the terminal, as keys typed faster than a program reads (or a slow SSH link) arrive. */
  burst(text: string): void {
    execFileSync('tmux', [...server, 'send-keys', '-t', this.name, '-l', text]);
  }

  /**
   * Pastes text as a person pastes into a terminal: tmux sends it in one piece, its line breaks as Enter,
   * wrapped in bracketed-paste codes when the program asked for them (ESC[?2004h), as terminals do.
   */
  paste(text: string): void {
    execFileSync('tmux', [...server, 'set-buffer', '-b', this.name, '--', text]);
    execFileSync('tmux', [...server, 'paste-buffer', '-p', '-d', '-b', this.name, '-t', this.name]);
  }

  resize(columns: number, rows: number): void {
    execFileSync('tmux', [...server, 'resize-window', '-t', this.name, '-x', String(columns), '-y', String(rows)]);
  }

  /** Waits until the screen matches; returns it. Fails with the last screen when it does not. */
  async waitFor(pattern: RegExp | string, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < deadline) {
      screen = this.screen();
      if (typeof pattern === 'string' ? screen.includes(pattern) : pattern.test(screen)) {
        return screen;
      }

      await new Promise(resolve => setTimeout(resolve, 50));
    }

    throw new Error(`Timed out waiting for ${String(pattern)}; the screen was:\n${screen}`);
  }

  kill(): void {
    try {
      execFileSync('tmux', [...server, 'kill-session', '-t', this.name], {stdio: 'ignore'});
    } catch {}
  }

  /** Stops the tests' tmux server (after the last session). */
  static stopServer(): void {
    try {
      execFileSync('tmux', [...server, 'kill-server'], {stdio: 'ignore'});
    } catch {}
  }
}
