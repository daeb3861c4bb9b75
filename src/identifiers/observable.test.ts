import { describe, expect, it } from 'vitest';
import { MAX_INPUT_LENGTH, normalizeObservable, OBSERVABLE_TYPES, type ObservableType } from './index.ts';

describe('normalizeObservable', () => {
  it('lists the twenty observable types', () => {
    expect([...OBSERVABLE_TYPES].sort()).toEqual(
      [
        'container',
        'bl',
        'vessel',
        'company',
        'person',
        'phone',
        'email',
        'iban',
        'crypto',
        'plate',
        'location',
        'lei',
        'eori',
        'hs',
        'url',
        'domain',
        'ip',
        'hash',
        'filename',
        'other',
      ].sort(),
    );
  });

  it('dispatches each type to its validator', () => {
    const samples: Record<ObservableType, [string, string]> = {
      container: ['csqu 305438-3', 'CSQU3054383'],
      bl: ['medu xy123456', 'MEDUXY123456'],
      vessel: ['IMO 9074729', 'IMO9074729'],
      company: ['Bananas B.V.', 'bananas'],
      person: ['José Pérez', 'jose perez'],
      phone: ['+31 20 123 4567', '+31201234567'],
      email: ['Info@Example.COM', 'Info@example.com'],
      iban: ['nl91 abna 0417 1643 00', 'NL91ABNA0417164300'],
      crypto: ['BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'],
      plate: ['ab-123-c', 'AB123C'],
      location: ['NL RTM', 'NLRTM'],
      lei: ['529900T8BM49AURSDO55', '529900T8BM49AURSDO55'],
      eori: ['nl 123456789', 'NL123456789'],
      hs: ['0803.90', '080390'],
      url: ['HTTPS://EXAMPLE.com/x', 'https://example.com/x'],
      domain: ['Example.COM', 'example.com'],
      ip: ['2001:DB8::0:1', '2001:db8::1'],
      hash: ['D41D8CD98F00B204E9800998ECF8427E', 'd41d8cd98f00b204e9800998ecf8427e'],
      filename: [' invoice.pdf ', 'invoice.pdf'],
      other: ['  anything at all ', 'anything at all'],
    };
    for (const type of OBSERVABLE_TYPES) {
      const [raw, expected] = samples[type];
      expect(normalizeObservable(type, raw), type).toMatchObject({ ok: true, value: expected });
    }
  });

  it('rejects empty, whitespace-only and overlong input for every type with BAD_FORMAT', () => {
    for (const type of OBSERVABLE_TYPES) {
      for (const raw of ['', '   \n\t ', 'x'.repeat(MAX_INPUT_LENGTH + 1)]) {
        expect(normalizeObservable(type, raw), `${type} ${raw.length}`).toMatchObject({
          ok: false,
          code: 'BAD_FORMAT',
        });
      }
    }
    expect(normalizeObservable('other', 'x'.repeat(MAX_INPUT_LENGTH)).ok).toBe(true);
  });

  it('never throws on hostile input from untyped callers', () => {
    const weird = [
      null,
      undefined,
      42,
      {},
      '\u0000',
      '\uD800',
      '💥'.repeat(100),
      '0x',
      'bc1',
      'T',
      '[',
      '::::',
    ];
    for (const type of OBSERVABLE_TYPES) {
      for (const raw of weird) {
        expect(() => normalizeObservable(type, raw as string), `${type} ${String(raw)}`).not.toThrow();
      }
    }
    expect(normalizeObservable('nope' as ObservableType, 'x')).toMatchObject({
      ok: false,
      code: 'UNKNOWN_TYPE',
    });
    expect(normalizeObservable('__proto__' as ObservableType, 'x')).toMatchObject({
      ok: false,
      code: 'UNKNOWN_TYPE',
    });
  });
});
