// The volume archive actions as wizards for the TUI: back up a volume, back up every volume of a
// container, restore an archive, verify an archive. Each asks only what it must.
import {existsSync, readdirSync, statSync} from 'node:fs';
import path from 'node:path';
import type {EnginePort} from '../../engine/port.js';
import type {ActionForm, Choice, Field, FormValues} from '../action-form.js';
import {InputError} from '../job.js';
import {prepareBackup} from './backup-job.js';
import {backupsDir} from './backup-paths.js';
import {consumersOf, type ConsumerPolicy} from './consumers.js';
import {prepareRestore} from './restore-job.js';
import {volumeNameProblem} from './restore-plan.js';
import {prepareVerify} from './verify-job.js';
import {homeFolder} from '../../model/home.js';

const policyChoices = async (): Promise<readonly Choice[]> => [
  {value: 'stop', label: 'Stop them during the backup', hint: 'consistent; started again afterwards, also on failure'},
  {value: 'pause', label: 'Pause them during the backup', hint: 'consistent; unpaused afterwards'},
  {value: 'leave', label: 'Leave them running', hint: 'a write during the backup makes it fail'},
];

/**
 * What to do with the running containers using `volume`, naming them; one answer (not asked) when none runs:
 * a stopped one cannot write during the backup, and the backup leaves it as it is.
 */
async function volumePolicyChoices(engine: EnginePort, volume: string): Promise<readonly Choice[]> {
  const users = (await consumersOf(engine, volume)).filter(user => user.state === 'running');
  if (users.length === 0) {
    return [{value: 'leave', label: 'No running container uses it'}];
  }

  const names = users.map(user => user.name).join(', ');
  return (await policyChoices()).map(choice => ({...choice, label: choice.label.replace('them', names)}));
}

function policyOf(values: FormValues): ConsumerPolicy {
  const value = values['consumers'] ?? 'stop';
  return value === 'pause' || value === 'leave' ? value : 'stop';
}

/** Backs up one volume; `volume` is preset by the TUI from the selected row. */
export function backupVolumeForm(volume: string): ActionForm {
  return {
    title: `Back up volume ${volume}`,
    fields: [
      {kind: 'text', name: 'output', label: 'Archive file or folder', initial: backupsDir() + path.sep, placeholder: 'default: the backups folder'},
      {kind: 'toggle', name: 'gzip', label: 'Compress (gzip)', initial: false},
      {kind: 'choice', name: 'consumers', label: 'Containers using the volume', choices: async engine => volumePolicyChoices(engine, volume), initial: 'stop', isTakenWhenAlone: true},
    ],
    prepare: async (engine, values) => prepareBackup(engine, {volumes: [volume], output: values['output'] || undefined, isGzip: values['gzip'] === 'yes', policy: policyOf(values)}),
  };
}

/** Backs up every named volume a container mounts (the classic recipe's --volumes-from), one archive each. */
export function backupContainerVolumesForm(container: string): ActionForm {
  return {
    title: `Back up the volumes of ${container}`,
    fields: [
      {kind: 'text', name: 'output', label: 'Folder for the archives', initial: backupsDir() + path.sep},
      {kind: 'toggle', name: 'gzip', label: 'Compress (gzip)', initial: false},
      {kind: 'choice', name: 'consumers', label: 'Containers using the volumes', choices: policyChoices, initial: 'stop'},
    ],
    async prepare(engine: EnginePort, values) {
      const details = await engine.inspectContainer(container);
      const volumes = details.mounts.filter(m => m.type === 'volume' && m.name).map(m => m.name!);
      if (volumes.length === 0) {
        throw new InputError(`${details.name} mounts no volumes.`, 'Bind mounts live on the host already; back them up from there.');
      }

      const folder = values['output'] || backupsDir();
      return prepareBackup(engine, {volumes, output: folder.endsWith(path.sep) ? folder : folder + path.sep, isGzip: values['gzip'] === 'yes', policy: policyOf(values)});
    },
  };
}

