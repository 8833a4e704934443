// Maps the engine's JSON documents onto hawser's typed records. Pure; shared by the adapter and by
// fakes that replay recorded engine JSON.
import type {
  ContainerDetails,
  ContainerNetwork,
  ContainerSummary,
  EngineEvent,
  MountPoint,
  NetworkDetails,
  NetworkSummary,
  PortMapping,
  VolumeSummary,
} from './types.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
const record = (value: unknown): Record<string, string> => (value && typeof value === 'object' ? {...(value as Record<string, string>)} : {});

function networksOf(settings: Json | undefined): ContainerNetwork[] {
  const networks = (settings?.['Networks'] ?? {}) as Record<string, Json>;
  return Object.entries(networks).map(([name, n]) => ({
    name,
    networkId: String(n['NetworkID'] ?? ''),
    ipv4: String(n['IPAddress'] ?? ''),
    gateway: String(n['Gateway'] ?? ''),
    mac: String(n['MacAddress'] ?? ''),
    aliases: strings(n['Aliases']),
    links: strings(n['Links']),
    ipamIpv4: n['IPAMConfig']?.['IPv4Address'] || undefined,
  }));
}

function mountsOf(mounts: unknown): MountPoint[] {
  return (Array.isArray(mounts) ? mounts as Json[] : []).map(m => ({
    type: String(m['Type'] ?? ''),
    name: m['Name'] || undefined,
    source: String(m['Source'] ?? ''),
    destination: String(m['Destination'] ?? ''),
    isReadWrite: Boolean(m['RW']),
  }));
}

/** Ports from the list form (`Ports[]`). */
function portsFromList(ports: unknown): PortMapping[] {
  const seen = new Set<string>();
  const result: PortMapping[] = [];
  for (const p of (Array.isArray(ports) ? ports as Json[] : [])) {
    const mapping: PortMapping = {privatePort: Number(p['PrivatePort']), publicPort: p['PublicPort'] ? Number(p['PublicPort']) : undefined, hostIp: p['IP'] || undefined, protocol: String(p['Type'] ?? 'tcp')};
    // IPv4 and IPv6 bindings of one port are one port to a person.
    const key = `${mapping.privatePort}/${mapping.protocol}:${mapping.publicPort ?? ''}`;
    if (!seen.has(key)) {
      seen.add(key);
      result.push(mapping);
    }
  }

  return result.sort((a, b) => a.privatePort - b.privatePort);
}

/** Ports from the inspect form (`NetworkSettings.Ports` or `HostConfig.PortBindings`). */
function portsFromInspect(ports: unknown): PortMapping[] {
  const result: PortMapping[] = [];
  for (const [key, bindings] of Object.entries((ports ?? {}) as Record<string, Json[] | null>)) {
    const [port = '0', protocol = 'tcp'] = key.split('/');
    const list = Array.isArray(bindings) && bindings.length > 0 ? bindings : [undefined];
    const seen = new Set<string>();
    for (const binding of list) {
      const publicPort = binding?.['HostPort'] ? Number(binding['HostPort']) : undefined;
      if (seen.has(String(publicPort))) {
        continue;
      }

      seen.add(String(publicPort));
      result.push({privatePort: Number(port), publicPort, hostIp: binding?.['HostIp'] || undefined, protocol});
    }
  }

  return result.sort((a, b) => a.privatePort - b.privatePort);
}

