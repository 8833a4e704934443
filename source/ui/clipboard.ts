// Copies text to the user's clipboard. Inside tmux, into tmux's paste buffer with `tmux load-buffer -w`
// (tmux drops an OSC 52 wrapped for passthrough; -w also hands it to the outer terminal's clipboard
// where tmux's set-clipboard allows it), and only a buffer tmux took counts as copied. Elsewhere the
// terminal is asked through OSC 52, which also works over SSH; whether the terminal allowed it cannot be
// known, and the words say so.
import {spawnSync} from 'node:child_process';

/** What came of a copy, for the bottom line: 'good' only when it is known to have landed, 'info' when the terminal was asked. */
export type CopyOutcome = {readonly tone: 'good' | 'info' | 'error'; readonly message: string};

/** The escape sequence that asks the terminal to set the clipboard. */
export function osc52(text: string): string {
  return `\u001B]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
}

/** Runs tmux with `args`, `input` on its stdin; its exit status and error output. */
export type TmuxRunner = (args: readonly string[], input: string) => {readonly status: number | null; readonly stderr: string};

const runTmux: TmuxRunner = (args, input) => {
  const result = spawnSync('tmux', args, {input, encoding: 'utf8', timeout: 2000});
  return {status: result.error ? null : result.status, stderr: result.error?.message ?? result.stderr};
};

/** Copies `text`: into tmux's buffer inside tmux, else through the terminal. */
export function copyToClipboard(text: string, options: {readonly env?: NodeJS.ProcessEnv; readonly stdout?: NodeJS.WriteStream; readonly tmux?: TmuxRunner} = {}): CopyOutcome {
  const {env = process.env, stdout = process.stdout, tmux = runTmux} = options;
  if (env['TMUX']) {
    // -w (tmux 3.2+) also sets the outer terminal's clipboard; an older tmux refuses the flag, so try without.
    let result = tmux(['load-buffer', '-w', '-'], text);
    if (result.status !== 0) {
      result = tmux(['load-buffer', '-'], text);
    }

    return result.status === 0
      ? {tone: 'good', message: `Copied ${text} to tmux's paste buffer (prefix ] pastes it).`}
      : {tone: 'error', message: `Could not copy to tmux's buffer: ${result.stderr.trim() || 'tmux failed'}.`};
  }

  stdout.write(osc52(text));
  return {tone: 'info', message: `Sent ${text} to the terminal's clipboard (OSC 52: works where the terminal allows it).`};
}
