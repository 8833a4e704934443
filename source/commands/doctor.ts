// `hawser doctor A B [--port P] [--json]`: can A reach B; exit 0 when it can, 1 when it cannot.
import type {Command} from 'commander';
import type {EnginePort} from '../engine/port.js';
import type {DoctorReport} from '../jobs/doctor/diagnose.js';
import type {RegisterCommand} from './context.js';
import {exitCodes} from './errors.js';
import {printJson} from './job-output.js';
import {checkContainerName, checkTargetName} from './names.js';
import {argumentOf} from './value-kinds.js';

/** The flags of `hawser doctor`. */
export type DoctorFlags = {readonly port?: string; readonly json?: boolean; readonly probe?: boolean};

const marks = {ok: '✓', problem: '✗', note: '·'} as const;

function printReport(report: DoctorReport): void {
  const out = process.stdout;
  out.write(`${report.verdict === 'reachable' ? '✓' : '✗'} ${report.summary}\n`);
  for (const check of report.checks) {
    out.write(`  ${marks[check.status]} ${check.message}\n`);
  }

  if (report.fixes.length > 0) {
    out.write('Fix:\n');
    for (const fix of report.fixes) {
      out.write(`  ${fix.label}: ${fix.command}\n`);
    }
  }
}

/** Runs `hawser doctor`; returns 0 when A reaches B (by what was given), 1 when not. Throws for bad input. */
export async function runDoctor(engine: EnginePort, from: string, target: string, flags: DoctorFlags): Promise<number> {
  checkContainerName(from, 'A');
  checkTargetName(target, 'B', 'a container\'s name, one of its aliases or its IPv4 address', 'hawser doctor web db');
  const [{diagnose}, {parsePort}] = await Promise.all([import('../jobs/doctor/diagnose.js'), import('../jobs/doctor/form.js')]);
  const report = await diagnose(engine, from, target, {port: parsePort(flags.port), isProbing: flags.probe !== false});
  if (flags.json) {
    printJson(report);
  } else {
    printReport(report);
  }

  return report.verdict === 'reachable' ? exitCodes.ok : exitCodes.failure;
}

/** Registers `hawser doctor`. */
export const registerDoctor: RegisterCommand = (program: Command, context) => {
  program
    .command('doctor')
    .description('Can container A reach B (by name, alias or address)? If not, why, and the hawser action that fixes it (exit 0 reachable, 1 not)')
    .addArgument(argumentOf('container', '<a>', 'the container that connects'))
    .addArgument(argumentOf('container', '<b>', 'the container to reach: its name, an alias or its IPv4 address'))
    .option('--port <port>', 'also try a TCP connect to this port from inside A')
    .option('--no-probe', 'only the engine\'s view: run nothing inside A')
    .option('--json', 'print the report as JSON')
    .action(async (a: string, b: string, flags: DoctorFlags) => {
      process.exitCode = await runDoctor(context.connect(), a, b, flags);
    });
};
