// An HTTP agent whose connections are `ssh HOST docker system dial-stdio` processes, so the user's
// ~/.ssh/config, agent and known_hosts apply (docker-modem's own ssh ignores them).
import {spawn} from 'node:child_process';
import {Agent} from 'node:http';
import {Duplex} from 'node:stream';
import type {Socket} from 'node:net';

/** Where to ssh to; `socketPath`, the remote engine's socket when not the remote docker's default. */
export type SshTarget = {readonly host: string; readonly user?: string; readonly port?: number; readonly socketPath?: string};

/** The arguments for the system ssh, as an array: user input never reaches a shell string. */
export function sshArguments(target: SshTarget): string[] {
  // The docker CLI's own connect timeout (30 s).
  const args = ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=30', '-T'];
  if (target.user) {
    args.push('-l', target.user);
  }

  if (target.port) {
    args.push('-p', String(target.port));
  }

  args.push('--', target.host, 'docker', ...(target.socketPath ? ['--host', `unix://${target.socketPath}`] : []), 'system', 'dial-stdio');
  return args;
}

function dialStdio(target: SshTarget, sshCommand: string): Duplex {
  const child = spawn(sshCommand, sshArguments(target), {stdio: ['pipe', 'pipe', 'pipe']});
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-2000);
  });
  const duplex = new Duplex({
    read() {
      child.stdout.resume();
    },
    write(chunk, encoding, callback) {
      // A failed write means ssh has gone; its exit status says why, so the EPIPE is not the story.
      child.stdin.write(chunk, encoding, () => callback());
    },
    final(callback) {
      child.stdin.end(() => callback());
    },
    destroy(error, callback) {
      child.kill();
      callback(error);
    },
  });
  child.stdout.on('data', (chunk: Buffer) => {
    if (!duplex.push(chunk)) {
      child.stdout.pause();
    }
  });
  child.stdin.on('error', () => undefined);
  child.on('error', error => duplex.destroy(new Error(`could not run ${sshCommand}: ${error.message}`)));
  // End the stream only once ssh has exited, so a failed connection reports ssh's own reason.
  child.on('close', code => {
    if (code !== 0 && code !== null) {
      const reason = stderr.trim().split('\n').pop() || `ssh exited with code ${code}`;
      duplex.destroy(Object.assign(new Error(`ssh: ${reason}`), {code: 'ESSH'}));
    } else {
      duplex.push(null);
    }
  });
  // Node's http client expects a socket; these are the calls it makes on one.
  const socketLike = duplex as Duplex & Partial<Socket>;
  socketLike.setTimeout = () => socketLike as Socket;
  socketLike.setNoDelay = () => socketLike as Socket;
  socketLike.setKeepAlive = () => socketLike as Socket;
  socketLike.ref = () => socketLike as Socket;
  socketLike.unref = () => socketLike as Socket;
  return duplex;
}

/** An HTTP agent that tunnels each connection through the system ssh. */
export function createSshAgent(target: SshTarget, sshCommand = 'ssh'): Agent {
  const agent = new Agent({keepAlive: true, maxSockets: 4});
  (agent as unknown as {createConnection: () => Duplex}).createConnection = () => dialStdio(target, sshCommand);
  return agent;
}
