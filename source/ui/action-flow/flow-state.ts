// The stages of one action in the TUI: questions → checking → preview → running → outcome.
import type {Field, FormValues} from '../../jobs/action-form.js';
import type {JobEvent, PreparedJob} from '../../jobs/job.js';
import {emptyJobLog, foldJobEvent, type JobLog} from './job-log.js';

/** Where the flow is. */
export type FlowState =
  | {readonly stage: 'form'; readonly fieldIndex: number; readonly values: FormValues; readonly error?: string}
  | {readonly stage: 'preparing'; readonly values: FormValues}
  | {readonly stage: 'preview'; readonly prepared: PreparedJob; readonly values: FormValues}
  | {readonly stage: 'running'; readonly log: JobLog; readonly isCancelling: boolean}
  | {readonly stage: 'finished'; readonly outcome: 'done' | 'failed' | 'cancelled'; readonly message: string; readonly hint?: string; readonly log: JobLog; readonly data?: Readonly<Record<string, unknown>>; readonly isBadNews?: boolean};

/** What moves the flow. */
export type FlowAction =
  | {type: 'answer'; field: Field; value: string; fieldCount: number}
  | {type: 'fieldBack'}
  | {type: 'prepared'; prepared: PreparedJob}
  | {type: 'prepareFailed'; message: string; hint?: string}
  | {type: 'run'}
  | {type: 'event'; event: JobEvent}
  | {type: 'cancelling'}
  | {type: 'finished'; outcome: 'done' | 'failed' | 'cancelled'; message: string; hint?: string; data?: Readonly<Record<string, unknown>>; isBadNews?: boolean};

/** The first stage for a form with these fields. */
export function initialFlow(fields: readonly Field[]): FlowState {
  return fields.length > 0 ? {stage: 'form', fieldIndex: 0, values: {}} : {stage: 'preparing', values: {}};
}

/** The reducer. */
export function flowReducer(state: FlowState, action: FlowAction): FlowState {
  switch (action.type) {
    case 'answer': {
      if (state.stage !== 'form') return state;
      const values = {...state.values, [action.field.name]: action.value};
      const next = state.fieldIndex + 1;
      return next >= action.fieldCount ? {stage: 'preparing', values} : {stage: 'form', fieldIndex: next, values};
    }

    case 'fieldBack': {
      if (state.stage === 'form' && state.fieldIndex > 0) return {...state, fieldIndex: state.fieldIndex - 1, error: undefined};
      return state;
    }

    case 'prepared': return state.stage === 'preparing' ? {stage: 'preview', prepared: action.prepared, values: state.values} : state;
    case 'prepareFailed': {
      // Bad input goes back to the questions with the reason, so the user can correct it.
      if (state.stage === 'preparing' && Object.keys(state.values).length > 0) {
        return {stage: 'form', fieldIndex: 0, values: state.values, error: `${action.message}${action.hint ? ` ${action.hint}` : ''}`};
      }

      return {stage: 'finished', outcome: 'failed', message: action.message, hint: action.hint, log: emptyJobLog};
    }

    case 'run': return state.stage === 'preview' ? {stage: 'running', log: emptyJobLog, isCancelling: false} : state;
    case 'event': return state.stage === 'running' ? {...state, log: foldJobEvent(state.log, action.event)} : state;
    case 'cancelling': return state.stage === 'running' ? {...state, isCancelling: true} : state;
    case 'finished': return {stage: 'finished', outcome: action.outcome, message: action.message, hint: action.hint, data: action.data, ...(action.isBadNews ? {isBadNews: true} : {}), log: state.stage === 'running' ? state.log : emptyJobLog};
  }
}
