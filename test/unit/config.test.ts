import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {configPath, defaultConfig, loadConfig} from '../../source/config/config.js';
import {applyKeyOverrides, baseBindings, commandFor} from '../../source/keys/key-table.js';

function withConfig(content: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'hawser-cfg-'));
  writeFileSync(path.join(dir, 'config.json'), content);
  return {HAWSER_CONFIG: path.join(dir, 'config.json'), HOME: '/home/someone'};
}

describe('config file', () => {
  it('lives in the XDG config folder', () => {
    expect(configPath({XDG_CONFIG_HOME: '/x', HOME: '/h'})).toBe('/x/hawser/config.json');
    expect(configPath({HOME: '/h'})).toBe('/h/.config/hawser/config.json');
  });

  it('is the defaults when missing', () => {
    expect(loadConfig({HAWSER_CONFIG: '/nonexistent/config.json'})).toMatchObject({config: defaultConfig, problems: []});
  });

  it('reads keys, theme and the backups folder', () => {
    const {config, problems} = loadConfig(withConfig(JSON.stringify({keys: {quit: ['Q']}, theme: 'mono', backupsDir: '~/bk', mouse: true})));
    expect(problems).toEqual([]);
    expect(config).toEqual({keys: {quit: ['Q']}, theme: 'mono', backupsDir: '/home/someone/bk', mouse: true});
    expect(defaultConfig.mouse).toBe(false);
  });

  it('reports unknown and malformed settings instead of ignoring them', () => {
    const {problems} = loadConfig(withConfig(JSON.stringify({colour: 'red', theme: 'neon', keys: {quit: []}})));
    expect(problems.join('\n')).toMatch(/Unknown setting "colour"/);
    expect(problems.join('\n')).toMatch(/"theme" .* must be "default" or "mono"/);
    expect(problems.join('\n')).toMatch(/"keys.quit" .* non-empty list/);
    expect(loadConfig(withConfig('{not json')).problems[0]).toMatch(/not valid JSON/);
  });

  it('rebinds keys and names commands it does not know', () => {
    const {bindings, unknown} = applyKeyOverrides(baseBindings, {quit: ['Q'], teleport: ['t']});
    expect(commandFor(bindings, ['global'], 'Q')?.command).toBe('quit');
    expect(commandFor(bindings, ['global'], 'q')).toBeUndefined();
    expect(unknown).toEqual(['teleport']);
  });
});