/** A container list entry (`GET /containers/json`). */
export function containerFromList(c: Json): ContainerSummary {
  const names = strings(c['Names']);
  // The list reports link names too ("/receiver/alias"); the real name has a single slash.
  const name = (names.find(n => n.lastIndexOf('/') === 0) ?? names[0] ?? '').replace(/^\//, '');
  return {
    id: String(c['Id']),
    name,
    image: String(c['Image'] ?? ''),
    state: String(c['State'] ?? ''),
    status: String(c['Status'] ?? ''),
    created: Number(c['Created'] ?? 0),
    networkMode: String(c['HostConfig']?.['NetworkMode'] ?? ''),
    networks: networksOf(c['NetworkSettings']),
    ports: portsFromList(c['Ports']),
    mounts: mountsOf(c['Mounts']),
    labels: record(c['Labels']),
    linkedFrom: names.filter(n => n.lastIndexOf('/') > 0).map(n => n.replace(/^\//, '')),
  };
}

/** A container inspect document (`GET /containers/{id}/json`). */
export function containerFromInspect(c: Json): ContainerDetails {
  const config = (c['Config'] ?? {}) as Json;
  const host = (c['HostConfig'] ?? {}) as Json;
  const state = (c['State'] ?? {}) as Json;
  const ports = c['NetworkSettings']?.['Ports'] && Object.keys(c['NetworkSettings']['Ports']).length > 0 && state['Running']
    ? portsFromInspect(c['NetworkSettings']['Ports']).filter(p => p.publicPort !== undefined || !host['PortBindings'])
    : portsFromInspect(host['PortBindings']);
  return {
    id: String(c['Id']),
    name: String(c['Name'] ?? '').replace(/^\//, ''),
    image: String(config['Image'] ?? ''),
    imageId: String(c['Image'] ?? ''),
    state: String(state['Status'] ?? ''),
    status: String(state['Status'] ?? ''),
    created: Date.parse(String(c['Created'] ?? '')) / 1000 || 0,
    networkMode: String(host['NetworkMode'] ?? ''),
    networks: networksOf(c['NetworkSettings']),
    ports,
    mounts: mountsOf(c['Mounts']),
    labels: record(config['Labels']),
    linkedFrom: [],
    env: strings(config['Env']),
    cmd: strings(config['Cmd']),
    entrypoint: strings(config['Entrypoint']),
    hostname: String(config['Hostname'] ?? ''),
    restartPolicy: String(host['RestartPolicy']?.['Name'] || 'no'),
    restartCount: Number(c['RestartCount'] ?? 0),
    isRunning: Boolean(state['Running']),
    isRestarting: Boolean(state['Restarting']),
    health: state['Health']?.['Status'] || undefined,
    legacyLinks: strings(host['Links']),
    raw: c,
  };
}

function ipamOf(n: Json) {
  return (Array.isArray(n['IPAM']?.['Config']) ? n['IPAM']['Config'] as Json[] : []).map(p => ({
    subnet: String(p['Subnet'] ?? ''),
    gateway: p['Gateway'] || undefined,
    ipRange: p['IPRange'] || undefined,
  }));
}

/** A network list entry (`GET /networks`). */
export function networkFromList(n: Json): NetworkSummary {
  return {
    id: String(n['Id']),
    name: String(n['Name']),
    driver: String(n['Driver'] ?? ''),
    scope: String(n['Scope'] ?? ''),
    isInternal: Boolean(n['Internal']),
    isAttachable: Boolean(n['Attachable']),
    ipam: ipamOf(n),
    options: record(n['Options']),
    labels: record(n['Labels']),
    created: String(n['Created'] ?? ''),
  };
}

/** A network inspect document (`GET /networks/{id}`). */
export function networkFromInspect(n: Json): NetworkDetails {
  const members = Object.entries((n['Containers'] ?? {}) as Record<string, Json>).map(([containerId, m]) => ({
    containerId,
    name: String(m['Name'] ?? ''),
    ipv4: String(m['IPv4Address'] ?? '').replace(/\/\d+$/, ''),
    mac: String(m['MacAddress'] ?? ''),
  }));
  return {...networkFromList(n), members: members.sort((a, b) => a.name.localeCompare(b.name))};
}

/** A volume list entry or inspect document. */
export function volumeFromEngine(v: Json): VolumeSummary {
  return {
    name: String(v['Name']),
    driver: String(v['Driver'] ?? ''),
    mountpoint: String(v['Mountpoint'] ?? ''),
    scope: String(v['Scope'] ?? ''),
    labels: record(v['Labels']),
    createdAt: v['CreatedAt'] || undefined,
    options: record(v['Options']),
  };
}

/** One line of `GET /events`. */
export function eventFromEngine(e: Json): EngineEvent {
  return {
    type: String(e['Type'] ?? e['type'] ?? ''),
    // Exec and health actions carry a suffix ("exec_create: sh", "health_status: healthy").
    action: String(e['Action'] ?? e['status'] ?? '').split(':')[0]!.trim(),
    id: String(e['Actor']?.['ID'] ?? e['id'] ?? ''),
    attributes: record(e['Actor']?.['Attributes']),
    timeNano: Number(e['timeNano'] ?? Number(e['time'] ?? 0) * 1e9),
  };
}
