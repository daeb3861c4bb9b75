import { domainToASCII } from 'node:url';
import { type Failure, fail, type Normalized, ok, prepare } from './result.ts';

/**
 * Turns a host name into its canonical ASCII form: UTS #46 / IDNA2008 processing via the
 * WHATWG URL host parser (`url.domainToASCII`), which lowercases and converts Unicode labels
 * to Punycode A-labels ('bücher.de' → 'xn--bcher-kva.de'). Then RFC 1035/1123 limits:
 * labels of 1–63 characters from letters, digits and hyphens, not starting or ending with a
 * hyphen, total ≤ 253. Underscores are tolerated because real DNS names carry them
 * (SRV/DKIM labels, some hosting subdomains). A trailing root dot is dropped.
 * Requires at least two labels and an alphabetic (or Punycode) top-level label, which
 * also keeps dotted IPv4 addresses out.
 */
export function toAsciiHostname(text: string): string | Failure {
  let host = text.normalize('NFKC');
  if (host.endsWith('.')) host = host.slice(0, -1);
  // ASCII characters outside the hostname alphabet would make the WHATWG parser cut the
  // string at a delimiter ('a.b/c.com' → 'a.b'), so refuse them before it sees them.
  if (hasForbiddenAscii(host))
    return fail('BAD_FORMAT', 'Domain contains characters not allowed in host names');
  const ascii = domainToASCII(host);
  if (ascii === '') return fail('BAD_FORMAT', 'Not a valid internationalised domain name');
  if (ascii.length > 253) return fail('BAD_LENGTH', 'Domain is longer than 253 characters');
  const labels = ascii.split('.');
  if (labels.length < 2) return fail('BAD_FORMAT', 'Domain must contain a dot');
  for (const label of labels) {
    if (label.length === 0 || label.length > 63)
      return fail('BAD_FORMAT', 'Each domain label has 1–63 characters');
    if (!/^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/.test(label)) {
      return fail('BAD_FORMAT', `Invalid domain label "${label}"`);
    }
  }
  const tld = labels[labels.length - 1] ?? '';
  if (!/^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/.test(tld)) {
    return fail('BAD_FORMAT', 'Top-level domain must be alphabetic');
  }
  return ascii;
}

function hasForbiddenAscii(host: string): boolean {
  for (const ch of host) {
    if (ch.charCodeAt(0) < 0x80 && !/^[A-Za-z0-9._-]$/.test(ch)) return true;
  }
  return false;
}

/** Canonical form: lowercase ASCII (Punycode for internationalised labels), no trailing dot. */
export function validateDomain(raw: string): Normalized {
  const text = prepare(raw);
  if (typeof text !== 'string') return text;
  const host = toAsciiHostname(text);
  return typeof host === 'string' ? ok(host) : host;
}
