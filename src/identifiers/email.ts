import { toAsciiHostname } from './domain.ts';
import { fail, type Normalized, ok, prepare } from './result.ts';

// RFC 5322 §3.2.3 atext: the characters allowed in an unquoted (dot-atom) local part.
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/**
 * Pragmatic RFC 5321 mailbox check: dot-atom local part of at most 64 octets (§4.5.3.1.1),
 * '@', then a DNS domain (see domain.ts); whole address at most 254 octets (the 256-octet
 * path limit minus the angle brackets). Quoted local parts and address literals
 * ('user@[192.0.2.1]') are legal but practically unused in the wild, so they are refused.
 *
 * Canonical form: the local part is kept as written — RFC 5321 §2.4 says only the receiving
 * host may interpret its case — and the domain is lowercased and converted to ASCII.
 */
export function validateEmail(raw: string): Normalized {
  const text = prepare(raw);
  if (typeof text !== 'string') return text;
  const address = text.replace(/^mailto:/i, '');
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1)
    return fail('BAD_FORMAT', 'Email address must look like name@domain');
  const local = address.slice(0, at);
  if (local.length > 64) return fail('BAD_LENGTH', 'The part before @ has at most 64 characters');
  if (!DOT_ATOM.test(local)) return fail('BAD_FORMAT', 'The part before @ contains characters not allowed');
  const domain = toAsciiHostname(address.slice(at + 1));
  if (typeof domain !== 'string') return { ...domain, message: `Domain: ${domain.message}` };
  const canonical = `${local}@${domain}`;
  if (canonical.length > 254) return fail('BAD_LENGTH', 'Email address is longer than 254 characters');
  return ok(canonical);
}
