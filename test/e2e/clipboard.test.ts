// Copying inside tmux (#24): y puts the selected container's ID in tmux's paste buffer, and the bottom
// line says "Copied" because tmux took it.
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {dockerHost, noEngine, removeByPrefix, runBusybox, testEngine, uniqueName} from '../helpers/engine.js';
import {TmuxSession} from '../helpers/tmux.js';

const prefix = uniqueName('copy');
const cli = path.resolve('dist/cli.js');

describe.skipIf(noEngine)('copy in a real tmux', () => {
  const engine = noEngine ? undefined as never : testEngine();
  let session: TmuxSession | undefined;
  let id = '';

  beforeAll(async () => {
    id = await runBusybox(engine, `${prefix}-web`, 'exec sleep 1000');
  });

  afterAll(async () => {
    session?.kill();
    TmuxSession.stopServer();
    await removeByPrefix(engine, prefix);
  });

  it('lands the ID in tmux\'s buffer', async () => {
    session = new TmuxSession(`node ${cli} --host ${dockerHost}`, {columns: 200, rows: 30});
    await session.waitFor(`${prefix}-web`);
    await new Promise(resolve => setTimeout(resolve, 400));
    await session.press('/');
    await session.type(`${prefix}-web`);
    await session.press('Enter');
    await session.waitFor(`filter: ${prefix}-web`);
    await session.press('y');
    const screen = await session.waitFor('tmux\'s paste buffer');
    expect(screen).toContain('Copied');
    expect(TmuxSession.newestBuffer()).toBe(id);
  });
});
