// One question of a wizard: free text, a choice among options, or yes/no. Hawser's own keys here are the
// key table's wizard layer; Enter, the arrows and typing belong to the text input and the choice list
// (TextPrompt, ChoiceList: ink-text-input's and ink-select-input's, with keys that count as soon as they are drawn).
import {Box, Text} from 'ink';
import {fit} from '../../model/text.js';
import Spinner from 'ink-spinner';
import React, {useEffect, useState} from 'react';
import type {EnginePort} from '../../engine/port.js';
import type {Choice, Field, FormValues} from '../../jobs/action-form.js';
import {baseBindings, keyOf, type CommandId, type KeyBinding} from '../../keys/key-table.js';
import {runCommand, useCommands} from '../use-commands.js';
import {normalizeKey} from '../../keys/normalize.js';
import type {Theme} from '../theme.js';
import {ChoiceList} from './ChoiceList.js';
import {TextPrompt} from './TextPrompt.js';

/** Props of a field. */
export type FieldInputProps = {
  readonly field: Field;
  readonly engine: EnginePort;
  readonly value?: string;
  /** The answers given before this question. */
  readonly answers?: FormValues;
  readonly theme: Theme;
  readonly onSubmit: (value: string) => void;
  /** The key table, with the user's overrides. */
  readonly bindings?: readonly KeyBinding[];
  /** Columns the input may use: a choice longer than that is cut, never wrapped over the next one. */
  readonly width?: number;
  /** Lines a choice list may use, its "N of M shown" line included. */
  readonly height?: number;
};

function TextField({field, value, answers, onSubmit, theme, bindings = baseBindings}: FieldInputProps & {field: Extract<Field, {kind: 'text'}>}) {
  const [text, setText] = useState(value ?? field.initial ?? '');
  const [error, setError] = useState<string>();
  // A shell's line keys (clearAnswer, deleteWord): Ctrl-U clears the answer, Ctrl-W removes its last word. The
  // text input hands them over (`onKey`) instead of typing them, and starts afresh on the shortened text (`edits`
  // as its key), its cursor at the end rather than where it was.
  const [edits, setEdits] = useState(0);
  const edit = (next: string) => {
    setText(next);
    setEdits(count => count + 1);
    setError(undefined);
  };
  const onLineKey = (input: string, key: Parameters<typeof normalizeKey>[1]) => runCommand(bindings, ['wizard'], {
    clearAnswer: () => edit(''),
    deleteWord: () => edit(text.replace(/\S*\s*$/, '')),
  }, normalizeKey(input, key));
  return (
    <Box flexDirection="column">
      <Box>
        <Text color={theme.accent}>› </Text>
        <TextPrompt
          key={edits}
          value={text}
          placeholder={field.placeholder ?? (field.isOptional ? '(optional, Enter skips)' : '')}
          onKey={onLineKey}
          onChange={next => {
            setText(next);
            setError(undefined);
          }}
          onSubmit={submitted => {
            const trimmed = submitted.trim();
            if (!trimmed && !field.isOptional) {
              setError('An answer is needed here.');
              return;
            }

            const problem = trimmed ? field.validate?.(trimmed, answers ?? {}) : field.whenEmpty?.(answers ?? {});
            if (problem) {
              setError(problem);
              return;
            }

            onSubmit(trimmed);
          }}
        />
      </Box>
      {error ? <Text color={theme.error}>{error}</Text> : null}
    </Box>
  );
}

/** Choices shown at once; the list scrolls through the rest. */
const choiceRows = 12;

function ChoiceField({field, engine, value, onSubmit, theme, width, height}: FieldInputProps & {field: Extract<Field, {kind: 'choice'}>}) {
  const [choices, setChoices] = useState<readonly Choice[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let isCurrent = true;
    field.choices(engine).then(
      loaded => {
        if (!isCurrent) {
          return;
        }

        // A question with one possible answer (isTakenWhenAlone) is not asked: its answer is taken.
        if (field.isTakenWhenAlone && loaded.length === 1) {
          onSubmit(loaded[0]!.value);
          return;
        }

        setChoices(loaded);
      },
      (failure: unknown) => isCurrent && setError(failure instanceof Error ? failure.message : String(failure)),
    );
    return () => {
      isCurrent = false;
    };
  }, [field, engine]);
  if (error) {
    return <Text color={theme.error}>Could not load the choices: {error}</Text>;
  }

  if (!choices) {
    return <Text><Spinner type="dots" /> loading choices…</Text>;
  }

  if (choices.length === 0) {
    return <Text color={theme.warning}>There is nothing to choose from here. Esc goes back.</Text>;
  }

  const initial = Math.max(0, choices.findIndex(choice => choice.value === (value ?? field.initial)));
  // On a small terminal fewer rows, each one line: a row wrapped by the terminal would be drawn over the next.
  const fitsAll = choices.length <= Math.min(choiceRows, height ?? choiceRows);
  const rows = fitsAll ? choices.length : Math.max(1, Math.min(choiceRows, (height ?? choiceRows) - 1));
  const labelWidth = width === undefined ? undefined : Math.max(1, width - 2);
  const more = `  ${rows} of ${choices.length} shown: ↑/↓ scrolls to the others`;
  return (
    <Box flexDirection="column">
      <ChoiceList
        items={choices.map(choice => {
          const label = choice.hint ? `${choice.label}  — ${choice.hint}` : choice.label;
          return {key: choice.value, label: labelWidth === undefined ? label : fit(label, labelWidth), value: choice.value};
        })}
        initialIndex={initial}
        limit={rows}
        onSelect={item => onSubmit(item.value)}
      />
      {rows < choices.length && (height ?? choiceRows) >= 2 ? <Text color={theme.dim} dimColor={!theme.dim}>{width === undefined ? more : fit(more, width)}</Text> : null}
    </Box>
  );
}

function ToggleField({field, value, onSubmit, theme, bindings = baseBindings}: FieldInputProps & {field: Extract<Field, {kind: 'toggle'}>}) {
  const [isOn, setIsOn] = useState(value === undefined ? Boolean(field.initial) : value === 'yes');
  useCommands(bindings, ['wizard'], {
    switchAnswer: () => setIsOn(!isOn),
    answerYes: () => setIsOn(true),
    answerNo: () => setIsOn(false),
  }, {
    otherKey: key => {
      if (key === 'return') onSubmit(isOn ? 'yes' : 'no');
    },
  });
  const keys = (command: CommandId) => keyOf(bindings, 'wizard', command);
  const hint = `${keys('switchAnswer')} or ${keys('answerYes')}/${keys('answerNo')} switches, ${keys('answer')} goes on`;
  return (
    <Text>
      <Text color={theme.accent}>› </Text>
      <Text inverse={isOn}> yes </Text> <Text inverse={!isOn}> no </Text>
      <Text color={theme.dim} dimColor={!theme.dim}>   ({hint})</Text>
    </Text>
  );
}

/** Renders the right input for the field's kind. */
export function FieldInput(props: FieldInputProps) {
  const {field} = props;
  switch (field.kind) {
    case 'text': return <TextField {...props} field={field} />;
    case 'choice': return <ChoiceField {...props} field={field} />;
    case 'toggle': return <ToggleField {...props} field={field} />;
  }
}
