import {describe, expect, it} from 'vitest';
import {baseBindings, commandFor, withoutDangerous} from '../../source/keys/key-table.js';
import {normalizeKey} from '../../source/keys/normalize.js';
import {columnWidths} from '../../source/resources/layout.js';
import {fit} from '../../source/model/text.js';
import {isSecretName} from '../../source/model/secrets.js';
import {helpLines} from '../../source/ui/HelpScreen.js';
import {keyBarText} from '../../source/ui/KeyBar.js';
import {panelHeights} from '../../source/ui/app/panel-heights.js';
import {visibleWindow} from '../../source/ui/ResourcePanel.js';

describe('column layout', () => {
  const columns = [
    {title: 'A', width: 'flex' as const, minWidth: 4, cell: () => ''},
    {title: 'B', width: 5, cell: () => ''},
    {title: 'C', width: 'flex' as const, minWidth: 4, cell: () => ''},
  ];

  it('fills the width exactly, giving short columns only what they need', () => {
    const widths = columnWidths(columns, 40, [3, 5, 30]);
    expect(widths.reduce((a, b) => a + b, 0) + 2).toBe(40);
    expect(widths[0]).toBe(4);
  });

  it('never goes below a column\'s minimum', () => {
    expect(columnWidths(columns, 10, [50, 5, 50])).toEqual([4, 5, 4]);
  });

  it('fits text with an ellipsis', () => {
    expect(fit('abcdef', 4)).toBe('abc…');
    expect(fit('ab', 4)).toBe('ab  ');
  });
});

describe('key table', () => {
  it('binds no key twice within one layer', () => {
    const seen = new Set<string>();
    for (const binding of baseBindings) {
      for (const key of binding.keys) {
        const id = `${binding.layer}:${key}`;
        expect(seen.has(id), id).toBe(false);
        seen.add(id);
      }
    }
  });

  it('lets the first layer that binds a key win', () => {
    expect(commandFor(baseBindings, ['details', 'global'], 'q')?.command).toBe('back');
    expect(commandFor(baseBindings, ['list', 'global'], 'q')?.command).toBe('quit');
  });

  it('generates the help and key bar from the table', () => {
    const text = helpLines(baseBindings).map(line => line.text).join('\n');
    for (const binding of baseBindings) {
      expect(text).toContain(binding.description);
    }

    expect(keyBarText(baseBindings, ['list', 'global'])).toContain('Enter details');
  });

  it('drops dangerous bindings in read-only mode', () => {
    const bindings = [...baseBindings, {command: 'action:remove' as const, keys: ['D'], description: 'remove', layer: 'containers' as const, isDangerous: true}];
    expect(withoutDangerous(bindings).some(b => b.command === 'action:remove')).toBe(false);
  });

  it('normalizes Ink keys', () => {
    expect(normalizeKey('', {downArrow: true})).toBe('down');
    expect(normalizeKey('', {tab: true, shift: true})).toBe('shift+tab');
    expect(normalizeKey('c', {ctrl: true})).toBe('ctrl+c');
    expect(normalizeKey('G', {shift: true})).toBe('G');
  });
});

describe('secrets', () => {
  it('recognizes secret-looking names and leaves ordinary ones', () => {
    for (const name of ['MYSQL_ROOT_PASSWORD', 'API_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'GPG_KEY', 'DB_PASSWD']) {
      expect(isSecretName(name), name).toBe(true);
    }

    for (const name of ['PATH', 'TZ', 'HOSTNAME', 'KEYBOARD_LAYOUT', 'MONKEY']) {
      expect(isSecretName(name), name).toBe(false);
    }
  });
});

describe('panel geometry', () => {
  it('keeps the selected row visible and scrolls as little as possible', () => {
    expect(visibleWindow(0, 0, 10, 1000)).toBe(0);
    expect(visibleWindow(10, 0, 10, 1000)).toBe(1);
    expect(visibleWindow(5, 1, 10, 1000)).toBe(1);
    expect(visibleWindow(999, 0, 10, 1000)).toBe(990);
  });

  it('gives the focused panel most rows and never more than all rows', () => {
    const heights = panelHeights(16, 'containers', {containers: 1000, networks: 30, volumes: 300});
    expect(heights.containers + heights.networks + heights.volumes).toBe(16);
    expect(heights.containers).toBeGreaterThan(heights.networks);
    const few = panelHeights(16, 'networks', {containers: 2, networks: 3, volumes: 1});
    expect(few.containers).toBe(2);
    expect(few.volumes).toBe(1);
  });
});

describe('selection moves', () => {
  it('count every key even when they arrive before the screen redraws', async () => {
    const {initialUiState, uiReducer} = await import('../../source/state/ui-state.js');
    const keys = ['a', 'b', 'c', 'd'];
    let state = initialUiState;
    for (let i = 0; i < 3; i++) {
      state = uiReducer(state, {type: 'move', panel: 'containers', delta: 1, keys});
    }

    expect(state.panels.containers.selectedKey).toBe('d');
    state = uiReducer(state, {type: 'move', panel: 'containers', delta: -10, keys});
    expect(state.panels.containers.selectedKey).toBe('a');
  });
});
