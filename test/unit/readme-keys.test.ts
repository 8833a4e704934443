// The readme's key table is the key table: generated from it, and this fails when they drift apart
// (a key added, rebound or reworded without `node scripts/readme-keys.mjs`).
import {readFileSync} from 'node:fs';
import {expect, it} from 'vitest';
import {baseBindings} from '../../source/keys/key-table.js';
import {keyTableMarkdown} from '../../source/keys/markdown.js';
import {actionBindings} from '../../source/resources/panels.js';

it('the readme lists every key exactly as the key table has it', () => {
  const readme = readFileSync('readme.md', 'utf8');
  const section = /<!-- keys:start[^>]*-->\n([\s\S]*?)\n<!-- keys:end -->/.exec(readme)?.[1];
  expect(section, 'readme.md has no keys:start … keys:end section').toBeDefined();
  expect(section, 'the readme\'s key table is out of date: run npm run readme:keys').toBe(keyTableMarkdown([...baseBindings, ...actionBindings()]));
});
