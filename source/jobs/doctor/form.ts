// The doctor as an ActionForm for the TUI: pick the target (and a port), run, and the done event
// carries the report; its `fixes` open with fixForm(fix) and the fix's values.
import type {ActionForm} from '../action-form.js';
import {otherContainerChoices} from '../container-choices.js';
import {InputError, type JobEvent, type PreparedJob} from '../job.js';
import {diagnose, type DoctorReport} from './diagnose.js';

/** Parses a port field: empty means none. */
export function parsePort(text: string | undefined): number | undefined {
  const value = (text ?? '').trim();
  if (!value) {
    return undefined;
  }

  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65_535) {
    throw new InputError(`${value} is not a TCP port.`, 'A port is a number from 1 to 65535, or leave it empty.');
  }

  return port;
}

/** Plans a diagnosis as a job; `done.data.report` is the DoctorReport. Changes nothing. */
export function prepareDoctor(from: string, target: string, port?: number): PreparedJob {
  return {
    preview: {
      title: `Can ${from} reach ${target}?`,
      steps: [
        `Read both containers, their network modes and shared networks (ICC, internal), ${from}'s names and /etc/hosts`,
        `Probe from inside ${from} with the tools its image has (resolve ${target}, ping${port ? `, TCP connect to port ${port}` : ''})`,
      ],
      warnings: [],
      isDestructive: false,
    },
    async * job(engine, signal): AsyncGenerator<JobEvent> {
      yield {type: 'step', title: `Checking whether ${from} can reach ${target}`};
      const report: DoctorReport = await diagnose(engine, from, target, {port, signal});
      for (const check of report.checks) {
        yield check.status === 'problem' ? {type: 'warning', message: check.message} : {type: 'log', line: `${check.status === 'ok' ? '✓' : '·'} ${check.message}`};
      }

      for (const fix of report.fixes) {
        yield {type: 'log', line: `Fix: ${fix.label} (${fix.command})`};
      }

      yield {type: 'done', summary: report.summary, data: {report: report as unknown as Record<string, unknown>}, ...(report.verdict === 'reachable' ? {} : {isBadNews: true})};
    },
  };
}

/** "Can it reach…?": diagnoses whether `from` reaches another container; fields `target` (a container) and `port` (optional). */
export function doctorForm(from: string, initial: {readonly target?: string; readonly port?: string} = {}): ActionForm {
  return {
    title: `Can ${from} reach…?`,
    fields: [
      {
        kind: 'choice',
        name: 'target',
        label: 'Container to reach',
        initial: initial.target,
        async choices(engine) {
          return otherContainerChoices(engine, from);
        },
      },
      {kind: 'text', name: 'port', label: 'TCP port to try (optional)', initial: initial.port ?? '', isOptional: true, validate(value) {
        try {
          parsePort(value);
          return undefined;
        } catch (error) {
          return error instanceof Error ? error.message : String(error);
        }
      }},
    ],
    async prepare(_engine, values) {
      const target = (values['target'] ?? '').trim();
      if (!target) {
        throw new InputError('No container chosen.', 'Pick the container to reach.');
      }

      return prepareDoctor(from, target, parsePort(values['port']));
    },
  };
}
