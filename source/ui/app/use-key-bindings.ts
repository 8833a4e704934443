// The key table with the user's overrides from the config file, and every problem with them (shown once
// at start: one in the bottom line, several at the top of the help screen).
import {useEffect, useMemo, type Dispatch} from 'react';
import {applyKeyOverrides, baseBindings, keyClashes, withoutDangerous, type KeyBinding} from '../../keys/key-table.js';
import {actionBindings} from '../../resources/panels.js';
import type {UiAction} from '../../state/ui-state.js';

/** The bindings in force, and the config's problems (the config file's own and its keys'). */
export function useKeyBindings(keyOverrides: Readonly<Record<string, readonly string[]>>, configProblems: readonly string[], isReadOnly: boolean, dispatch: Dispatch<UiAction>): {bindings: readonly KeyBinding[]; problems: readonly string[]} {
  const result = useMemo(() => {
    const {bindings: all, unknown, fixed} = applyKeyOverrides([...baseBindings, ...actionBindings()], keyOverrides);
    const problems = [
      ...configProblems,
      ...unknown.map(command => `Unknown command "${command}" in the config's keys; the help screen (?) names each command in brackets.`),
      ...fixed.map(command => `"${command}" in the config's keys cannot be rebound: the question's input reads that key itself (marked (fixed) in help); its keys stay as they are.`),
      ...keyClashes(all, keyOverrides),
    ];
    return {bindings: isReadOnly ? withoutDangerous(all) : all, problems};
  }, [isReadOnly, keyOverrides, configProblems]);
  useEffect(() => {
    if (result.problems.length > 0) {
      dispatch({type: 'flash', text: result.problems.length === 1 ? `Config: ${result.problems[0]}` : `Config: ${result.problems.length} problems; the help screen (?) lists them.`, tone: 'error'});
    }
  }, []);
  return result;
}
