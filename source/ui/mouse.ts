// Mouse support (off unless the config turns it on): SGR mouse reports, parsed into clicks and wheel steps.

/** Turn SGR mouse reporting on (clicks and wheel). */
export const mouseOn = '\u001B[?1000h\u001B[?1006h';

/** Turn it off again. */
export const mouseOff = '\u001B[?1000l\u001B[?1006l';

/** A mouse report: a click (press of the left button) or a wheel step, at a 1-based column and row. */
export type MouseEvent = {readonly kind: 'click' | 'wheelUp' | 'wheelDown'; readonly column: number; readonly row: number};

/** Parses one SGR report (`ESC [ < b ; x ; y M`); undefined for anything else, including releases. */
export function parseMouse(input: string): MouseEvent | undefined {
  const match = /^\u001B?\[<(\d+);(\d+);(\d+)([Mm])$/.exec(input);
  if (!match) {
    return undefined;
  }

  const [, button = '', column = '', row = '', type] = match;
  const code = Number(button);
  const position = {column: Number(column), row: Number(row)};
  if (code === 64) return {kind: 'wheelUp', ...position};
  if (code === 65) return {kind: 'wheelDown', ...position};
  return code === 0 && type === 'M' ? {kind: 'click', ...position} : undefined;
}

/** Which panel row a screen row is, given the panels' heights stacked under a one-line header. */
export function rowAt(screenRow: number, heights: readonly {readonly id: string; readonly height: number}[]): {id: string; row?: number} | undefined {
  let top = 2;
  for (const {id, height} of heights) {
    // Each panel: a title line, a column header, then its rows.
    if (screenRow >= top && screenRow < top + 2 + height) {
      const row = screenRow - top - 2;
      return row >= 0 ? {id, row} : {id};
    }

    top += 2 + height;
  }

  return undefined;
}
