#!/usr/bin/env node
// Installs the npm dependencies from the lock file when node_modules is missing or older than the
// lock, so that `npm test` and `npm start` work on a fresh clone with no other step.
import {execFileSync} from 'node:child_process';
import {existsSync, statSync} from 'node:fs';

const lock = 'package-lock.json';
const marker = 'node_modules/.package-lock.json';
const isStale = !existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs;
if (isStale) {
  console.error('hawser: installing npm dependencies (npm ci)…');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], {stdio: 'inherit'});
}
