// Names in CJK and emoji in a real terminal (#24): rows keep their width, columns stay aligned, and the
// panel titles stay on screen. Widths are terminal cells, as tmux draws them.
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cellLength} from '../../source/model/text.js';
import {dockerHost, noEngine, removeByPrefix, testEngine, uniqueName} from '../helpers/engine.js';
import {TmuxSession} from '../helpers/tmux.js';

const prefix = uniqueName('wide');
const cli = path.resolve('dist/cli.js');
const wideName = `${prefix}-网络-前端-🐳-数据库`;

describe.skipIf(noEngine)('wide characters in a real terminal', () => {
  const engine = noEngine ? undefined as never : testEngine();
  let session: TmuxSession | undefined;

  beforeAll(async () => {
    await engine.createNetwork({name: wideName, driver: 'bridge'});
  });

  afterAll(async () => {
    session?.kill();
    TmuxSession.stopServer();
    await removeByPrefix(engine, prefix);
  });

  it('keeps every line within the terminal, the titles on screen and the DRIVER column aligned', async () => {
    const columns = 100;
    session = new TmuxSession(`node ${cli} --host ${dockerHost}`, {columns, rows: 40});
    await session.waitFor(prefix);
    await session.press('2');
    const screen = await session.waitFor(/2 Networks/);
    const lines = screen.split('\n');
    for (const line of lines) {
      expect(cellLength(line), line).toBeLessThanOrEqual(columns);
    }

    expect(screen).toMatch(/1 Containers/);
    expect(screen).toMatch(/3 Volumes/);
    const header = lines.find(line => line.includes('DRIVER'))!;
    const row = lines.find(line => line.includes('网络'))!;
    expect(row, screen).toBeDefined();
    // The driver's cell starts in the same terminal column as its title.
    const column = (line: string, text: string) => cellLength(line.slice(0, line.indexOf(text)));
    expect(column(row, 'bridge')).toBe(column(header, 'DRIVER'));
  });
});
