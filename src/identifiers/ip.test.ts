import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIpv6, parseIpv6, validateIp } from './ip.ts';

describe('validateIp', () => {
  it('accepts IPv4 dotted quads', () => {
    expect(validateIp(' 192.0.2.1 ')).toEqual({ ok: true, value: '192.0.2.1', kind: 'ipv4' });
  });

  it('canonicalises IPv6 per RFC 5952', () => {
    const cases: Record<string, string> = {
      '2001:0DB8:0000:0000:0000:0000:0000:0001': '2001:db8::1',
      '2001:db8:0:0:1:0:0:1': '2001:db8::1:0:0:1', // first of two equal runs
      '2001:db8:0:1:1:1:1:1': '2001:db8:0:1:1:1:1:1', // a single zero group is not shortened
      '2001:db8::0:1:0:0:1': '2001:db8::1:0:0:1',
      '0:0:0:0:0:0:0:0': '::',
      '[::1]': '::1',
      '::FFFF:C000:0201': '::ffff:192.0.2.1', // IPv4-mapped, mixed notation
      '::ffff:192.0.2.1': '::ffff:192.0.2.1',
      '64:ff9b::192.0.2.1': '64:ff9b::c000:201',
      '1:2:3:4:5:6:7::': '1:2:3:4:5:6:7:0',
    };
    for (const [raw, expected] of Object.entries(cases)) {
      expect(validateIp(raw), raw).toEqual({ ok: true, value: expected, kind: 'ipv6' });
    }
  });

  it('rejects malformed addresses, leading zeros and zone identifiers', () => {
    for (const raw of [
      '256.1.1.1',
      '01.2.3.4',
      '1.2.3',
      '1.2.3.4/24',
      '2001:db8::1::1',
      'fe80::1%eth0',
      'gggg::1',
      'example.com',
    ]) {
      expect(validateIp(raw), raw).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
    }
  });

  it('property: matches the WHATWG serialisation (outside ::ffff:0:0/96) and is idempotent', () => {
    const group = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
        const full = groups.map((g) => g.toString(16).padStart(4, '0')).join(':');
        const result = validateIp(full);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(parseIpv6(result.value)).toEqual(groups);
        expect(validateIp(result.value)).toEqual(result);
        const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
        if (!mapped) expect(result.value).toBe(new URL(`http://[${full}]/`).hostname.slice(1, -1));
      }),
      { numRuns: 1000 },
    );
    expect(formatIpv6([0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201])).toBe('::ffff:192.0.2.1');
  });
});
