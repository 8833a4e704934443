import {describe, expect, it} from 'vitest';
import {parseListing} from '../../source/jobs/volume-archive/volume/helper-lister.js';

const root = '41ed 0 0 4096 1262304000 100 3 .';

describe('the helper\'s listing of a volume', () => {
  it('reads files, folders, symlinks with their targets, fifos and inodes', () => {
    const output = [
      root,
      '81a0 42 43 6 946684799 101 1 ./plain',
      'a1ff 0 0 5 981173106 102 1 ./rel link',
      '41c0 1234 5678 4096 1262304000 103 2 ./empty',
      '11a4 0 0 0 1262304000 104 1 ./pipe',
      '--hawser-links--',
      './rel link',
      'plain',
      '--hawser-end-- 5 1',
      '',
    ].join('\n');
    expect(parseListing(output)).toEqual([
      {path: '.', mode: 0o40_755, uid: 0, gid: 0, size: 4096, mtime: 1_262_304_000, inode: '100'},
      {path: 'plain', mode: 0o100_640, uid: 42, gid: 43, size: 6, mtime: 946_684_799, inode: '101'},
      {path: 'rel link', mode: 0o120_777, uid: 0, gid: 0, size: 5, mtime: 981_173_106, inode: '102', link: 'plain'},
      {path: 'empty', mode: 0o40_700, uid: 1234, gid: 5678, size: 4096, mtime: 1_262_304_000, inode: '103'},
      {path: 'pipe', mode: 0o10_644, uid: 0, gid: 0, size: 0, mtime: 1_262_304_000, inode: '104'},
    ]);
  });

  it('gives up (the volume is then read back) on anything it cannot read for sure', () => {
    const end = (entries: number, links: number) => `--hawser-end-- ${entries} ${links}\n`;
    const file = '81a4 0 0 1 1 105 1 ./a\n';
    expect(parseListing(`${root}\n${file}--hawser-links--\n${end(2, 0)}`)).toHaveLength(2);
    // A line lost on the way (a log driver dropping some), counts that do not add up, no end line (cut short).
    expect(parseListing(`${root}\n--hawser-links--\n${end(2, 0)}`)).toBeUndefined();
    expect(parseListing(`${root}\n${file}--hawser-links--\n${end(2, 1)}`)).toBeUndefined();
    expect(parseListing(`${root}\n${file}--hawser-links--\n`)).toBeUndefined();
    // Something after the end line (the helper's stderr comes after its stdout), an error line among the entries.
    expect(parseListing(`${root}\n${file}--hawser-links--\n${end(2, 0)}find: warning\n`)).toBeUndefined();
    expect(parseListing(`${root}\nfind: ./x: Permission denied\n--hawser-links--\n${end(2, 0)}`)).toBeUndefined();
    // A path twice (a name with a line break made to look like an entry), a symlink without its target, nothing at all.
    expect(parseListing(`${root}\n${file}${file}--hawser-links--\n${end(3, 0)}`)).toBeUndefined();
    expect(parseListing(`${root}\na1ff 0 0 1 1 106 1 ./l\n--hawser-links--\n${end(2, 1)}`)).toBeUndefined();
    expect(parseListing(`--hawser-links--\n${end(0, 0)}`)).toBeUndefined();
  });
});
