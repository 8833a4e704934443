// Runs one ActionForm in the TUI: asks its questions, shows the preview, asks to confirm, streams the
// job's progress, and reports the outcome. Esc or Ctrl-C cancels at every stage; a running job is
// aborted through its signal and cleans up after itself. Its keys are the key table's wizard, dialog
// (the preview) and outcome layers.
import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import React, {useEffect, useReducer, useRef} from 'react';
import type {EnginePort} from '../../engine/port.js';
import {EngineError} from '../../engine/errors.js';
import type {ActionForm} from '../../jobs/action-form.js';
import {JobError, trackJobRun, type Job, type JobEvent} from '../../jobs/job.js';
import {maskSecretText} from '../../model/secrets.js';
import {baseBindings, displayKey, keyOf, type CommandId, type KeyBinding, type KeyLayer} from '../../keys/key-table.js';
import {fit, wrapGroups} from '../../model/text.js';
import type {Theme} from '../theme.js';
import {FieldInput} from './FieldInput.js';
import {Hanging} from './Hanging.js';
import {flowReducer, initialFlow} from './flow-state.js';
import {JobProgress} from './JobProgress.js';
import {useCommands, type CommandHandlers} from '../use-commands.js';

/** Props of the flow. */
export type ActionFlowProps = {
  readonly form: ActionForm;
  readonly engine: EnginePort;
  readonly width: number;
  readonly height: number;
  readonly theme: Theme;
  /** Called when the user closes the flow, with the outcome's message and the follow-up chosen, if any. */
  readonly onClose: (outcome: {readonly outcome: 'done' | 'failed' | 'cancelled'; readonly message: string; readonly next?: ActionForm; readonly hasRun?: boolean}) => void;
  /** The key table, with the user's overrides. */
  readonly bindings?: readonly KeyBinding[];
};

/** The event with the words it shows masked (the data it carries for a follow-up stays as it is). */
function maskedEvent(event: JobEvent): JobEvent {
  switch (event.type) {
    case 'step': return {...event, title: maskSecretText(event.title)};
    case 'log': return {...event, line: maskSecretText(event.line)};
    case 'warning': return {...event, message: maskSecretText(event.message)};
    case 'done': return {...event, summary: maskSecretText(event.summary)};
    default: return event;
  }
}

function describe(error: unknown): {message: string; hint?: string} {
  if (error instanceof JobError || error instanceof EngineError) {
    return {message: maskSecretText(error.message), hint: error.hint ? maskSecretText(error.hint) : undefined};
  }

  return {message: maskSecretText(error instanceof Error ? error.message : String(error))};
}

/** What a cancelled job says: its own hint when it has one (what it undid, what is left for recover), else that it undid its work. */
function cancelled(error: unknown): {message: string; hint?: string} {
  const {hint} = describe(error);
  return hint ? {message: 'Cancelled.', hint} : {message: 'Cancelled; what was started was undone.'};
}

