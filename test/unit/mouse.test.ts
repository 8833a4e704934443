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

describe('clipboard over OSC 52', async () => {
  const {osc52} = await import('../../source/ui/clipboard.js');
  it('sends the text base64-encoded, wrapped for tmux when inside it', () => {
    expect(osc52('abc', {})).toBe('\u001B]52;c;YWJj\u0007');
    expect(osc52('abc', {TMUX: '/tmp/tmux-0/default,1,0'})).toBe('\u001BPtmux;\u001B\u001B]52;c;YWJj\u0007\u001B\\');
  });
});
