// `hawser forwarding`: is IPv4 forwarding on (exit 0) or off (exit 3); `--fix` turns it on, `--persist` keeps it.
import type {Command} from 'commander';
import type {EnginePort} from '../engine/port.js';
import {InputError} from '../jobs/job.js';
import type {ForwardingReport} from '../jobs/forwarding/detect.js';
import {defaultSysctlDir} from '../jobs/forwarding/sysctl-files.js';
import type {RegisterCommand} from './context.js';
import {exitCodes} from './errors.js';
import {confirmAndRun, printJson} from './job-output.js';
import {optionOf} from './value-kinds.js';

/** The flags of `hawser forwarding`. */
export type ForwardingFlags = {
  readonly json?: boolean;
  readonly fix?: boolean;
  readonly persist?: boolean;
  readonly sysctlDir?: string;
  readonly yes?: boolean;
  readonly image?: string;
};

async function printReport(report: ForwardingReport): Promise<void> {
  const [{bannerFor}, {switchOffCauses}] = await Promise.all([import('../jobs/forwarding/detect.js'), import('../jobs/forwarding/explain.js')]);
  const banner = bannerFor(report);
  const out = process.stdout;
  const source = report.source === 'live' ? 'checked live in the engine\'s network namespace' : 'from the engine\'s /info';
  out.write(`IPv4 forwarding: ${report.state} (${source}; /info says ${report.infoSaysOn ? 'on' : 'off'})\n`);
  if (report.liveCheck.status !== 'done') {
    out.write(`  ${report.liveCheck.note}\n`);
  }

  if (report.isInfoStale) {
    out.write('  /info disagrees with the live value: the daemon read it at start (Engine 23 and later).\n');
  }

  if (report.state !== 'on') {
    out.write('What stops working:\n');
    for (const line of banner.consequences) {
      out.write(`  - ${line}\n`);
    }

    out.write(banner.canFix ? 'Fix it: hawser forwarding --fix --persist\n' : '');
    out.write('What can switch it off:\n');
    for (const cause of switchOffCauses) {
      out.write(`  - ${cause}\n`);
    }
  }

  for (const line of banner.advice) {
    out.write(`  ${line}\n`);
  }
}

/** Runs `hawser forwarding` against an engine and returns the exit code; throws for failures. */
export async function runForwarding(engine: EnginePort, flags: ForwardingFlags, isReadOnly = false): Promise<number> {
  if (!flags.fix && (flags.persist || flags.sysctlDir)) {
    throw new InputError('--persist and --sysctl-dir go with --fix.', 'Run: hawser forwarding --fix --persist');
  }

  if (flags.sysctlDir && !flags.persist) {
    throw new InputError('--sysctl-dir only matters with --persist.', 'Add --persist, or leave --sysctl-dir out.');
  }

  if (!flags.fix) {
    // The job modules load only when the command runs, not whenever any command starts.
    const {bannerFor, detectForwarding} = await import('../jobs/forwarding/detect.js');
    // An explicit question deserves the live answer, whatever the engine's version.
    const report = await detectForwarding(engine, {live: 'always', image: flags.image});
    if (flags.json) {
      printJson({...report, consequences: report.state === 'on' ? [] : bannerFor(report).consequences, advice: bannerFor(report).advice});
    } else {
      await printReport(report);
    }

    return report.state === 'on' ? exitCodes.ok : report.state === 'off' ? exitCodes.forwardingOff : exitCodes.failure;
  }

  if (isReadOnly) {
    throw new InputError('--read-only is set: hawser changes nothing.', 'Run without --read-only to fix forwarding.');
  }

  const {prepareForwardingFix} = await import('../jobs/forwarding/fix.js');
  const prepared = await prepareForwardingFix(engine, {persist: flags.persist, sysctlDir: flags.sysctlDir, image: flags.image});
  const done = await confirmAndRun(prepared, engine, {json: flags.json, yes: flags.yes});
  return done?.data?.['state'] === 'on' ? exitCodes.ok : exitCodes.forwardingOff;
}

/** Registers `hawser forwarding`. */
export const registerForwarding: RegisterCommand = (program: Command, context) => {
  program
    .command('forwarding')
    .description('Check IPv4 forwarding on the engine\'s host (exit 0 on, 3 off); --fix turns it on through a least-privilege helper container')
    .option('--json', 'print JSON (the report, or the fix\'s events as JSON lines)')
    .option('--fix', 'turn forwarding on (shows what will run and asks first)')
    .option('--persist', `with --fix: also write ${defaultSysctlDir}/99-hawser-ip-forward.conf on the engine's host`)
    .addOption(optionOf('directory', '--sysctl-dir <dir>', `with --persist: the host's sysctl.d directory (default ${defaultSysctlDir})`))
    .option('-y, --yes', 'do not ask: the preview was read')
    .option('--image <image>', 'local image with a shell for the helpers (default: the first of busybox, alpine, debian … found locally)')
    .action(async (flags: ForwardingFlags) => {
      process.exitCode = await runForwarding(context.connect(), flags, context.isReadOnly());
    });
};
