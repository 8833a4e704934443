// Copies text to the user's clipboard through the terminal (OSC 52), which also works over SSH.

/** The escape sequence that asks the terminal to set the clipboard; wrapped for tmux when inside it. */
export function osc52(text: string, env: NodeJS.ProcessEnv = process.env): string {
  const sequence = `\u001B]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
  return env['TMUX'] ? `\u001BPtmux;\u001B${sequence}\u001B\\` : sequence;
}

/** Writes the sequence to the terminal. */
export function copyToClipboard(text: string, stdout: NodeJS.WriteStream = process.stdout): void {
  stdout.write(osc52(text));
}
