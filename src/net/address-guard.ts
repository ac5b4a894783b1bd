import { BlockList, isIP } from 'node:net';

/**
 * SSRF guard: addresses a crawler must not reach unless the user says so (`--allow-private`).
 * Checked on the resolved address, after DNS, so a public name pointing at 127.0.0.1 is caught too.
 *
 * An IPv6 address can carry an IPv4 address that a gateway, a tunnel or the kernel itself will
 * deliver to: such an address is as private as the IPv4 address inside it. The forms recognised
 * (whatever the spelling: dotted or hex tail, compressed or not, upper or lower case):
 *
 *   ::a.b.c.d           IPv4-compatible (RFC 4291, deprecated; ::7f00:1 is 127.0.0.1)
 *   ::ffff:a.b.c.d      IPv4-mapped
 *   ::ffff:0:a.b.c.d    IPv4-translated (SIIT, RFC 2765)
 *   64:ff9b::a.b.c.d    NAT64 well-known prefix (RFC 6052); 64:ff9b:1::/48, local-use NAT64, is private whole
 *   2002:AABB:CCDD::    6to4 (RFC 3056): the IPv4 address in bits 16..47
 *   2001:0:S:S:f:p:C:C  Teredo (RFC 4380): server S, client C stored XOR 0xffffffff
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b:1::', 48],
  // Discard-only (RFC 6666) and documentation (RFC 3849): never a real public destination.
  ['100::', 64], ['2001:db8::', 32],
] as const) blocked.addSubnet(net, prefix, 'ipv6');

export function isPrivateAddress(address: string): boolean {
  // A zone index (`fe80::1%eth0`) names an interface, not a different address.
  const bare = address.includes('%') ? address.slice(0, address.indexOf('%')) : address;
  const family = isIP(bare);
  if (family === 4) return blocked.check(bare, 'ipv4');
  if (family === 6) {
    const bytes = ipv6Bytes(bare);
    if (!bytes) return true; // isIP accepted what we cannot read: refuse rather than guess
    if (embeddedIpv4(bytes).some((v4) => blocked.check(v4, 'ipv4'))) return true;
    return blocked.check(bare, 'ipv6');
  }
  return true;
}

export function isLoopbackAddress(address: string): boolean {
  if (isIP(address) === 4) return /^127\./.test(address);
  const bytes = isIP(address) === 6 ? ipv6Bytes(address) : null;
  if (!bytes) return false;
  if (bytes.every((b, i) => b === (i === 15 ? 1 : 0))) return true; // ::1
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped && bytes[12] === 127;
}

/** The IPv4 addresses an IPv6 address delivers to (see the table above); empty for a plain IPv6 address. */
export function embeddedIpv4(bytes: Uint8Array): string[] {
  const zeros = (from: number, to: number): boolean => bytes.slice(from, to).every((b) => b === 0);
  const v4 = (at: number, xor = 0): string => Array.from(bytes.slice(at, at + 4), (b) => b ^ xor).join('.');
  const word = (i: number): number => (bytes[i * 2]! << 8) | bytes[i * 2 + 1]!;
  // ::/96 (compatible), ::ffff:0:0/96 (mapped), ::ffff:0:0:0/96 (translated)
  if (zeros(0, 10) && ((bytes[10] === 0 && bytes[11] === 0) || (bytes[10] === 0xff && bytes[11] === 0xff))) return [v4(12)];
  if (zeros(0, 8) && word(4) === 0xffff && word(5) === 0) return [v4(12)];
  if (word(0) === 0x64 && word(1) === 0xff9b && zeros(4, 12)) return [v4(12)];
  if (word(0) === 0x2002) return [v4(2)];
  if (word(0) === 0x2001 && word(1) === 0) return [v4(12, 0xff), v4(4)];
  return [];
}

/** The 16 bytes of a textual IPv6 address (dotted IPv4 tail allowed); null when it does not parse. */
export function ipv6Bytes(address: string): Uint8Array | null {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const parts = dotted.slice(1).map(Number);
    if (parts.some((p) => p > 255)) return null;
    const [a, b, c, d] = parts as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  const out = new Uint8Array(16);
  for (const [i, g] of groups.entries()) {
    if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
    const n = parseInt(g, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  }
  return out;
}