/** Archives in the backups folder, newest first. */
export function listArchives(folder = backupsDir()): {file: string; size: number; modified: Date}[] {
  try {
    return readdirSync(folder)
      .filter(name => /\.(tar|tar\.gz|tgz)$/.test(name) && !name.startsWith('.'))
      .map(name => {
        const file = path.join(folder, name);
        const stat = statSync(file);
        return {file, size: stat.size, modified: stat.mtime};
      })
      .sort((a, b) => b.modified.getTime() - a.modified.getTime());
  } catch {
    return [];
  }
}

/** The choice that asks for a path instead: archives can be anywhere (a backup can be written to any folder). */
const anotherFile = 'another file (its path next)';

const archiveChoices = async (): Promise<readonly Choice[]> => [
  ...listArchives().map(a => ({value: a.file, label: path.basename(a.file), hint: a.modified.toLocaleString()})),
  {value: anotherFile, label: 'Another file…', hint: 'type its path next'},
];

/** The archive questions: one from the backups folder, or the path of another one. */
function archiveFields(): Field[] {
  return [
    {kind: 'choice', name: 'file', label: `Archive (from ${backupsDir()})`, choices: archiveChoices},
    {
      kind: 'text', name: 'path', label: 'Path of the archive (for "Another file…"; empty keeps the one chosen)', isOptional: true, placeholder: '/path/to/volume.tar', validate: typedArchiveProblem,
      whenEmpty: answers => (answers['file'] === anotherFile || !answers['file'] ? 'Type the path of the archive: "Another file…" was chosen.' : undefined),
    },
  ];
}

/** The typed path resolved (~ is the home folder). */
function typedPath(typed: string): string {
  return path.resolve(typed.replace(/^~(?=$|\/)/, homeFolder()));
}

/** Why a typed archive path cannot be used, asked at once (not after the last question); undefined when it can. */
function typedArchiveProblem(typed: string): string | undefined {
  if (!typed.trim()) {
    return undefined;
  }

  const file = typedPath(typed.trim());
  if (!existsSync(file)) {
    return `there is no file ${file}`;
  }

  return statSync(file).isFile() ? undefined : `${file} is not a file`;
}

/** The archive the answers name; throws InputError when there is none. */
function chosenArchive(values: Readonly<Record<string, string>>): string {
  const typed = values['path']?.trim();
  if (typed) {
    return typedPath(typed);
  }

  const file = values['file'];
  if (!file || file === anotherFile) {
    throw new InputError('No archive chosen.', `Choose one from ${backupsDir()}, or choose "Another file…" and type its path.`);
  }

  return file;
}

/**
 * Restores an archive. With `volume` (opened from a volume row) it restores into that volume (empty,
 * or replaced after confirmation); without, it asks for the archive and makes a new volume.
 */
export function restoreArchiveForm(volume?: string): ActionForm {
  return {
    title: volume ? `Restore an archive into volume ${volume}` : 'Restore an archive',
    fields: [
      ...archiveFields(),
      ...(volume
        ? [{kind: 'toggle', name: 'replace', label: `Replace what volume ${volume} holds now`, initial: false} as const]
        : [{
          kind: 'text', name: 'volume', label: 'New volume name', placeholder: 'default: the archive\'s volume name, or a new name beside it when that is taken', isOptional: true,
          validate: (name: string) => {
            const problem = volumeNameProblem(name);
            return problem && `${problem.message} ${problem.hint}`;
          },
        } as const]),
      {kind: 'text', name: 'strip', label: 'Leading path components to strip', placeholder: 'auto', isOptional: true, validate: value => (value === '' || value === 'auto' || /^\d+$/.test(value) ? undefined : 'a whole number, or empty for auto')},
    ],
    async prepare(engine, values) {
      const file = chosenArchive(values);
      const strip = values['strip'] && values['strip'] !== 'auto' ? Number(values['strip']) : undefined;
      if (volume) {
        return prepareRestore(engine, {file, volume, isReplace: values['replace'] === 'yes', strip});
      }

      return prepareRestore(engine, {file, volume: values['volume'] || undefined, isNew: true, strip});
    },
  };
}

/** Verifies an archive (reads the file only). */
export const verifyArchiveForm: ActionForm = {
  title: 'Verify an archive',
  fields: archiveFields(),
  async prepare(_engine, values) {
    return prepareVerify(chosenArchive(values));
  },
};
