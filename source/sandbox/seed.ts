// Fills the sandbox engine with the situations hawser is for, replaying the seed note: a mysql with a
// root password and a data volume, an nginx, a legacy link, host, none and container: modes, a
// user-defined network and a volume holding files.
import type {CreateContainerSpec, EnginePort} from '../engine/port.js';
import {busyboxImage} from './test-image.js';

/** Label put on everything the seed creates. */
export const seedLabel = 'io.hawser.sandbox';

type SeedContainer = CreateContainerSpec & {readonly name: string; readonly isStarted?: boolean; readonly afterCreate?: (id: string) => Promise<void>};

const labels = {[seedLabel]: 'seed'};

function container(name: string, command: string, host: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): SeedContainer {
  return {
    name,
    Image: busyboxImage,
    Cmd: ['sh', '-c', command],
    Labels: labels,
    StopSignal: 'SIGKILL',
    HostConfig: {RestartPolicy: {Name: 'unless-stopped'}, ...host},
    ...extra,
  };
}

/** What the seed creates, in order (later ones depend on earlier ones). */
export function seedPlan(engine: EnginePort): SeedContainer[] {
  return [
    container('mysql', 'mkdir -p /var/lib/mysql && echo "CREATE TABLE t (id int);" > /var/lib/mysql/schema.sql; exec httpd -f -p 3306 -h /var/lib/mysql', {
      Binds: ['mysql-data:/var/lib/mysql'],
    }, {Env: ['MYSQL_ROOT_PASSWORD=server', 'MYSQL_DATABASE=app'], ExposedPorts: {'3306/tcp': {}}}),
    container('nginx', 'echo "<h1>hello from hawser sandbox</h1>" > /www/index.html; exec httpd -f -p 80 -h /www', {
      Binds: ['webdata:/www'],
      PortBindings: {'80/tcp': [{HostPort: '8080'}]},
    }, {Volumes: {'/cache': {}}, ExposedPorts: {'80/tcp': {}}, Env: ['API_TOKEN=s3cr3t-token', 'TZ=UTC']}),
    container('web', 'exec httpd -f -p 8000 -h /www', {
      NetworkMode: 'appnet',
      Binds: ['webdata:/www:ro'],
    }, {NetworkingConfig: {EndpointsConfig: {appnet: {Aliases: ['frontend']}}}}),
    container('api', 'exec httpd -f -p 9000 -h /tmp', {NetworkMode: 'appnet'}, {
      Env: ['DB_PASSWORD=hunter2', 'DB_HOST=aliasmysql'],
      NetworkingConfig: {EndpointsConfig: {appnet: {Aliases: ['backend']}}},
      afterCreate: async (id: string) => engine.connectNetwork('bridge', id),
    }),
    container('legacy-app', 'exec sleep 100000', {Links: ['mysql:aliasmysql']}),
    container('hostnet', 'exec sleep 100000', {NetworkMode: 'host'}),
    container('isolated', 'exec sleep 100000', {NetworkMode: 'none'}),
    container('sidecar', 'exec sleep 100000', {NetworkMode: 'container:nginx'}),
    container('stopped-job', 'echo done', {RestartPolicy: {Name: 'no'}}),
  ];
}

/** Creates the seed's networks, volumes and containers that do not exist yet. */
export async function seedSandbox(engine: EnginePort, report: (line: string) => void): Promise<void> {
  const networks = await engine.listNetworks();
  if (!networks.some(n => n.name === 'appnet')) {
    report('creating network appnet (10.89.0.0/24)');
    await engine.createNetwork({name: 'appnet', driver: 'bridge', ipam: [{subnet: '10.89.0.0/24', gateway: '10.89.0.1'}], labels});
  }

  if (!networks.some(n => n.name === 'backend-internal')) {
    report('creating internal network backend-internal');
    await engine.createNetwork({name: 'backend-internal', driver: 'bridge', internal: true, ipam: [{subnet: '10.89.1.0/24'}], labels});
  }

  const volumes = new Set((await engine.listVolumes()).map(v => v.name));
  for (const name of ['mysql-data', 'webdata', 'data']) {
    if (!volumes.has(name)) {
      report(`creating volume ${name}`);
      await engine.createVolume({name, labels});
    }
  }

  if (!volumes.has('data')) {
    // The seed note's volume: files to back up and restore.
    const filler = await engine.createContainer({
      Image: busyboxImage,
      Cmd: ['sh', '-c', 'mkdir -p /data/docs /data/empty && echo "first file" > /data/docs/readme.txt && seq 1 2000 > /data/numbers.txt && ln -s docs/readme.txt /data/link-to-readme'],
      Labels: labels,
      HostConfig: {Binds: ['data:/data']},
    });
    await engine.startContainer(filler.id);
    await engine.waitContainer(filler.id);
    await engine.removeContainer(filler.id);
  }

  const existing = new Set((await engine.listContainers()).map(c => c.name));
  for (const {isStarted = true, afterCreate, ...spec} of seedPlan(engine)) {
    if (existing.has(spec.name)) {
      continue;
    }

    report(`creating container ${spec.name}`);
    const {id} = await engine.createContainer(spec);
    await afterCreate?.(id);
    if (isStarted) {
      await engine.startContainer(id);
    }
  }
}
