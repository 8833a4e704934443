// `hawser link RECEIVER SOURCE[:ALIAS]` (modern by default, --legacy for --link) and `hawser unlink`.
import type {Command} from 'commander';
import type {EnginePort} from '../engine/port.js';
import {InputError} from '../jobs/job.js';
import type {RegisterCommand} from './context.js';
import {exitCodes} from './errors.js';
import {confirmAndRun} from './job-output.js';
import {checkContainerName, checkNetworkName, checkTargetName} from './names.js';
import {argumentOf, optionOf} from './value-kinds.js';

/** The flags of `hawser link`. */
export type LinkFlags = {readonly legacy?: boolean; readonly network?: string; readonly yes?: boolean; readonly json?: boolean};

/** The flags of `hawser unlink`. */
export type UnlinkFlags = {readonly yes?: boolean; readonly json?: boolean};

/** Runs `hawser link`; returns the exit code, throws for failures. */
export async function runLink(engine: EnginePort, receiver: string, sourceAlias: string, flags: LinkFlags, isReadOnly = false): Promise<number> {
  if (isReadOnly) {
    throw new InputError('--read-only is set: hawser changes nothing.', 'Run without --read-only to link.');
  }

  checkContainerName(receiver, 'RECEIVER');
  const {parseSourceAlias, prepareLink} = await import('../jobs/links/forms.js');
  const {source, alias} = parseSourceAlias(sourceAlias);
  checkContainerName(source, 'SOURCE');
  if (flags.network !== undefined) {
    checkNetworkName(flags.network, '--network');
  }

  const prepared = await prepareLink(engine, {receiver, source, alias, network: flags.network, isLegacy: flags.legacy});
  const done = await confirmAndRun(prepared, engine, {json: flags.json, yes: flags.yes});
  return done ? exitCodes.ok : exitCodes.failure;
}

/** Runs `hawser unlink`; returns the exit code, throws for failures. */
export async function runUnlink(engine: EnginePort, receiver: string, target: string, flags: UnlinkFlags, isReadOnly = false): Promise<number> {
  if (isReadOnly) {
    throw new InputError('--read-only is set: hawser changes nothing.', 'Run without --read-only to unlink.');
  }

  checkContainerName(receiver, 'RECEIVER');
  // Empty: the unlink itself says which links there are to remove.
  if (target.trim()) {
    checkTargetName(target, 'SOURCE|ALIAS', 'the linked container\'s name or the alias', 'hawser unlink web db');
  }

  const {prepareUnlink} = await import('../jobs/links/unlink.js');
  const prepared = await prepareUnlink(engine, receiver, target);
  const done = await confirmAndRun(prepared, engine, {json: flags.json, yes: flags.yes});
  return done ? exitCodes.ok : exitCodes.failure;
}

/** Registers `hawser link` and `hawser unlink`. */
export const registerLink: RegisterCommand = (program: Command, context) => {
  program
    .command('link')
    .description('Let RECEIVER reach SOURCE by ALIAS: a user-defined network with the alias on SOURCE (live), or --legacy for docker\'s --link (recreates RECEIVER); checks the name from inside RECEIVER')
    .addArgument(argumentOf('container', '<receiver>', 'the container that connects'))
    .addArgument(argumentOf('container', '<source[:alias]>', 'the container it reaches, and the name to reach it by (default: its name)'))
    .option('--legacy', 'a legacy --link: default bridge only, running source; copies SOURCE\'s env vars into RECEIVER')
    .addOption(optionOf('network', '--network <net>', 'the user-defined network to use, created when missing (default: one both share, else SOURCE\'s, else SOURCE-net)'))
    .option('-y, --yes', 'do not ask: the preview was read')
    .option('--json', 'print the preview and the job\'s events as JSON lines')
    .action(async (receiver: string, sourceAlias: string, flags: LinkFlags) => {
      process.exitCode = await runLink(context.connect(), receiver, sourceAlias, flags, context.isReadOnly());
    });
  program
    .command('unlink')
    .description('Remove RECEIVER\'s link to SOURCE or ALIAS: a legacy link (recreates RECEIVER) or the alias on the shared network (reconnects SOURCE without it)')
    .addArgument(argumentOf('container', '<receiver>', 'the container that connects'))
    .addArgument(argumentOf('container', '<target>', 'the source container or the alias'))
    .option('-y, --yes', 'do not ask: the preview was read')
    .option('--json', 'print the preview and the job\'s events as JSON lines')
    .action(async (receiver: string, target: string, flags: UnlinkFlags) => {
      process.exitCode = await runUnlink(context.connect(), receiver, target, flags, context.isReadOnly());
    });
};
