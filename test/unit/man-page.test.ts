// docs/hawser.1 is the manual page made from the command definitions (source/commands/man.ts): this fails when
// a command, an argument, an option or an example changed without `npm run man`.
import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {expect, it} from 'vitest';
import {registerCommands} from '../../source/commands/index.js';
import {manPage} from '../../source/commands/man.js';
import {createProgram} from '../../source/commands/program.js';

const {version} = JSON.parse(readFileSync('package.json', 'utf8')) as {version: string};
const noEngine = () => {
  throw new Error('the man page needs no engine');
};

function page(): string {
  const program = createProgram(version);
  registerCommands(program, {connect: noEngine, connectTo: noEngine, connectWith: noEngine, isReadOnly: () => false});
  return manPage(program);
}

it('docs/hawser.1 is the manual page of the commands as they are', () => {
  expect(readFileSync('docs/hawser.1', 'utf8'), 'docs/hawser.1 is out of date: run npm run man').toBe(page());
});

/** groff comes with man-db; without it the page is not rendered here. */
const hasGroff = !spawnSync('groff', ['--version']).error;

it('names every command, and leaves out the hidden one', () => {
  const text = page();
  for (const command of ['backup', 'doctor', 'forwarding', 'link', 'unlink', 'ls', 'netmode', 'network create', 'network prune', 'recover', 'restore', 'sandbox up', 'verify', 'completion', 'man', 'help']) {
    expect(text).toContain(`.SS "hawser ${command} `);
  }

  expect(text).toContain('\\fB\\-\\-via\\-api\\fR');
  expect(text).not.toContain('__complete');
});

it.skipIf(!hasGroff)('reads as a manual page: groff finds no unknown request or escape', () => {
  const rendered = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-z'], {input: page(), encoding: 'utf8'});
  expect(rendered.stderr).toBe('');
  expect(rendered.status).toBe(0);
});
