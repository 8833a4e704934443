// An action as data: the questions to ask, then a prepared job (preview + job). The TUI renders any
// ActionForm as a wizard; the CLI fills the same values from flags. One set of rules, two faces.
import type {EnginePort} from '../engine/port.js';
import type {PreparedJob} from './job.js';

/** One choice of a choice field. */
export type Choice = {readonly value: string; readonly label: string; readonly hint?: string};

/** A question of a wizard. */
export type Field =
  | {
    readonly kind: 'text'; readonly name: string; readonly label: string; readonly initial?: string; readonly placeholder?: string; readonly isOptional?: boolean;
    /** Why a (non-empty) answer cannot be taken, asked at the question itself; `answers`: those given before it. */
    readonly validate?: (value: string, answers: FormValues) => string | undefined;
    /** For an optional question: why an empty answer cannot be taken after `answers` (a choice that asked for this one). */
    readonly whenEmpty?: (answers: FormValues) => string | undefined;
  }
  | {readonly kind: 'choice'; readonly name: string; readonly label: string; readonly choices: (engine: EnginePort) => Promise<readonly Choice[]>; readonly initial?: string; readonly isTakenWhenAlone?: boolean}
  | {readonly kind: 'toggle'; readonly name: string; readonly label: string; readonly initial?: boolean};

/** The answers, by field name; toggles are 'yes' or 'no'. */
export type FormValues = Readonly<Record<string, string>>;

/** An action offered once a job has finished, such as the doctor's fixes. */
export type FollowUp = {readonly label: string; readonly form: ActionForm};

/** A wizard: fields asked in order, then `prepare` checks the input and plans the job. */
export type ActionForm = {
  readonly title: string;
  readonly fields: readonly Field[];
  /** Validates and plans; throws InputError (nothing changed) on bad input. */
  readonly prepare: (engine: EnginePort, values: FormValues) => Promise<PreparedJob>;
  /**
   * What the TUI reads again once the job has run, beyond the lists (re-listed after every job: the engine
   * sends no event for some of what a job changes): 'forwarding' re-checks the IPv4 forwarding banner.
   */
  readonly refreshes?: readonly 'forwarding'[];
  /** What to offer next, from the `done` event's data. */
  readonly followUps?: (data: Readonly<Record<string, unknown>> | undefined) => readonly FollowUp[];
};
