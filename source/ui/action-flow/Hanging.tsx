// A line that starts with a marker and wraps under its text: the wizard's steps, warnings and results.
import {Box, Text} from 'ink';
import React from 'react';
import {cellLength, wrapWords} from '../../model/text.js';

/** Props of a line with a hanging indent. */
type HangingProps = {readonly marker: string; readonly text: string; readonly width: number; readonly color?: string; readonly isBold?: boolean; readonly dimColor?: boolean};

/**
 * A line that starts with a marker ('  ! ', '  • ', '  1  ') and wraps under its text, not under the
 * marker: the marker in a column of its own, the text cut between words to the rest of `width`.
 */
export function Hanging({marker, text, width, color, isBold, dimColor}: HangingProps) {
  const markerWidth = cellLength(marker);
  return (
    <Box>
      <Box width={markerWidth} flexShrink={0}>
        <Text color={color} bold={isBold} dimColor={dimColor}>{marker}</Text>
      </Box>
      <Text color={color} bold={isBold} dimColor={dimColor} wrap="wrap">{wrapWords(text, width - markerWidth).join('\n')}</Text>
    </Box>
  );
}
