// Creating a volume: the name checked as the engine checks it, an existing one refused, driver options
// (a tmpfs or an NFS mount through the local driver) passed on; the volume read back and compared.
import {EngineError} from '../../engine/errors.js';
import type {EnginePort} from '../../engine/port.js';
import {InputError, JobError, type PreparedJob} from '../job.js';

/** What the user asked for. */
export type CreateVolumeInput = {
  readonly name: string;
  readonly driver?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly options?: Readonly<Record<string, string>>;
};

/** Why a volume name cannot be used, or undefined: the engine's own rule (a letter or digit, then letters, digits, _ . -). */
export function volumeNameProblem(name: string): string | undefined {
  if (!name) {
    return 'A volume needs a name (an anonymous one is made by `docker run -v /path`).';
  }

  return /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(name) ? undefined : `"${name}" is not a volume name: two or more characters, starting with a letter or digit, then letters, digits, _ . or -.`;
}

/**
 * Driver options as `docker volume create -o` takes them, one a word: `type=nfs o=addr=10.0.0.5,rw
 * device=:/export` (a value may hold '=' and ',', as a mount's `o` does).
 */
export function parseDriverOptions(text: string | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const word of (text ?? '').split(/\s+/).filter(Boolean)) {
    const at = word.indexOf('=');
    if (at <= 0) {
      throw new InputError(`The driver option "${word}" is not in the form key=value.`, 'Write options as key=value, separated by spaces: type=tmpfs device=tmpfs o=size=100m.');
    }

    result[word.slice(0, at)] = word.slice(at + 1);
  }

  return result;
}

/** What differs between the volume read back and what was asked; empty when all holds. */
export function volumeDifferences(input: CreateVolumeInput, found: {readonly driver: string; readonly labels: Readonly<Record<string, string>>; readonly options?: Readonly<Record<string, string>>}): string[] {
  const differences: string[] = [];
  if (found.driver !== (input.driver || 'local')) {
    differences.push(`driver is ${found.driver}, not ${input.driver || 'local'}`);
  }

  for (const [key, value] of Object.entries(input.labels ?? {})) {
    if (found.labels[key] !== value) {
      differences.push(`label ${key} is ${found.labels[key] === undefined ? 'missing' : `"${found.labels[key]}"`}, not "${value}"`);
    }
  }

  for (const [key, value] of Object.entries(input.options ?? {})) {
    if (found.options?.[key] !== value) {
      differences.push(`option ${key} is ${found.options?.[key] === undefined ? 'missing' : `"${found.options[key]}"`}, not "${value}"`);
    }
  }

  return differences;
}

/** Validates and plans a volume create; throws InputError (nothing created) on bad input. */
export async function prepareCreateVolume(engine: EnginePort, input: CreateVolumeInput): Promise<PreparedJob> {
  const problem = volumeNameProblem(input.name);
  if (problem) {
    throw new InputError(problem, 'Choose another name.');
  }

  if ((await engine.listVolumes()).some(v => v.name === input.name)) {
    throw new InputError(`A volume named ${input.name} exists already.`, 'Choose another name, or use the existing volume.');
  }

  const details = [
    `driver ${input.driver || 'local'}`,
    ...Object.entries(input.options ?? {}).map(([k, v]) => `option ${k}=${v}`),
    ...Object.entries(input.labels ?? {}).map(([k, v]) => `label ${k}=${v}`),
  ];
  const isMount = Object.keys(input.options ?? {}).length > 0 && (input.driver || 'local') === 'local';
  return {
    preview: {
      title: `Create volume ${input.name}`,
      steps: [`Create ${input.name}: ${details.join(', ')}`],
      warnings: isMount ? ['The local driver mounts what these options name only when a container uses the volume: a wrong device or address shows then, not now.'] : [],
      isDestructive: false,
    },
    async * job(engine, signal) {
      try {
        await engine.createVolume({name: input.name, driver: input.driver || undefined, labels: input.labels, options: input.options}, {signal});
      } catch (error) {
        throw error instanceof EngineError ? new JobError(`The engine refused volume ${input.name}: ${error.message}`, error.hint || 'Check the driver and its options.') : error;
      }

      yield {type: 'step', title: `Reading ${input.name} back`};
      const found = await engine.inspectVolume(input.name, {signal}).catch(() => undefined);
      if (!found) {
        throw new JobError(`The engine accepted volume ${input.name}, but does not list it.`, 'Look at it with `docker volume ls`; the engine may have failed after answering.');
      }

      const differences = volumeDifferences(input, found);
      if (differences.length > 0) {
        throw new JobError(`Volume ${input.name} was created, but not as asked: ${differences.join('; ')}.`, `Remove it (hawser volume rm ${input.name}) and create it again, or keep it as it is.`);
      }

      yield {type: 'done', summary: `Created volume ${input.name} (${found.driver}).`, data: {name: found.name, driver: found.driver, labels: found.labels, options: found.options ?? {}}};
    },
  };
}
