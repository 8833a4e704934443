// Escape sequences for the terminal's modes, shared by the TUI's start and the shell hand-over.

/** Switch to the alternate screen and home the cursor. */
export const enterAlternateScreen = '\u001B[?1049h\u001B[2J\u001B[H';

/** Show the cursor and return to the normal screen, as it was before hawser started. */
export const leaveAlternateScreen = '\u001B[?25h\u001B[?1049l';

/**
 * Ask the terminal to wrap what is pasted in `ESC[200~` … `ESC[201~` (bracketed paste), so hawser can tell
 * a paste from keys typed ahead and never take it as keys (see key-by-key-stdin).
 */
export const bracketedPasteOn = '\u001B[?2004h';

/** Pastes arrive unwrapped again, as the shell or whatever runs after hawser expects them. */
export const bracketedPasteOff = '\u001B[?2004l';
