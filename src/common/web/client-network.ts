import { isIPv4, isIPv6 } from 'node:net';

/**
 * The network a client's address stands for, for the limits that count clients: an IPv4 address as it
 * is, an IPv6 address by its /64, the block one subscriber is normally given, so that moving within it
 * does not reset a count. `ip` is the address TRUST_PROXY lets Express report.
 */
export function clientNetwork(ip: string | undefined): string {
  const address = (ip ?? '').split('%')[0];
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (isIPv4(address)) return address;
  if (isIPv6(address)) return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
  return 'unknown';
}

/** The eight groups of an IPv6 address, written out ("2001:db8::1" → 2001, db8, 0, 0, 0, 0, 0, 1). */
function expandIPv6(address: string): string[] {
  const [head, tail] = address.toLowerCase().split('::');
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  // A trailing IPv4 part (::ffff:1.2.3.4 and the like) stands for two groups.
  const last = right.length > 0 ? right : left;
  if (last.length > 0 && isIPv4(last[last.length - 1])) {
    const [a, b, c, d] = last.pop()!.split('.').map(Number);
    last.push(((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
  }
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array.from({ length: missing }, () => '0'), ...right].map((group) => parseInt(group, 16).toString(16));
}
