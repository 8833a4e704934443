// A list to pick one item from, drawn and keyed as ink-select-input's (❯ before the highlighted row, both
// blue; ↑/↓ or k/j move and scroll round, 1-9 pick a shown row, Enter picks the highlighted one), whose
// keys come through useLatestInput: ink-select-input subscribes its handler from an effect after every
// move, so Enter right behind ↓ picked the row highlighted before it.
import {Box, Text} from 'ink';
import React, {useState} from 'react';
import {useLatestInput} from '../use-latest-input.js';

/** One row. */
export type ChoiceItem = {readonly key: string; readonly label: string; readonly value: string};

/** Props of the list. */
export type ChoiceListProps = {
  readonly items: readonly ChoiceItem[];
  readonly initialIndex?: number;
  /** Rows shown at once; the list scrolls round through the rest. */
  readonly limit?: number;
  readonly onSelect: (item: ChoiceItem) => void;
};

/** The items turned by `steps` (the last `steps` first), as the to-rotated package turns them. */
function rotated<T>(items: readonly T[], steps: number): T[] {
  const turn = items.length === 0 ? 0 : ((steps % items.length) + items.length) % items.length;
  return turn === 0 ? [...items] : [...items.slice(-turn), ...items.slice(0, -turn)];
}

/** The list; its rows, highlight and scrolling are those of ink-select-input. */
export function ChoiceList({items, initialIndex = 0, limit: wantedLimit, onSelect}: ChoiceListProps) {
  const hasLimit = typeof wantedLimit === 'number' && items.length > wantedLimit;
  const limit = hasLimit ? Math.min(wantedLimit, items.length) : items.length;
  const lastIndex = limit - 1;
  const [position, setPosition] = useState(() => ({
    rotate: initialIndex > lastIndex ? lastIndex - initialIndex : 0,
    selected: initialIndex > lastIndex ? lastIndex : initialIndex,
  }));
  const shown = hasLimit ? rotated(items, position.rotate).slice(0, limit) : items;
  useLatestInput((input, key) => {
    const {rotate, selected} = position;
    if (input === 'k' || key.upArrow) {
      const isAtFirst = selected === 0;
      setPosition({rotate: isAtFirst ? rotate + 1 : rotate, selected: isAtFirst ? (hasLimit ? selected : items.length - 1) : selected - 1});
    }

    if (input === 'j' || key.downArrow) {
      const isAtLast = selected === (hasLimit ? limit : items.length) - 1;
      setPosition({rotate: isAtLast ? rotate - 1 : rotate, selected: isAtLast ? (hasLimit ? selected : 0) : selected + 1});
    }

    if (/^[1-9]$/.test(input)) {
      const picked = shown[Number.parseInt(input, 10) - 1];
      if (picked) {
        onSelect(picked);
      }
    }

    if (key.return) {
      const picked = shown[selected];
      if (picked) {
        onSelect(picked);
      }
    }
  });
  return (
    <Box flexDirection="column">
      {shown.map((item, index) => (
        <Box key={item.key}>
          <Box marginRight={1}>{index === position.selected ? <Text color="blue">❯</Text> : <Text> </Text>}</Box>
          <Text color={index === position.selected ? 'blue' : undefined}>{item.label}</Text>
        </Box>
      ))}
    </Box>
  );
}
