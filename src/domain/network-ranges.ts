import { BlockList, isIP } from 'node:net';

/**
 * Address ranges a webhook must never reach: a status page must not become a way to probe the
 * network it runs in (SSRF). Loopback, private, link-local (cloud metadata lives there), shared
 * carrier space, multicast and reserved ranges, in IPv4 and IPv6.
 */
const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
// IPv6 ranges that are never a public receiver. Forms that carry an IPv4 address (mapped,
// NAT64, 6to4, …) are not listed here: the IPv4 inside is decoded and judged by the list above.
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  // The local-use NAT64 prefix (RFC 8215) is not globally reachable: a translator inside the
  // network decides what it reaches, and where the IPv4 sits depends on its prefix length.
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

/**
 * The eight 16-bit groups of an IPv6 address, a dotted IPv4 tail counting as the last two; null
 * for anything else, a zone index (`fe80::1%eth0`) included.
 */
function ipv6Groups(address: string): number[] | null {
  if (isIP(address) !== 6 || address.includes('%')) return null;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  const hex = dotted
    ? `${address.slice(0, dotted.index)}${((Number(dotted[1]) << 8) | Number(dotted[2])).toString(16)}:${((Number(dotted[3]) << 8) | Number(dotted[4])).toString(16)}`
    : address;
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const [head = '', tail] = hex.split('::');
  if (tail === undefined) return parse(head);
  const before = parse(head);
  const after = parse(tail);
  return [...before, ...new Array<number>(8 - before.length - after.length).fill(0), ...after];
}

/**
 * The IPv4 address an IPv6 address carries, or null. A connection to any of these forms can end
 * at that IPv4 address (the kernel, a NAT64 gateway or a 6to4 relay takes it there), so it is
 * judged as that address.
 */
export function embeddedIpv4(address: string): string | null {
  const groups = ipv6Groups(address);
  if (!groups) return null;
  const zeroes = (from: number, to: number) => groups.slice(from, to).every((group) => group === 0);
  const ipv4 = (high: number, low: number) => [high >> 8, high & 255, low >> 8, low & 255].join('.');
  const [g0, g1, g2, , g4, g5, g6 = 0, g7 = 0] = groups;
  // IPv4-mapped ::ffff:0:0/96 (RFC 4291), in any spelling: ::ffff:127.0.0.1, ::ffff:7f00:1, 0:0:0:0:0:ffff:…
  if (zeroes(0, 5) && g5 === 0xffff) return ipv4(g6, g7);
  // IPv4-translated ::ffff:0:0:0/96 (RFC 2765).
  if (zeroes(0, 4) && g4 === 0xffff && g5 === 0) return ipv4(g6, g7);
  // IPv4-compatible ::/96 (RFC 4291, deprecated); :: and ::1 are refused as IPv6 before this.
  if (zeroes(0, 6)) return ipv4(g6, g7);
  // NAT64 well-known prefix 64:ff9b::/96 (RFC 6052): the IPv4 address in the last 32 bits.
  if (g0 === 0x64 && g1 === 0xff9b && zeroes(2, 6)) return ipv4(g6, g7);
  // 6to4 2002::/16 (RFC 3056): the IPv4 address in bits 16–47.
  if (g0 === 0x2002) return ipv4(g1 ?? 0, g2 ?? 0);
  return null;
}

/** Whether a webhook may connect to this IP address. Anything that is not an IP is refused. */
export function isPublicAddress(address: string): boolean {
  const unbracketed = address.replace(/^\[|\]$/g, '');
  const family = isIP(unbracketed);
  if (family === 4) return !blocked.check(unbracketed, 'ipv4');
  if (family !== 6 || unbracketed.includes('%')) return false;
  if (blocked.check(unbracketed, 'ipv6')) return false;
  const v4 = embeddedIpv4(unbracketed);
  return v4 === null || isPublicAddress(v4);
}
