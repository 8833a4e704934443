// The full-screen views' keys (logs, inspect, palette, wizards) live in the key table: the help lists
// them, in groups, and overrides rebind them.
import {describe, expect, it} from 'vitest';
import {applyKeyOverrides, baseBindings, commandFor, keyClashes, keyOf, layerTitles} from '../../source/keys/key-table.js';
import {typedText} from '../../source/keys/normalize.js';
import {paletteEntries} from '../../source/keys/palette.js';
import {actionBindings} from '../../source/resources/panels.js';
import {helpLines} from '../../source/ui/HelpScreen.js';
import {runCommand, scrollCommands} from '../../source/ui/use-commands.js';

/** The help's lines of one group: from its title to the next title. */
function group(lines: readonly {text: string; isTitle: boolean}[], title: string): string[] {
  const start = lines.findIndex(line => line.isTitle && line.text === title);
  expect(start, `group "${title}"`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((line, i) => i > start && line.isTitle);
  // Without the command's name at the end (tested on its own below).
  return lines.slice(start + 1, end < 0 ? undefined : end).map(line => line.text.trim().replace(/\s+/g, ' ').replace(/ \[[^\]]+\]$/, ''));
}

describe('the views\' keys in the help', () => {
  it('lists the logs and inspect keys, each with its description', () => {
    const lines = helpLines(baseBindings);
    expect(group(lines, 'Logs')).toEqual(expect.arrayContaining([
      'Esc q ^C close the logs',
      '/ search the logs (matching lines are highlighted)',
      'f pause or resume following (scrolling to the end follows again)',
      'j ↓ scroll down',
      'PgDn ^D Space page down',
      'g Home first line',
      'G End last line',
    ]));
    expect(group(lines, 'Logs, after a search')).toEqual(['n next match', 'N previous match', 'Esc clear the search']);
    expect(group(lines, 'Logs, typing (a search, since, tail or file name)')).toEqual([
      'Enter search for what was typed (or apply the since, tail or file name typed)',
      'Esc stop typing: nothing changes (the previous search stays)',
      '^U clear what was typed',
      '^W remove the last word (or path part) typed',
    ]);
    expect(group(lines, 'Inspect (JSON)')).toEqual(expect.arrayContaining([
      'Esc q ^C close the JSON',
      'i close the JSON (the key that opened it)',
      'x reveal or mask secret values',
      'k ↑ scroll up',
      'PgUp ^U page up',
    ]));
    expect(group(lines, 'Wizards: the outcome')).toContain('1-9 run the suggested fix with that number');
    expect(group(lines, 'Help')).toContain('PgDn ^D Space page down');
  });

  it('lists every layer once, the views after the panels and help last', () => {
    const titles = helpLines([...baseBindings, ...actionBindings()]).filter(line => line.isTitle).map(line => line.text);
    expect(titles).toEqual(Object.values(layerTitles));
    expect(titles.indexOf('Topology')).toBeLessThan(titles.indexOf('Logs'));
    expect(titles.indexOf('Logs')).toBeLessThan(titles.indexOf('Inspect (JSON)'));
    expect(titles.at(-1)).toBe('Help');
  });

  it('names each command, as the config file rebinds it', () => {
    const text = helpLines(baseBindings).map(line => line.text);
    expect(text.find(line => line.includes('pause or resume following'))).toMatch(/ \[follow\]$/);
    expect(text.find(line => line.includes('close the JSON (the key'))).toMatch(/ \[inspect\]$/);
    expect(text[1]).toContain('"keys": {"name": ["key", …]}');
  });

  it('shows a rebound key where the default was', () => {
    const {bindings} = applyKeyOverrides(baseBindings, {follow: ['z'], revealSecrets: ['X']});
    const lines = helpLines(bindings);
    expect(group(lines, 'Logs')).toContain('z pause or resume following (scrolling to the end follows again)');
    expect(group(lines, 'Inspect (JSON)')).toContain('X reveal or mask secret values');
    expect(keyOf(bindings, 'logs', 'follow')).toBe('z');
    expect(keyOf(bindings, 'dialog', 'confirm', 2)).toBe('y or Enter');
  });
});

