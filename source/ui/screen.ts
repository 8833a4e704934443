// Escape sequences for the terminal's alternate screen, shared by the TUI's start and the shell hand-over.

/** Switch to the alternate screen and home the cursor. */
export const enterAlternateScreen = '\u001B[?1049h\u001B[2J\u001B[H';

/** Show the cursor and return to the normal screen, as it was before hawser started. */
export const leaveAlternateScreen = '\u001B[?25h\u001B[?1049l';
