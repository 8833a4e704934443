#!/usr/bin/env node
// Writes the readme's key table from the built key table (npm run build first): the part of readme.md
// between the "keys:start" and "keys:end" markers. test/unit/readme-keys.test.ts fails when they differ.
import {readFileSync, writeFileSync} from 'node:fs';
import {keyTableMarkdown} from '../dist/keys/markdown.js';
import {baseBindings} from '../dist/keys/key-table.js';
import {actionBindings} from '../dist/resources/panels.js';

const start = '<!-- keys:start (generated from source/keys by `npm run readme:keys`) -->';
const end = '<!-- keys:end -->';
const readme = readFileSync('readme.md', 'utf8');
const from = readme.indexOf(start);
const to = readme.indexOf(end);
if (from < 0 || to < from) {
  throw new Error(`readme.md has no ${start} … ${end} section`);
}

writeFileSync('readme.md', `${readme.slice(0, from + start.length)}\n${keyTableMarkdown([...baseBindings, ...actionBindings()])}\n${readme.slice(to)}`);
