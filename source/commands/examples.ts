// Examples for each command's --help, in one place, added after the commands are registered.
import type {Command} from 'commander';

/** Command path → example lines. */
export const examples: Readonly<Record<string, readonly string[]>> = {
  backup: ['hawser backup mysql-data                      # to ~/.local/share/hawser/backups/', 'hawser backup mysql-data -o /srv/backup/ --gzip --stop --yes', 'hawser backup data webdata --json | jq -c \'select(.type=="done")\''],
  restore: ['hawser restore ~/.local/share/hawser/backups/data-20261128.tar            # into a new volume', 'hawser restore old.tar --volume data --replace --yes', 'hawser restore recipe.tar --strip 3                # an archive of the classic recipe'],
  verify: ['hawser verify data-20261128.tar', 'hawser verify data-20261128.tar.gz --json'],
  doctor: ['hawser doctor web db', 'hawser doctor web db --port 5432', 'hawser doctor web db --json | jq .fixes'],
  forwarding: ['hawser forwarding                         # exit 0 on, 3 off', 'hawser forwarding --fix --persist', 'hawser forwarding --fix --yes --json'],
  link: ['hawser link nginx mysql:db                # a user-defined network, alias db on mysql', 'hawser link nginx mysql:db --network backend', 'hawser link nginx mysql:aliasmysql --legacy # the real --link (recreates nginx)'],
  unlink: ['hawser unlink nginx db', 'hawser unlink nginx mysql --yes'],
  network: ['hawser network create backend --subnet 10.90.0.0/24 --gateway 10.90.0.1', 'hawser network connect backend web --alias api --ip 10.90.0.10', 'hawser network prune'],
  'network create': ['hawser network create backend', 'hawser network create backend --subnet 10.90.0.0/24 --gateway 10.90.0.1 --internal', 'hawser network create lan --driver macvlan --subnet 192.168.50.0/24 --opt parent=eth0'],
  'network connect': ['hawser network connect backend web --alias api', 'hawser network connect backend web --ip 10.90.0.10'],
  'network disconnect': ['hawser network disconnect backend web'],
  'network rm': ['hawser network rm backend', 'hawser network rm backend --disconnect --yes   # disconnect its containers first'],
  'network prune': ['hawser network prune            # lists what would go, then asks'],
  'network ls': ['hawser network ls', 'hawser network ls --json'],
  recover: ['hawser recover                  # lists unfinished operations', 'hawser recover --rollback --yes', 'hawser recover --finish'],
  'sandbox up': ['sudo hawser sandbox up', 'export DOCKER_HOST=$(sudo hawser sandbox up)'],
  'sandbox down': ['sudo hawser sandbox down', 'sudo hawser sandbox down --purge'],
  'sandbox status': ['hawser sandbox status'],
};

/** Adds the examples to every command that has some and shows none yet. */
export function addExamples(program: Command, prefix = ''): void {
  for (const command of program.commands) {
    const path = `${prefix}${command.name()}`;
    const lines = examples[path];
    if (lines) {
      const text = `\nExamples:\n${lines.map(line => `  ${line}`).join('\n')}`;
      // Checked when the help is shown: formatting every command's help on each start costs ms.
      command.addHelpText('after', () => /Examples:/.test(command.helpInformation()) ? '' : text);
    }

    addExamples(command, `${path} `);
  }
}
