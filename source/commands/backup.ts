// `hawser backup VOLUME...`: archive volumes to files on this machine, with a manifest and checksums.
import {Option, type Command} from 'commander';
import type {EnginePort} from '../engine/port.js';
import {InputError} from '../jobs/job.js';
import type {RegisterCommand} from './context.js';
import {confirmAndRun} from './job-output.js';
import {checkVolumeName} from './names.js';
import {argumentOf, optionOf} from './value-kinds.js';

/** The flags of `hawser backup`. */
export type BackupFlags = {readonly output?: string; readonly gzip?: boolean; readonly stop?: boolean; readonly pause?: boolean; readonly yes?: boolean; readonly json?: boolean; readonly viaApi?: boolean};

/** Runs `hawser backup`; throws for failures. */
export async function runBackup(engine: EnginePort, volumes: readonly string[], flags: BackupFlags): Promise<void> {
  if (flags.stop && flags.pause) {
    throw new InputError('--stop and --pause exclude each other.', 'Choose one: --stop (clean) or --pause (faster to resume).');
  }

  for (const volume of volumes) {
    checkVolumeName(volume);
  }

  // Loaded when a backup runs, not for every command.
  const {prepareBackup} = await import('../jobs/volume-archive/backup-job.js');
  const prepared = await prepareBackup(engine, {volumes, output: flags.output, isGzip: Boolean(flags.gzip), policy: flags.stop ? 'stop' : flags.pause ? 'pause' : 'leave', via: flags.viaApi ? 'api' : 'auto'});
  await confirmAndRun(prepared, engine, {json: flags.json, yes: flags.yes});
}

/** Registers `hawser backup`. */
export const registerBackup: RegisterCommand = (program: Command, context) => {
  program.command('backup')
    .description('back up volumes to archive files on this machine (default folder: $HAWSER_BACKUP_DIR, else ~/.local/share/hawser/backups)')
    .addArgument(argumentOf('volume', '<volumes...>', 'volumes to back up, one archive each'))
    .addOption(optionOf('path', '-o, --output <file|dir>', 'archive file (one volume), or folder for the archives'))
    .option('--gzip', 'compress the archive (.tar.gz)')
    .addOption(new Option('--stop', 'stop the running containers that use the volume during the backup, start them afterwards'))
    .addOption(new Option('--pause', 'pause the running containers that use the volume during the backup, unpause them afterwards'))
    .option('-y, --yes', 'do not ask; replace an existing archive file')
    .option('--json', 'print JSON lines')
    .option('--via-api', 'always go through the engine\'s archive API, even when the volume\'s directory is on this machine (also: HAWSER_ARCHIVE_VIA=api)')
    .action(async (volumes: string[], flags: BackupFlags) => {
      // A backup makes (and removes) a helper container, and may stop or pause the volume's users:
      // read-only means nothing on the engine changes, as the TUI hides backup under --read-only.
      if (context.isReadOnly()) {
        throw new InputError('--read-only is set: a backup creates a helper container on the engine (and may stop or pause containers), which read-only never does.', 'Run it without --read-only.');
      }

      await runBackup(context.connect(), volumes, flags);
    });
};