describe('the views\' layers', () => {
  it('let a shown search take Esc first, and close the logs without one', () => {
    expect(commandFor(baseBindings, ['logsMatches', 'logs'], 'escape')?.command).toBe('clearSearch');
    expect(commandFor(baseBindings, ['logsMatches', 'logs'], 'q')?.command).toBe('back');
    expect(commandFor(baseBindings, ['logs'], 'escape')?.command).toBe('back');
    expect(commandFor(baseBindings, ['logs'], 'n')).toBeUndefined();
  });

  it('keep the views\' own commands out of the palette', () => {
    const names = paletteEntries(baseBindings).map(entry => entry.name);
    for (const command of ['follow', 'next-match', 'clear-search', 'search-accept', 'palette-run', 'previous-question', 'answer-yes', 'run-follow-up']) {
      expect(names, command).not.toContain(command);
    }

    expect(names).toEqual(expect.arrayContaining(['quit', 'logs', 'inspect', 'secrets', 'topology']));
  });
});

describe('scrolling by command', () => {
  /** Where a scroll of `total` lines showing `page` of them from `position` goes for `command`; undefined when it does not scroll. */
  function scrollFor(command: string, position: number, total: number, page: number): number | undefined {
    let to: number | undefined;
    const handlers = scrollCommands(position, total, page, next => {
      to = next;
    });
    const binding = baseBindings.find(candidate => candidate.layer === 'logs' && candidate.command === command);
    if (binding) {
      runCommand(baseBindings, ['logs'], handlers, binding.keys[0]!);
    }

    return to;
  }

  it('moves by one, by a page and to either end, within the text', () => {
    expect(scrollFor('down', 5, 100, 20)).toBe(6);
    expect(scrollFor('up', 0, 100, 20)).toBe(0);
    expect(scrollFor('pageDown', 75, 100, 20)).toBe(80);
    expect(scrollFor('pageUp', 30, 100, 20)).toBe(10);
    expect(scrollFor('top', 42, 100, 20)).toBe(0);
    expect(scrollFor('bottom', 0, 100, 20)).toBe(80);
    expect(scrollFor('follow', 3, 100, 20)).toBeUndefined();
  });

  it('runs the handler of the first layer that binds the key, and nothing for a key no handler takes', () => {
    const ran: string[] = [];
    expect(runCommand(baseBindings, ['logsMatches', 'logs'], {clearSearch: () => ran.push('clear'), back: () => ran.push('back')}, 'escape')).toBe(true);
    expect(runCommand(baseBindings, ['logs'], {clearSearch: () => ran.push('clear'), back: () => ran.push('back')}, 'escape')).toBe(true);
    expect(runCommand(baseBindings, ['logs'], {back: () => ran.push('back')}, 'f')).toBe(false);
    expect(ran).toEqual(['clear', 'back']);
  });
});

describe('typing into a prompt', () => {
  it('types printable text only: Enter or Tab rebound away from a prompt never land in it', () => {
    expect(typedText('disk', {})).toBe('disk');
    expect(typedText(' ', {})).toBe(' ');
    expect(typedText('\r', {return: true})).toBe('');
    expect(typedText('\t', {tab: true})).toBe('');
    expect(typedText('u', {ctrl: true})).toBe('');
    expect(typedText('ab\ncd', {})).toBe('abcd');
  });
});

describe('keys the config gives to two commands at once', () => {
  it('are reported, naming the key and both commands; keys in views that are never live together are not', () => {
    const overrides = {'action:netmode': ['j']};
    const {bindings} = applyKeyOverrides([...baseBindings, ...actionBindings()], overrides);
    const clashes = keyClashes(bindings, overrides);
    expect(clashes).toEqual([expect.stringMatching(/^The key j is bound to both action:netmode and down \(Containers\)/)]);
    // q closes the logs too (back, in the logs layer): that is a clash there as well.
    const clash = (more: Record<string, readonly string[]>) => keyClashes(applyKeyOverrides(baseBindings, more).bindings, more);
    expect(clash({follow: ['q']})).toEqual([expect.stringMatching(/^The key q is bound to both follow and back \(Logs\)/)]);
    expect(clash({follow: ['z']})).toEqual([]);
    // The inspect view's x and the logs' f are never live at the same time.
    expect(clash({follow: ['x']})).toEqual([]);
  });

  it('are listed at the top of the help, cut between words', () => {
    const lines = helpLines(baseBindings, ['The key j is bound to both action:netmode and down (Containers); only one of them can run: give one another key.']);
    expect(lines[0]).toEqual({text: 'Problems in the config file', isTitle: true});
    expect(lines[1]!.text).toBe('  The key j is bound to both action:netmode and down (Containers); only one of them can run: give');
    expect(lines[2]!.text).toBe('    one another key.');
  });
});
