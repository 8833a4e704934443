// A tmux server of the bench's own, driven through one control-mode client (`tmux -C`). Every
// command goes over that client's stdin: a capture costs ~0.6 ms, where spawning `tmux capture-pane`
// costs 35–50 ms on these machines (process creation is slow here), far too coarse to time a frame.
import {spawn} from 'node:child_process';
import {rmSync} from 'node:fs';
import path from 'node:path';

/** Quotes a word for tmux's command parser. */
function quote(word) {
  return `'${String(word).replaceAll("'", "'\\''")}'`;
}

/** A private tmux server with a control client attached to a placeholder session. */
export class TmuxControl {
  /** Starts the server (socket name `socket`); resolves once it answers. */
  static async start(socket) {
    const control = new TmuxControl(socket);
    await control.ready;
    // A pane whose program exits stays, with its last words on screen for the error message.
    await control.command('set-option', '-g', 'remain-on-exit', 'on');
    return control;
  }

  constructor(socket) {
    this.socket = socket;
    this.pending = [];
    this.block = undefined;
    this.buffer = '';
    this.child = spawn('tmux', ['-L', socket, '-f', '/dev/null', '-C', 'new-session', '-s', 'bench-holder', '-x', '120', '-y', '40', 'sleep 100000000'], {stdio: ['pipe', 'pipe', 'ignore']});
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', chunk => this.onData(chunk));
    this.child.on('exit', () => {
      for (const waiter of this.pending.splice(0)) waiter.reject(new Error('the tmux control client exited'));
    });
    // The command given on the command line answers with a block of its own, before ours.
    this.ready = new Promise((resolve, reject) => this.pending.push({resolve, reject}));
  }

  onData(chunk) {
    this.buffer += chunk;
    let end;
    while ((end = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 1);
      this.onLine(line);
    }
  }

  onLine(line) {
    if (this.block) {
      if (line.startsWith('%end ') || line.startsWith('%error ')) {
        const waiter = this.pending.shift();
        const text = this.block.join('\n');
        this.block = undefined;
        if (line.startsWith('%error ')) waiter?.reject(new Error(`tmux: ${text}`));
        else waiter?.resolve(text);
      } else {
        this.block.push(line);
      }

      return;
    }

    if (line.startsWith('%begin ')) {
      this.block = [];
    }
    // Other lines are notifications (%output, %session-changed…): not needed.
  }

  /** Runs one tmux command (words are quoted here); resolves with its output. */
  command(...words) {
    return new Promise((resolve, reject) => {
      this.pending.push({resolve, reject});
      this.child.stdin.write(`${words.map(quote).join(' ')}\n`);
    });
  }

  /** The visible screen of `target` as plain text. */
  capture(target) {
    return this.command('capture-pane', '-p', '-t', target);
  }

  /** Sends one key (tmux key name, e.g. 'j', 'Escape', 'PageDown'). */
  sendKey(target, key) {
    return this.command('send-keys', '-t', target, key);
  }

  /** Sends literal text. */
  sendText(target, text) {
    return this.command('send-keys', '-t', target, '-l', text);
  }

  /** Starts `shellCommand` in a detached session `name` of the given size. */
  newSession(name, shellCommand, columns = 120, rows = 40) {
    return this.command('new-session', '-d', '-s', name, '-x', String(columns), '-y', String(rows), shellCommand);
  }

  /** The pid of the process in the session's pane. */
  async panePid(name) {
    return Number((await this.command('display-message', '-p', '-t', name, '#{pane_pid}')).trim());
  }

  /** True while the session exists. */
  async hasSession(name) {
    try {
      await this.command('has-session', '-t', name);
      return true;
    } catch {
      return false;
    }
  }

  async killSession(name) {
    try {
      await this.command('kill-session', '-t', name);
    } catch {}
  }

  /** Stops the whole private server. */
  async stop() {
    try {
      await Promise.race([this.command('kill-server'), new Promise(resolve => setTimeout(resolve, 1000))]);
    } catch {}

    this.child.stdin.end();
    this.child.kill();
    // tmux leaves its socket file behind when the server is killed.
    rmSync(path.join(process.env.TMUX_TMPDIR || '/tmp', `tmux-${process.getuid?.() ?? 0}`, this.socket), {force: true});
  }
}
