// Runs a job that is expected to fail: what it reported before it failed, and the error.
import type {EnginePort} from '../../source/engine/port.js';
import type {Job, JobEvent} from '../../source/jobs/job.js';

/** The events a job yielded and the error it ended with; throws when the job did not fail. */
export async function runToFailure(job: Job, engine: EnginePort, signal: AbortSignal = new AbortController().signal): Promise<{events: JobEvent[]; error: unknown}> {
  const events: JobEvent[] = [];
  try {
    for await (const event of job(engine, signal)) {
      events.push(event);
    }
  } catch (error) {
    return {events, error};
  }

  throw new Error('the job was expected to fail, and it ended well');
}
