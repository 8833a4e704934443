// TAB in bash, zsh and fish offers the engine's own names of the kind each place takes: containers for netmode
// and link, networks and modes for a mode, networks then containers for network connect, volumes for backup and
// --volume; never the wrong kind. The built CLI against the isolated test engine, through each shell's script.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {dockerHost, noEngine, removeByPrefix, runBusybox, testEngine, testLabel, uniqueName} from '../helpers/engine.js';
import {completionSandbox, hasShell, tab, type ShellName} from '../helpers/shell-completion.js';

describe.skipIf(noEngine)('shell completion with the engine\'s names', () => {
  const engine = noEngine ? undefined! : testEngine();
  const prefix = uniqueName('hwcomp');
  const container = `${prefix}-web`;
  const network = `${prefix}-net`;
  const volume = `${prefix}-data`;
  const sandbox = completionSandbox();

  beforeAll(async () => {
    await engine.createNetwork({name: network, driver: 'bridge', labels: {[testLabel]: '1'}});
    await engine.createVolume({name: volume, labels: {[testLabel]: '1'}});
    await runBusybox(engine, container, 'exec sleep 100000');
  });

  afterAll(async () => {
    await removeByPrefix(engine, prefix);
    sandbox.remove();
  });

  describe.each(['bash', 'zsh', 'fish'] as const)('%s', (shell: ShellName) => {
    const isThere = hasShell(shell);
    const script = isThere ? sandbox.script(shell) : '';
    const offered = (line: string) => tab(shell, line, {bin: sandbox.bin, script, env: {DOCKER_HOST: dockerHost}});

    it.skipIf(!isThere)('containers where a container is expected, never volumes', () => {
      expect(offered(`hawser netmode ${prefix}`)).toEqual([container]);
      expect(offered(`hawser link ${container} ${prefix}`)).toEqual([container]);
      expect(offered(`hawser network connect ${network} ${prefix}`)).toEqual([container]);
    });

    it.skipIf(!isThere)('networks, built-in modes and container:NAME for a mode; networks for --network', () => {
      expect(offered(`hawser netmode ${container} ${prefix}`)).toEqual([network]);
      expect(offered(`hawser netmode ${container} ho`)).toEqual(['host']);
      expect(offered(`hawser netmode ${container} container:${prefix}`)).toEqual(shell === 'bash' ? [container] : [`container:${container}`]);
      expect(offered(`hawser network connect ${prefix}`)).toEqual([network]);
      expect(offered(`hawser link a b --network ${prefix}`)).toEqual([network]);
    });

    it.skipIf(!isThere)('volumes for a backup and for --volume, never containers', () => {
      expect(offered(`hawser backup ${prefix}`)).toEqual([volume]);
      expect(offered(`hawser restore x.tar --volume ${prefix}`)).toEqual([volume]);
    });

    it.skipIf(!isThere)('the engine the line names with --host', () => {
      const elsewhere = tab(shell, `hawser --host ${dockerHost} netmode ${prefix}`, {bin: sandbox.bin, script, env: {DOCKER_HOST: 'unix:///nonexistent/docker.sock'}});
      expect(elsewhere).toEqual([container]);
    });
  });
});
