import { isIPv4, isIPv6 } from 'node:net';
import { fail, type Normalized, ok, prepare } from './result.ts';

/**
 * IP addresses. IPv4 must be plain dotted-quad decimal (node:net refuses leading zeros,
 * which some parsers read as octal). IPv6 is canonicalised to the RFC 5952 text form:
 * lowercase hex, no leading zeros, the longest run of two or more zero groups (the first
 * one on a tie) shortened to '::', and IPv4-mapped addresses (::ffff:0:0/96) written in
 * mixed notation ('::ffff:192.0.2.1', RFC 5952 §5). Brackets ('[2001:db8::1]') are
 * accepted; zone identifiers ('%eth0') are refused since they only mean something on one host.
 */
export function validateIp(raw: string): Normalized {
  const text = prepare(raw);
  if (typeof text !== 'string') return text;
  const address = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (isIPv4(address)) return ok(address, 'ipv4');
  if (address.includes('%')) return fail('BAD_FORMAT', 'IPv6 zone identifiers are not accepted');
  if (isIPv6(address)) return ok(formatIpv6(parseIpv6(address)), 'ipv6');
  return fail('BAD_FORMAT', 'Not an IPv4 or IPv6 address');
}

/** Eight 16-bit groups of an address that node:net has already accepted as IPv6. */
export function parseIpv6(address: string): number[] {
  let text = address.toLowerCase();
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    // Embedded dotted IPv4 in the last 32 bits (RFC 4291 §2.2, form 3).
    const [a = 0, b = 0, c = 0, d = 0] = last.split('.').map(Number);
    tail.push((a << 8) | b, (c << 8) | d);
    text = `${text.slice(0, lastColon + 1)}`;
    // Keep a trailing '::' intact, otherwise drop the now-dangling ':'.
    if (!text.endsWith('::')) text = text.slice(0, -1);
  }
  const parse = (part: string): number[] =>
    part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16));
  const gap = text.indexOf('::');
  let groups: number[];
  if (gap === -1) {
    groups = [...parse(text), ...tail];
  } else {
    const head = parse(text.slice(0, gap));
    const rest = [...parse(text.slice(gap + 2)), ...tail];
    groups = [...head, ...new Array<number>(8 - head.length - rest.length).fill(0), ...rest];
  }
  return groups;
}

export function formatIpv6(groups: readonly number[]): string {
  const isMapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (isMapped) {
    const hi = groups[6] ?? 0;
    const lo = groups[7] ?? 0;
    return `::ffff:${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  }
  // Longest run of zero groups; RFC 5952 §4.2.2 forbids '::' for a single zero group.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
