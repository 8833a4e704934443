// Several rows, one action: asks the questions once, prepares the action for each row (all checked
// before anything changes), shows one preview, and runs the jobs one after another.
import type {ActionForm} from './action-form.js';
import {JobError, type Job, type JobEvent, type PreparedJob} from './job.js';

/** A preview's title as a step of the whole: a one-item preview may ask ("Restart web?"), a step does not. */
function asStep(title: string): string {
  return title.replace(/\?$/, '');
}

/** Combines the same action on several items into one. The first form's questions are asked once. */
export function bulkForm(forms: readonly ActionForm[], noun: string): ActionForm {
  const [first] = forms;
  if (!first) {
    throw new Error('bulkForm needs at least one form');
  }

  if (forms.length === 1) {
    return first;
  }

  return {
    title: `${first.title.replace(/ .*$/, '')} ${forms.length} ${noun}`,
    fields: first.fields,
    async prepare(engine, values) {
      // Every item is checked first: one bad item refuses the whole action, with nothing changed.
      const prepared: PreparedJob[] = [];
      for (const form of forms) {
        prepared.push(await form.prepare(engine, values));
      }

      const job: Job = async function * (port, signal): AsyncGenerator<JobEvent> {
        const failures: string[] = [];
        let done = 0;
        for (const [i, each] of prepared.entries()) {
          yield {type: 'step', title: `${i + 1} of ${prepared.length}: ${asStep(each.preview.title)}`};
          try {
            for await (const event of each.job(port, signal)) {
              if (event.type === 'done') {
                yield {type: 'log', line: event.summary};
              } else if (event.type === 'step') {
                yield {type: 'log', line: event.title};
              } else {
                yield event;
              }
            }

            done++;
          } catch (error) {
            if (signal.aborted) {
              throw error;
            }

            failures.push(`${asStep(each.preview.title)}: ${error instanceof Error ? error.message : String(error)}`);
            yield {type: 'warning', message: failures.at(-1)!};
          }
        }

        if (failures.length > 0) {
          throw new JobError(`${done} of ${prepared.length} done; ${failures.length} failed.`, 'The warnings above say which and why; the others are done.');
        }

        yield {type: 'done', summary: `All ${prepared.length} done.`};
      };

      return {
        preview: {
          title: `${prepared.length} ${noun}:`,
          steps: prepared.flatMap(each => [asStep(each.preview.title), ...each.preview.steps.map(step => `  ${step}`)]),
          warnings: [...new Set(prepared.flatMap(each => each.preview.warnings))],
          isDestructive: prepared.some(each => each.preview.isDestructive),
        },
        job,
      };
    },
  };
}
