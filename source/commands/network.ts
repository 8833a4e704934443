// `hawser network create|rm|connect|disconnect|prune|ls`: network management, checked before the
// engine is asked, previewed before anything changes.
import type {Command} from 'commander';
import {InputError} from '../jobs/job.js';
import {cellLength} from '../model/text.js';
import {collectValues, writableEngine, type RegisterCommand} from './context.js';
import {confirmAndRun, printJson} from './job-output.js';
import {checkContainerName, checkNetworkName, quoted} from './names.js';
import {argumentOf, optionOf} from './value-kinds.js';

type Common = {readonly yes?: boolean; readonly json?: boolean};


/** Registers `hawser network` and its subcommands. */
export const registerNetwork: RegisterCommand = (program: Command, context) => {
  const network = program.command('network').description('create, connect, disconnect, remove and prune networks');

  network.command('ls')
    .description('list networks with their subnets and attached containers')
    .option('--json', 'one JSON document')
    .action(async (flags: {json?: boolean}) => {
      const engine = context.connect();
      const [networks, containers, {attachedTo}] = await Promise.all([
        engine.listNetworks().then(async list => Promise.all(list.map(async n => engine.inspectNetwork(n.id).catch(() => ({...n, members: []}))))),
        engine.listContainers(),
        import('../jobs/networks/attached.js'),
      ]);
      networks.sort((a, b) => a.name.localeCompare(b.name));
      if (flags.json) {
        printJson(networks);
        return;
      }

      const rows = [['NAME', 'DRIVER', 'SCOPE', 'SUBNET', 'CONTAINERS'], ...networks.map(n => [n.name, n.driver, n.scope, n.ipam.map(p => p.subnet).join(' ') || '-', attachedTo(n, containers).map(a => (a.isRunning ? a.name : `${a.name} (not running)`)).join(', ') || '-'])];
      // Widths in terminal cells: a name in CJK or with an emoji keeps the columns aligned.
      const widths = rows[0]!.map((_, i) => Math.max(...rows.map(r => cellLength(r[i]!))));
      process.stdout.write(rows.map(r => r.map((cell, i) => cell + ' '.repeat(widths[i]! - cellLength(cell))).join('  ').trimEnd()).join('\n') + '\n');
    });

  network.command('create')
    .description('create a network (checked before the engine is asked: name, CIDR, gateway and range inside the subnet, overlaps)')
    .argument('<name>', 'network name')
    .addOption(optionOf({values: ['bridge', 'macvlan', 'ipvlan', 'overlay']}, '-d, --driver <driver>', 'bridge, macvlan, ipvlan (overlay on a swarm manager)').default('bridge'))
    .option('--subnet <cidr>', 'subnet, e.g. 10.20.0.0/24 (default: from the engine\'s pools)')
    .option('--gateway <ip>', 'gateway inside the subnet')
    .option('--ip-range <cidr>', 'range inside the subnet to give containers addresses from')
    .option('--internal', 'no access outside the network')
    .option('--attachable', 'let standalone containers join (overlay)')
    .option('--label <key=value>', 'a label (repeatable)', collectValues, [])
    .option('-o, --opt <key=value>', 'a driver option, e.g. parent=eth0 (repeatable)', collectValues, [])
    .option('-y, --yes', 'do not ask')
    .option('--json', 'print JSON lines')
    .action(async (name: string, flags: Common & {driver: string; subnet?: string; gateway?: string; ipRange?: string; internal?: boolean; attachable?: boolean; label: string[]; opt: string[]}) => {
      const engine = writableEngine(context, 'networks');
      const [{prepareCreateNetwork}, {nameProblem, parseKeyValues}] = await Promise.all([import('../jobs/networks/create.js'), import('../jobs/networks/validate.js')]);
      // Said before the engine is asked (it is asked for the networks there are, to check overlaps).
      const problem = nameProblem(name);
      if (problem) {
        throw new InputError(name ? `${quoted(name)} cannot be a network's name: ${problem.charAt(0).toLowerCase()}${problem.slice(1)}` : `${problem.replace(/\.$/, '')}: NAME is empty.`, 'For example: backend, app_net or web-1.');
      }

      const prepared = await prepareCreateNetwork(engine, {
        name,
        driver: flags.driver,
        subnet: flags.subnet,
        gateway: flags.gateway,
        ipRange: flags.ipRange,
        isInternal: flags.internal,
        isAttachable: flags.attachable,
        labels: parseKeyValues(flags.label.join(','), 'label'),
        options: parseKeyValues(flags.opt.join(','), 'option'),
      });
      await confirmAndRun(prepared, engine, flags);
    });

  network.command('rm')
    .description('remove a network; built-ins are refused, attached containers are named (--disconnect disconnects them first)')
    .addArgument(argumentOf('network', '<network>', 'network name or id'))
    .option('--disconnect', 'disconnect attached containers first')
    .option('-y, --yes', 'do not ask')
    .option('--json', 'print JSON lines')
    .action(async (name: string, flags: Common & {disconnect?: boolean}) => {
      const engine = writableEngine(context, 'networks');
      checkNetworkName(name);
      const {prepareRemoveNetwork} = await import('../jobs/networks/remove.js');
      await confirmAndRun(await prepareRemoveNetwork(engine, {network: name, disconnectFirst: flags.disconnect}), engine, flags);
    });

  network.command('connect')
    .description('connect a container to a network, with aliases and a static IPv4 address (a none-mode container leaves none first)')
    .addArgument(argumentOf('network', '<network>', 'network name or id'))
    .addArgument(argumentOf('container', '<container>', 'container name or id'))
    .option('--alias <name>', 'a DNS alias on that network (repeatable)', collectValues, [])
    .option('--ip <address>', 'static IPv4 address inside the network\'s subnet')
    .option('-y, --yes', 'do not ask')
    .option('--json', 'print JSON lines')
    .action(async (networkName: string, container: string, flags: Common & {alias: string[]; ip?: string}) => {
      const engine = writableEngine(context, 'networks');
      checkNetworkName(networkName);
      checkContainerName(container);
      const {prepareConnect} = await import('../jobs/networks/attach.js');
      await confirmAndRun(await prepareConnect(engine, {network: networkName, container, aliases: flags.alias, ipv4: flags.ip}), engine, flags);
    });

  network.command('disconnect')
    .description('disconnect a container from a network')
    .addArgument(argumentOf('network', '<network>', 'network name or id'))
    .addArgument(argumentOf('container', '<container>', 'container name or id'))
    .option('-f, --force', 'force the disconnect')
    .option('-y, --yes', 'do not ask')
    .option('--json', 'print JSON lines')
    .action(async (networkName: string, container: string, flags: Common & {force?: boolean}) => {
      const engine = writableEngine(context, 'networks');
      checkNetworkName(networkName);
      checkContainerName(container);
      const {prepareDisconnect} = await import('../jobs/networks/attach.js');
      await confirmAndRun(await prepareDisconnect(engine, {network: networkName, container, force: flags.force}), engine, flags);
    });

  network.command('prune')
    .description('remove networks no container uses; lists them before anything goes')
    .option('--label <key[=value]>', 'only networks with this label')
    .option('-y, --yes', 'do not ask')
    .option('--json', 'print JSON lines')
    .action(async (flags: Common & {label?: string}) => {
      const engine = writableEngine(context, 'networks');
      const {preparePruneNetworks} = await import('../jobs/networks/remove.js');
      const prepared = await preparePruneNetworks(engine, {label: flags.label});
      if (prepared.networks.length === 0) {
        if (flags.json) {
          printJson({type: 'done', summary: 'No unused networks.', data: {removed: []}});
        } else {
          process.stdout.write('No unused networks.\n');
        }

        return;
      }

      await confirmAndRun(prepared, engine, flags);
    });
};
