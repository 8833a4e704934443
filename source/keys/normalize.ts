// Turns Ink's (input, key) pair into one key name of the key table. Pure.

/** The subset of Ink's Key that hawser reads. */
export type InkKey = {
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly leftArrow?: boolean;
  readonly rightArrow?: boolean;
  readonly pageDown?: boolean;
  readonly pageUp?: boolean;
  readonly home?: boolean;
  readonly end?: boolean;
  readonly return?: boolean;
  readonly escape?: boolean;
  readonly ctrl?: boolean;
  readonly shift?: boolean;
  readonly tab?: boolean;
  readonly backspace?: boolean;
  readonly delete?: boolean;
  readonly meta?: boolean;
};

/** The key name for an Ink key event ('j', 'G', 'down', 'ctrl+c', 'shift+tab', ...); '' for pasted text, which no key has. */
export function normalizeKey(input: string, key: InkKey): string {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageDown) return 'pagedown';
  if (key.pageUp) return 'pageup';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'return';
  if (key.escape) return 'escape';
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input) return `ctrl+${input.toLowerCase()}`;
  // More than one character is pasted text (every key typed reaches Ink alone, see key-by-key-stdin): it
  // fills a text field but is no key, also when it spells a key's name ("return", "ctrl+c", "up").
  if ([...input].length > 1) return '';
  if (input === ' ') return 'space';
  return input;
}

/** The text a key types into a prompt: none with Ctrl or Meta, and no control characters (Enter, Tab...). */
export function typedText(input: string, key: InkKey): string {
  return key.ctrl || key.meta ? '' : input.replace(/[\u0000-\u001F\u007F]/g, '');
}