/** The flow's screen. */
export function ActionFlow({form, engine, width, height, theme, onClose, bindings = baseBindings}: ActionFlowProps) {
  const [state, dispatch] = useReducer(flowReducer, form.fields, initialFlow);
  const controller = useRef<AbortController | undefined>(undefined);

  // Check and plan once the questions are answered; nothing changes on the engine here.
  useEffect(() => {
    if (state.stage !== 'preparing') return;
    let isCurrent = true;
    form.prepare(engine, state.values).then(
      prepared => isCurrent && dispatch({type: 'prepared', prepared}),
      (error: unknown) => isCurrent && dispatch({type: 'prepareFailed', ...describe(error)}),
    );
    return () => {
      isCurrent = false;
    };
  }, [state.stage]);

  const run = async (job: Job) => {
    const abort = new AbortController();
    controller.current = abort;
    dispatch({type: 'run'});
    let finish!: () => void;
    // A signal to hawser (SIGTERM, the terminal closed) cancels this run and waits for its undoing.
    void trackJobRun(abort, new Promise<void>(resolve => {
      finish = resolve;
    }));
    try {
      let summary = 'Done.';
      let data: Readonly<Record<string, unknown>> | undefined;
      let isBadNews = false;
      for await (const raw of job(engine, abort.signal)) {
        // What a job says on screen never shows a secret (a link's injected env, a URL's password).
        const event = maskedEvent(raw);
        dispatch({type: 'event', event});
        if (event.type === 'done') {
          summary = event.summary;
          data = event.data;
          isBadNews = event.isBadNews === true;
        }
      }

      dispatch(abort.signal.aborted ? {type: 'finished', outcome: 'cancelled', message: 'Cancelled.'} : {type: 'finished', outcome: 'done', message: summary, data, isBadNews});
    } catch (error) {
      dispatch(abort.signal.aborted
        ? {type: 'finished', outcome: 'cancelled', ...cancelled(error)}
        : {type: 'finished', outcome: 'failed', ...describe(error)});
    } finally {
      finish();
    }
  };

  useEffect(() => () => controller.current?.abort(), []);

  const layer: KeyLayer = state.stage === 'finished' ? 'outcome' : state.stage === 'preview' ? 'dialog' : 'wizard';
  const cancel = () => onClose({outcome: 'cancelled', message: 'Cancelled: nothing was changed.'});
  const handlers: CommandHandlers = state.stage === 'running'
    ? {cancel: () => {
      if (!state.isCancelling) {
        dispatch({type: 'cancelling'});
        controller.current?.abort();
      }
    }}
    : state.stage === 'finished'
      ? {
        runFollowUp: (key, binding) => {
          const next = followUps[binding.keys.indexOf(key)];
          if (next) onClose({outcome: state.outcome, message: state.message, next: next.form, hasRun: true});
        },
        back: () => onClose({outcome: state.outcome, message: state.message, hasRun: true}),
      }
      : state.stage === 'preview'
        ? {confirm: () => void run(state.prepared.job), cancel}
        : {cancel, previousQuestion: () => state.stage === 'form' && dispatch({type: 'fieldBack'})};
  // In a text question a printable key is typed, whatever the config binds to it (cancel on n would
  // make n impossible to type): only keys that type nothing (Esc, Ctrl+…) are commands there.
  const isTextQuestion = state.stage === 'form' && form.fields[state.fieldIndex]?.kind === 'text';
  useCommands(bindings, [layer], handlers, {typesText: isTextQuestion});

  const followUps = state.stage === 'finished' && state.outcome === 'done' ? (form.followUps?.(state.data) ?? []).slice(0, 9) : [];
  const title = <Text bold inverse={!theme.titleBackground} backgroundColor={theme.titleBackground} color={theme.titleForeground}>{fit(` ${form.title}`, width)}</Text>;
  let body: React.ReactNode;
  // The body's width, inside its padding; on a short terminal no blank lines around it.
  const inner = width - 2;
  const bodyPadding = height < 12 ? 0 : 1;
  // The keys' hint wraps between its groups (cut at the screen's edge, a narrow terminal would hide how
  // to cancel), and leaves the title and at least two lines of the body their room.
  const hintLinesFor = (text: string) => wrapGroups(text, width - 1).slice(0, Math.max(1, height - 3));
  const keys = (command: CommandId, count = 1) => keyOf(bindings, layer, command, count);
  let hint = `${keys('cancel')} cancels`;
  switch (state.stage) {
    case 'form': {
      const field = form.fields[state.fieldIndex]!;
      const answered = form.fields.slice(0, state.fieldIndex);
      hint = `${keys('answer')} next  ${keys('previousQuestion')} previous question  ${keys('cancel')} cancels (nothing changes)`;
      // Lines left for a choice list: the title, the body's padding, the hint, earlier answers, an error and the question go first.
      const spare = height - 1 - 2 * bodyPadding - hintLinesFor(hint).length - answered.length - (state.error ? 1 : 0) - 1;
      body = (
        // Its own height, clipped by the body's box below it on a small terminal: shrunk, its lines would be drawn over each other.
        <Box flexDirection="column" flexShrink={0}>
          {answered.map(done => <Hanging key={done.name} marker="  " text={`${done.label}: ${state.values[done.name] || '—'}`} width={inner} color={theme.dim} dimColor={!theme.dim} />)}
          {state.error ? <Text color={theme.error} wrap="wrap">{state.error}</Text> : null}
          <Text bold>{field.label} <Text color={theme.dim} dimColor={!theme.dim}>({state.fieldIndex + 1} of {form.fields.length})</Text></Text>
          <FieldInput key={`${field.name}-${state.fieldIndex}-${state.error ?? ''}`} field={field} engine={engine} value={state.values[field.name]} answers={state.values} theme={theme} bindings={bindings} width={inner} height={Math.max(1, spare)} onSubmit={value => dispatch({type: 'answer', field, value, fieldCount: form.fields.length})} />
        </Box>
      );
      break;
    }

    case 'preparing': {
      body = <Text><Spinner type="dots" /> Checking…</Text>;
      break;
    }

    case 'preview': {
      const {preview} = state.prepared;
      body = (
        <Box flexDirection="column">
          <Text bold>{preview.title}</Text>
          <Text> </Text>
          {preview.steps.map((step, i) => <Hanging key={`s${i}`} marker="  • " text={step} width={inner} />)}
          {preview.warnings.length > 0 ? <Text> </Text> : null}
          {preview.warnings.map((warning, i) => <Hanging key={`w${i}`} marker="  ! " text={warning} width={inner} color={theme.warning} />)}
        </Box>
      );
      hint = `${keys('confirm', 2)}: go ahead${preview.isDestructive ? ' (this destroys or replaces something)' : ''}   ${keys('cancel', 2)}: cancel`;
      break;
    }

    case 'running': {
      body = <JobProgress log={state.log} isRunning width={width - 2} maxLines={Math.max(3, height - 8 - state.log.steps.length)} theme={theme} />;
      hint = state.isCancelling ? 'Cancelling: undoing what was started…' : `${keys('cancel')} cancels (what was started is undone)`;
      break;
    }

    case 'finished': {
      const isGood = state.outcome === 'done' && !state.isBadNews;
      const color = isGood ? theme.good : state.outcome === 'failed' ? theme.error : theme.warning;
      // A job that worked but found something wrong (A cannot reach B) is marked ✗, as the CLI marks it.
      const mark = isGood ? '✓' : state.outcome === 'cancelled' ? '–' : '✕';
      body = (
        <Box flexDirection="column">
          <JobProgress log={state.log} isRunning={false} width={width - 2} maxLines={Math.max(3, height - 10 - state.log.steps.length)} theme={theme} outcome={state.outcome} />
          <Text> </Text>
          <Hanging marker={`${mark} `} text={state.message} width={inner} color={color} isBold />
          {state.hint ? <Hanging marker="  " text={state.hint} width={inner} color={theme.warning} /> : null}
          {followUps.length > 0 ? <Text> </Text> : null}
          {followUps.map((followUp, i) => <Hanging key={`f${i}`} marker={`  ${i + 1}  `} text={followUp.label} width={inner} color={theme.accent} />)}
        </Box>
      );
      const numbers = (bindings.find(binding => binding.layer === 'outcome' && binding.command === 'runFollowUp')?.keys ?? []).slice(0, followUps.length).map(displayKey);
      const range = numbers.length > 1 ? `${numbers[0]}-${numbers.at(-1)}` : numbers[0];
      hint = `${range ? `${range} runs a fix   ` : ''}${keys('back', 2)} closes`;
      break;
    }
  }

  return (
    <Box flexDirection="column" width={width} height={height}>
      {title}
      <Box flexDirection="column" paddingX={1} paddingY={bodyPadding} flexGrow={1} overflowY="hidden">{body}</Box>
      <Box flexShrink={0}>
        <Text color={theme.dim} dimColor={!theme.dim} wrap="wrap">{hintLinesFor(hint).map(line => ` ${line}`).join('\n')}</Text>
      </Box>
    </Box>
  );
}
