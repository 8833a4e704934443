// What hawser tells a person about IPv4 forwarding: what breaks, what can switch it off, and what to do
// where hawser's fix cannot reach. Text only, so the CLI, the TUI and the tests share it.
import type {EngineInfo} from '../../engine/types.js';

/** The warning the engine puts in `/info` when forwarding is off. */
export const infoWarning = 'WARNING: IPv4 forwarding is disabled';

/** What stops working while forwarding is off. */
export const consequences: readonly string[] = [
  'Containers cannot reach anything outside the host: no internet, no registries, no package installs, no outside DNS.',
  'Published ports cannot be reached from other hosts (only from the host itself, through docker-proxy).',
];

/** What can switch forwarding off again, each with how to prevent it. */
export const switchOffCauses: readonly string[] = [
  'A sysctl reload — `sysctl --system`, `sysctl -p`, systemd-sysctl at boot or after a package upgrade — re-applies every sysctl file, and a 0 in any of them wins again: keep net.ipv4.ip_forward = 0 out of /etc/sysctl.conf and /etc/sysctl.d (hawser warns about the ones it finds).',
  'Network service restarts — the classic `systemctl restart network` on RHEL/CentOS, or ifup scripts — re-apply sysctl settings: keep the persistent file, and restart Docker afterwards if forwarding went off.',
  'systemd-networkd turns forwarding off when it configures a link whose .network file lacks `IPForward=yes` (systemd < 256; from 256 set `IPv4Forwarding=yes` in networkd.conf): add it for the uplink.',
  'Firewalls and hardening tools: ufw applies /etc/ufw/sysctl.conf on every reload (uncomment `net/ipv4/ip_forward=1` there); CIS/STIG hardening roles set it to 0 on purpose — exempt Docker hosts.',
  'Docker turns forwarding on itself when its daemon starts (unless it runs with `--ip-forward=false` or `"ip-forward": false` in daemon.json), so finding it off means one of the above ran after Docker started.',
];

/** The risks shown before the fix runs. */
export const fixRisks: readonly string[] = [
  'Forwarding applies to every interface of the host, not only Docker\'s: the kernel will route packets between all the networks the host is on.',
  'If the iptables FORWARD chain\'s policy is ACCEPT, the host becomes a router for anyone on its networks (Docker sets DROP when it manages iptables; check with `iptables -S FORWARD`).',
  'Hardening baselines (CIS, DISA STIG) require net.ipv4.ip_forward = 0 on hosts that are not routers: a compliance scan will flag this change.',
];

/** The kind of engine, as far as the fix is concerned. */
export type EngineKind = 'standard' | 'rootless' | 'desktop';

/** Tells rootless engines and Docker Desktop apart from engines whose host network is the real host's. */
export function engineKind(info: EngineInfo): EngineKind {
  if (/docker desktop/i.test(info.operatingSystem)) {
    return 'desktop';
  }

  if (info.securityOptions.some(option => option.split(',').includes('name=rootless'))) {
    return 'rootless';
  }

  return 'standard';
}

/** Why the fix cannot reach the real host on this kind of engine, and what to do instead; empty on standard engines. */
export function unreachableHostAdvice(kind: EngineKind): readonly string[] {
  if (kind === 'rootless') {
    return [
      'This is a rootless engine: its "host" network is RootlessKit\'s own namespace, so a helper container cannot change the real host\'s setting.',
      'On the host, as root: `sysctl -w net.ipv4.ip_forward=1`, and make it last with `echo net.ipv4.ip_forward=1 > /etc/sysctl.d/99-docker-forwarding.conf`; then `systemctl --user restart docker`.',
    ];
  }

  if (kind === 'desktop') {
    return [
      'This is Docker Desktop: containers run in a virtual machine that Docker Desktop manages, so a helper container cannot reach the real host, and changes inside the VM are lost when it restarts.',
      'Restart Docker Desktop (it sets forwarding up in its VM); if the warning stays, update Docker Desktop or use Troubleshoot → Reset to factory defaults. The host\'s own forwarding setting does not matter to it.',
    ];
  }

  return [];
}

/** Major version of an engine ("20.10.24+dfsg1" → 20), or undefined when it does not parse. */
export function engineMajor(version: string): number | undefined {
  const match = /^(\d+)\./.exec(version);
  return match ? Number(match[1]) : undefined;
}

/**
 * True when `/info` may be stale: from Engine 23 the daemon reads ip_forward once at start and caches it,
 * so only a live check tells the current value. Unknown versions count as stale, to be safe.
 */
export function isInfoCached(info: EngineInfo): boolean {
  const major = engineMajor(info.version);
  if (major !== undefined) {
    return major >= 23;
  }

  // Engine 23 speaks API 1.42.
  const api = info.engineApiVersion || info.apiVersion;
  const [apiMajor = 0, apiMinor = 0] = api.split('.').map(Number);
  return apiMajor > 1 || (apiMajor === 1 && apiMinor >= 42) || !api;
}
