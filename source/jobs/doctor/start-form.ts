// "Start a container": the doctor's fix when the target is stopped.
import type {ActionForm} from '../action-form.js';
import {JobError, type JobEvent} from '../job.js';
import {requireContainer} from '../links/endpoints.js';

/** Starts a stopped container and checks that it is running. No fields. */
export function startContainerForm(container: string): ActionForm {
  return {
    title: `Start ${container}`,
    fields: [],
    async prepare(engine) {
      const details = await requireContainer(engine, container);
      return {
        preview: {title: `Start ${details.name}`, steps: [`Start ${details.name} (${details.image})`, 'Check that it is running'], warnings: [], isDestructive: false},
        async * job(jobEngine, signal): AsyncGenerator<JobEvent> {
          yield {type: 'step', title: `Starting ${details.name}`};
          await jobEngine.startContainer(details.id, {signal});
          const after = await jobEngine.inspectContainer(details.id, {signal});
          if (!after.isRunning) {
            throw new JobError(`${details.name} stopped right after starting (${after.state}).`, `See why: docker logs ${details.name}`);
          }

          yield {type: 'done', summary: `${details.name} is running.`, data: {container: details.name, id: details.id}};
        },
      };
    },
  };
}
