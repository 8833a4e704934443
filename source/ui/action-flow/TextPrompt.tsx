// A one-line text input, drawn as ink-text-input draws one (the cursor an inverse cell, the placeholder
// grey), whose keys come through useLatestInput: ink-text-input subscribes its handler from an effect after
// every change, so a key typed right behind another (Enter after "web") reached the handler that still
// held the text before it, and an empty answer was submitted.
import {Text} from 'ink';
import React, {useState} from 'react';
import {typedText} from '../../keys/normalize.js';
import {useLatestInput} from '../use-latest-input.js';

/** Props of the input. */
export type TextPromptProps = {
  readonly value: string;
  readonly placeholder?: string;
  readonly onChange: (value: string) => void;
  readonly onSubmit: (value: string) => void;
  /** Sees each key first; true when it was the caller's, and the input leaves it alone. */
  readonly onKey?: (input: string, key: Parameters<typeof typedText>[1]) => boolean;
};

/**
 * Types printable keys and pastes at the cursor; ←/→ move it, Backspace deletes before it, Enter submits.
 * Keys with Ctrl or Meta type nothing; `onKey` may take any key (a shell's line keys, Ctrl-U and Ctrl-W). The
 * cursor starts at the end; a value shortened from outside pulls it back to the new end.
 */
export function TextPrompt({value, placeholder = '', onChange, onSubmit, onKey}: TextPromptProps) {
  const [wantedCursor, setCursor] = useState(value.length);
  const cursor = Math.min(wantedCursor, value.length);
  useLatestInput((input, key) => {
    if (onKey?.(input, key) === true || key.upArrow || key.downArrow || key.tab) {
      return;
    }

    if (key.return) {
      onSubmit(value);
    } else if (key.leftArrow) {
      setCursor(Math.max(0, cursor - 1));
    } else if (key.rightArrow) {
      setCursor(Math.min(value.length, cursor + 1));
    } else if (key.backspace || key.delete) {
      if (cursor > 0) {
        setCursor(cursor - 1);
        onChange(value.slice(0, cursor - 1) + value.slice(cursor));
      }
    } else {
      const text = typedText(input, key);
      if (text) {
        setCursor(cursor + text.length);
        onChange(value.slice(0, cursor) + text + value.slice(cursor));
      }
    }
  });
  if (value.length === 0) {
    return placeholder
      ? <Text><Text inverse>{placeholder[0]}</Text><Text color="gray">{placeholder.slice(1)}</Text></Text>
      : <Text inverse> </Text>;
  }

  return (
    <Text>
      {value.slice(0, cursor)}
      <Text inverse>{cursor < value.length ? value[cursor] : ' '}</Text>
      {value.slice(cursor + 1)}
    </Text>
  );
}
