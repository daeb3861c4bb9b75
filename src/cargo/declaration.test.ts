import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.ts';
import { bananaInput, buildDeclaration, buildInput } from './cargo.fixtures.ts';
import { DeclarationSchema } from './cargo.schema.ts';
import { createNormalizeCache, diffDeclarations, normalizeDeclaration } from './declaration.ts';

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('DeclarationSchema', () => {
  it('accepts the factory declaration', () => {
    expect(DeclarationSchema.safeParse(buildInput()).success).toBe(true);
  });

  it('rejects unknown fields at any level', () => {
    const top = { ...buildInput(), surprise: 1 };
    expect(DeclarationSchema.safeParse(top).success).toBe(false);
    const nested = buildInput();
    (nested.consignee as unknown as Record<string, unknown>).vat = 'NL1';
    expect(DeclarationSchema.safeParse(nested).success).toBe(false);
  });

  it('rejects a booking after the filing and an amendment newer than the declaration', () => {
    const e = errorOf(() =>
      normalizeDeclaration(
        buildInput((d) => {
          d.times.bookedAt = '2024-03-11';
          d.amendments = [{ version: 3, filedAt: '2024-03-11T00:00:00Z', parts: ['consignee'] }];
        }),
      ),
    );
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.details.map((x) => x.path)).toEqual(
      expect.arrayContaining(['times.bookedAt', 'amendments.0.version']),
    );
  });
});

describe('normalizeDeclaration', () => {
  it('produces the canonical compact form', () => {
    const d = buildDeclaration((x) => {
      x.container.number = 'csqu 305438-3';
      x.vessel.imo = 'IMO 9074729';
      x.route.loading = 'cn sha';
    });
    expect(d.container).toBe('CSQU3054383');
    expect(d.containerOwner).toBe('CSQU');
    expect(d.vesselImo).toBe('IMO9074729');
    expect(d.loading).toBe('CNSHA');
    expect(d.lane).toBe('CNSHA>NLRTM');
    expect(d.hs).toBe('848180');
    expect(d.hsHeading).toBe('8481');
    expect(d.hsChapter).toBe('84');
    expect(d.consignee.key).toBe('van der berg techniek|NL');
    expect(d.consignee.eori).toBe('NL123456789');
    expect(d.weightPerPackage).toBe(45);
    expect(d.valuePerKg).toBe(15);
    expect(d.deepSea).toBe(true);
    expect(d.filedAt).toBe(Date.parse('2024-03-10T08:00:00Z'));
  });

  it('derives reefer from the ISO 6346 size-type code', () => {
    expect(buildDeclaration((d) => (d.container.sizeType = '45R1')).reefer).toBe(true);
    expect(buildDeclaration((d) => (d.container.sizeType = '22r1')).reefer).toBe(true);
    expect(buildDeclaration((d) => (d.container.sizeType = '45G1')).reefer).toBe(false);
  });

  it('converts the declared value to EUR and leaves unknown currencies out', () => {
    const usd = normalizeDeclaration(bananaInput());
    expect(usd.valueEur).toBeCloseTo(14_000 * 0.924, 6);
    const odd = buildDeclaration((d) => (d.goods.value = { amount: 5, currency: 'XTS' }));
    expect(odd.valueEur).toBeNull();
    expect(odd.valuePerKg).toBeNull();
    const none = buildDeclaration((d) => delete d.goods.value);
    expect(none.valuePerKg).toBeNull();
  });

  it('names who pays the freight', () => {
    expect(buildDeclaration().payerRole).toBe('shipper');
    expect(buildDeclaration((d) => (d.freight.payer = { ...d.consignee })).payerRole).toBe('consignee');
    expect(buildDeclaration((d) => (d.freight.payer = { ...(d.notify ?? d.consignee) })).payerRole).toBe(
      'notify',
    );
    const third = buildDeclaration((d) => {
      d.freight = {
        terms: 'collect',
        payer: { name: 'Oasis Holdings LLC', address: 'Tower 3, Dubai', country: 'AE' },
      };
    });
    expect(third.payerRole).toBe('third-party');
    expect(buildDeclaration((d) => delete d.freight.payer).payerRole).toBe('unknown');
  });

  it('reports every bad identifier with its path and the identifiers code', () => {
    const e = errorOf(() =>
      normalizeDeclaration(
        buildInput((d) => {
          d.container.number = 'CSQU3054384';
          d.vessel.imo = '9074728';
          d.route.transshipment = ['QQXXX'];
          d.consignee.eori = 'US123';
        }),
      ),
    );
    expect(e.code).toBe('VALIDATION_FAILED');
    const byPath = Object.fromEntries(e.details.map((x) => [x.path, x.code]));
    expect(byPath['container.number']).toBe('CHECK_DIGIT_MISMATCH');
    expect(byPath['vessel.imo']).toBe('CHECK_DIGIT_MISMATCH');
    expect(byPath['route.transshipment.0']).toBe('UNKNOWN_COUNTRY');
    expect(byPath['consignee.eori']).toBe('UNKNOWN_COUNTRY');
  });

  it('needs a 6-digit HS code and keeps the first 6 of a longer one', () => {
    const e = errorOf(() => normalizeDeclaration(buildInput((d) => (d.goods.hsCode = '0803'))));
    expect(e.details[0]?.path).toBe('goods.hsCode');
    expect(buildDeclaration((d) => (d.goods.hsCode = '0803 90 10 00')).hs).toBe('080390');
  });

  it('gives the same result with a cache, and reuses party objects', () => {
    const cache = createNormalizeCache();
    const a = normalizeDeclaration(buildInput(), { cache });
    const b = normalizeDeclaration(
      buildInput((d) => (d.id = 'X2')),
      { cache },
    );
    expect(a).toEqual(normalizeDeclaration(buildInput()));
    expect(b.consignee).toBe(a.consignee);
  });

  it('keeps each memo within its bound by starting it afresh, with the same results', () => {
    const cache = createNormalizeCache(10);
    for (let i = 0; i < 25; i++) {
      const name = `Consignee Number ${i} B.V.`;
      const d = normalizeDeclaration(
        buildInput((x) => {
          x.id = `M${i}`;
          x.consignee = { ...x.consignee, name };
        }),
        { cache },
      );
      expect(d).toEqual(
        normalizeDeclaration(
          buildInput((x) => {
            x.id = `M${i}`;
            x.consignee = { ...x.consignee, name };
          }),
        ),
      );
      expect(cache.names.size).toBeLessThanOrEqual(10);
      expect(cache.parties.size).toBeLessThanOrEqual(10);
      // A full memo is started afresh rather than frozen: the latest name is always remembered.
      expect(cache.names.has(name)).toBe(true);
    }
  });

  it('sorts the amendment trail', () => {
    const d = buildDeclaration((x) => {
      x.version = 3;
      x.amendments = [
        { version: 3, filedAt: '2024-04-11T00:00:00Z', parts: ['notify'] },
        { version: 2, filedAt: '2024-03-11T00:00:00Z', parts: ['goods'] },
      ];
    });
    expect(d.amendments.map((a) => a.version)).toEqual([2, 3]);
  });
});

describe('diffDeclarations', () => {
  it('names the parts that changed between two versions', () => {
    const a = buildDeclaration();
    const b = buildDeclaration((d) => {
      d.version = 2;
      d.consignee = { name: 'Other Importer B.V.', address: 'Kade 1, Rotterdam', country: 'NL' };
      d.goods.grossKg = 18_500;
    });
    expect(diffDeclarations(a, b)).toEqual(['consignee', 'goods']);
    expect(diffDeclarations(a, a)).toEqual([]);
  });
});
