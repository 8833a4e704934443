// IPv4 address and CIDR arithmetic for network validation and for finding a free subnet. Pure.

/** A parsed IPv4 CIDR block; `base` is the network address as an unsigned 32-bit number. */
export type Cidr = {readonly base: number; readonly prefix: number; readonly text: string};

/** Parses dotted-quad IPv4 into an unsigned 32-bit number, or undefined when malformed. */
export function parseIpv4(text: string): number | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim());
  if (!match) {
    return undefined;
  }

  const octets = match.slice(1).map(Number);
  // Leading zeros read as octal in some tools; refuse them rather than guess.
  if (octets.some(o => o > 255) || match.slice(1).some(o => o.length > 1 && o.startsWith('0'))) {
    return undefined;
  }

  return octets.reduce((value, octet) => (value * 256) + octet, 0);
}

/** Formats an unsigned 32-bit number as dotted-quad IPv4. */
export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map(shift => Math.floor(value / (2 ** shift)) % 256).join('.');
}

function maskSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

/** Parses `a.b.c.d/n`; `isStrict` refuses host bits set (the engine does too for subnets). */
export function parseCidr(text: string, isStrict = true): Cidr | undefined {
  const match = /^([^/]+)\/(\d{1,2})$/.exec(text.trim());
  if (!match) {
    return undefined;
  }

  const address = parseIpv4(match[1]!);
  const prefix = Number(match[2]);
  if (address === undefined || prefix > 32) {
    return undefined;
  }

  const base = address - (address % maskSize(prefix));
  if (isStrict && base !== address) {
    return undefined;
  }

  return {base, prefix, text: `${formatIpv4(base)}/${prefix}`};
}

/** True when the address lies inside the block. */
export function cidrContains(cidr: Cidr, address: number): boolean {
  return address >= cidr.base && address < cidr.base + maskSize(cidr.prefix);
}

/** True when `inner` lies entirely inside `outer`. */
export function cidrInside(inner: Cidr, outer: Cidr): boolean {
  return inner.prefix >= outer.prefix && cidrContains(outer, inner.base);
}

/** True when two blocks share at least one address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return cidrContains(a, b.base) || cidrContains(b, a.base);
}

/** The first address of the block a person would use as gateway (network address + 1). */
export function firstHost(cidr: Cidr): number {
  return cidr.base + 1;
}

/** Private ranges searched for a free subnet, least likely to clash with home and office LANs first. */
const searchRanges = ['10.200.0.0/13', '172.16.0.0/12', '10.0.0.0/8', '192.168.0.0/16'];

/** The first block of the given prefix inside the private ranges that overlaps none of `used`. */
export function findFreeSubnet(used: readonly Cidr[], prefix = 24): Cidr | undefined {
  for (const rangeText of searchRanges) {
    const range = parseCidr(rangeText)!;
    if (prefix < range.prefix) {
      continue;
    }

    const step = maskSize(prefix);
    for (let base = range.base; base < range.base + maskSize(range.prefix); base += step) {
      const candidate: Cidr = {base, prefix, text: `${formatIpv4(base)}/${prefix}`};
      const clash = used.find(u => cidrsOverlap(u, candidate));
      if (!clash) {
        return candidate;
      }

      // Jump past the clashing block instead of walking through it one step at a time.
      const clashEnd = clash.base + maskSize(clash.prefix);
      if (clashEnd > base + step) {
        base = clashEnd - step;
      }
    }
  }

  return undefined;
}
