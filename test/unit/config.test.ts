import {execFileSync} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {configPath, defaultConfig, loadConfig} from '../../source/config/config.js';
import {applyKeyOverrides, baseBindings, commandFor, keyClashes} from '../../source/keys/key-table.js';

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
    expect(loadConfig({XDG_CONFIG_HOME: '/nonexistent', HOME: '/nonexistent'})).toMatchObject({config: defaultConfig, problems: [], file: '/nonexistent/hawser/config.json'});
  });

  it('says so when the file HAWSER_CONFIG names is missing (the default file missing stays silent)', () => {
    const {config, problems} = loadConfig({HAWSER_CONFIG: '/nonexistent/config.json', HOME: '/home/someone'});
    expect(config).toEqual(defaultConfig);
    expect(problems).toEqual(['/nonexistent/config.json (named by HAWSER_CONFIG) does not exist; using the defaults. Create it, or unset HAWSER_CONFIG to use /home/someone/.config/hawser/config.json.']);
  });

  it('reads only a plain file of at most 1 MiB: a device, a pipe, a folder or a huge file is a problem, and never waited on', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hawser-cfg-'));
    execFileSync('mkfifo', [path.join(dir, 'pipe.json')]);
    writeFileSync(path.join(dir, 'huge.json'), `{"theme": "mono"${' '.repeat(1024 * 1024)}}`);
    const started = Date.now();
    for (const [file, problem] of [
      [path.join(dir, 'pipe.json'), /pipe\.json \(named by HAWSER_CONFIG\) is not a plain file/],
      ['/dev/zero', /^\/dev\/zero \(named by HAWSER_CONFIG\) is not a plain file \(a device, a pipe or a socket\); using the defaults\. Name a JSON file in HAWSER_CONFIG, or unset it\.$/],
      [dir, /\(named by HAWSER_CONFIG\) is a folder; using the defaults/],
      [path.join(dir, 'huge.json'), /huge\.json \(named by HAWSER_CONFIG\) is 1048593 bytes; a config file may have at most 1 MiB, so it was not read and the defaults are used\. Check that HAWSER_CONFIG names the config file/],
    ] as const) {
      const {config, problems} = loadConfig({HAWSER_CONFIG: file});
      expect(config).toEqual(defaultConfig);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(problem);
    }

    expect(Date.now() - started).toBeLessThan(2000);
    // The default file in the default place too: a folder there is said, not read.
    const home = mkdtempSync(path.join(tmpdir(), 'hawser-cfg-'));
    execFileSync('mkdir', ['-p', path.join(home, 'hawser', 'config.json')]);
    expect(loadConfig({XDG_CONFIG_HOME: home}).problems[0]).toMatch(/config\.json is a folder; using the defaults\. Make it a JSON file, or remove it\.$/);
  });

  it('never lets __proto__, constructor or prototype reach an object\'s prototype: left out, and said', () => {
    const text = '{"__proto__": {"theme": "mono"}, "keys": {"__proto__": ["x"], "constructor": ["y"], "prototype": ["z"], "quit": ["Q"]}, "constructor": 1}';
    const env = withConfig(text);
    const {config, problems} = loadConfig(env);
    expect(config.theme).toBe('default');
    expect(Object.keys(config.keys)).toEqual(['quit']);
    expect(Object.getPrototypeOf(config.keys)).toBeNull();
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      expect(config.keys[name]).toBeUndefined();
      expect(problems).toContain(`"keys.${name}" in ${env.HAWSER_CONFIG} is not a command (hawser never reads __proto__, constructor or prototype); it was left out. Remove it.`);
    }

    expect(problems.filter(problem => /^"(__proto__|constructor)" in .* is not a setting/.test(problem))).toHaveLength(2);
    // What the TUI does with them at start: no crash, the rebinding that is right applied.
    const {bindings, unknown} = applyKeyOverrides(baseBindings, config.keys);
    expect(() => keyClashes(bindings, config.keys)).not.toThrow();
    expect(unknown).toEqual([]);
    expect(commandFor(bindings, ['global'], 'Q')?.command).toBe('quit');
    expect(({} as Record<string, unknown>)['theme']).toBeUndefined();
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
