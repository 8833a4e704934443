import {describe, expect, it} from 'vitest';
import {parseMouse, rowAt} from '../../source/ui/mouse.js';

describe('mouse reports', () => {
  it('parses clicks and wheel steps, and ignores releases and other input', () => {
    expect(parseMouse('\u001B[<0;10;5M')).toEqual({kind: 'click', column: 10, row: 5});
    expect(parseMouse('\u001B[<64;3;7M')).toEqual({kind: 'wheelUp', column: 3, row: 7});
    expect(parseMouse('\u001B[<65;3;7M')).toEqual({kind: 'wheelDown', column: 3, row: 7});
    expect(parseMouse('\u001B[<0;10;5m')).toBeUndefined();
    expect(parseMouse('j')).toBeUndefined();
  });

  it('maps a screen row to a panel row under the header, titles and column headers', () => {
    const heights = [{id: 'containers', height: 3}, {id: 'networks', height: 2}, {id: 'volumes', height: 2}];
    expect(rowAt(1, heights)).toBeUndefined();
    expect(rowAt(2, heights)).toEqual({id: 'containers'});
    expect(rowAt(4, heights)).toEqual({id: 'containers', row: 0});
    expect(rowAt(6, heights)).toEqual({id: 'containers', row: 2});
    expect(rowAt(9, heights)).toEqual({id: 'networks', row: 0});
    expect(rowAt(14, heights)).toEqual({id: 'volumes', row: 1});
  });
});

describe('the clipboard', async () => {
  const {copyToClipboard, osc52} = await import('../../source/ui/clipboard.js');
  const terminal = () => {
    const written: string[] = [];
    return {written, stdout: {write: (text: string) => written.push(text)} as unknown as NodeJS.WriteStream};
  };

  it('outside tmux asks the terminal with OSC 52, base64-encoded, and does not claim it landed', () => {
    expect(osc52('abc')).toBe('\u001B]52;c;YWJj\u0007');
    const {written, stdout} = terminal();
    const outcome = copyToClipboard('abc', {env: {}, stdout, tmux: () => ({status: 1, stderr: 'not called'})});
    expect(written).toEqual(['\u001B]52;c;YWJj\u0007']);
    expect(outcome.tone).toBe('info');
    expect(outcome.message).not.toMatch(/^Copied/);
  });

  it('inside tmux loads tmux\'s buffer, says "Copied" only when tmux took it, and falls back when -w is refused', () => {
    const calls: (readonly string[])[] = [];
    const {written, stdout} = terminal();
    const old = copyToClipboard('abc', {env: {TMUX: '/tmp/tmux-0/default,1,0'}, stdout, tmux: args => {
      calls.push(args);
      return args.includes('-w') ? {status: 1, stderr: 'unknown flag -w'} : {status: 0, stderr: ''};
    }});
    expect(calls).toEqual([['load-buffer', '-w', '-'], ['load-buffer', '-']]);
    expect(old).toEqual({tone: 'good', message: 'Copied abc to tmux\'s paste buffer (prefix ] pastes it).'});
    expect(written).toEqual([]);
    const failed = copyToClipboard('abc', {env: {TMUX: 'x'}, stdout, tmux: () => ({status: 1, stderr: 'no server running'})});
    expect(failed).toEqual({tone: 'error', message: 'Could not copy to tmux\'s buffer: no server running.'});
  });
});
