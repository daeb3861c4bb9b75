import { fail, type Normalized, ok, prepare } from './result.ts';

const SCHEMES: ReadonlySet<string> = new Set(['http:', 'https:', 'ftp:']);

/**
 * URLs, parsed with the WHATWG URL Standard (the same parser browsers use, so the result is
 * what a victim's browser would actually fetch). Only http, https and ftp are observables;
 * javascript:, data:, file: and the like are refused.
 *
 * Canonical form: the WHATWG serialisation, which lowercases scheme and host, converts
 * internationalised hosts to Punycode, drops default ports and percent-encodes the path;
 * path, query and fragment are otherwise kept verbatim because they are often the evidence.
 */
export function validateUrl(raw: string): Normalized {
  const text = prepare(raw);
  if (typeof text !== 'string') return text;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail('BAD_FORMAT', 'Not an absolute URL (scheme://host/…)');
  }
  if (!SCHEMES.has(url.protocol)) {
    return fail('UNSUPPORTED_SCHEME', `Only http, https and ftp URLs are accepted, not ${url.protocol}`);
  }
  if (url.hostname === '') return fail('BAD_FORMAT', 'URL has no host');
  return ok(url.href);
}
