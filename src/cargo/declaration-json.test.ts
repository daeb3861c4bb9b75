import { describe, expect, it } from 'vitest';
import { BinaryCopyWriter } from '../platform/pg-copy.ts';
import { bananaInput } from './cargo.fixtures.ts';
import {
  createNormalizeCache,
  type Declaration,
  normalizeDeclaration,
  normalizeParsedDeclaration,
} from './declaration.ts';
import { writeDeclarationJson } from './declaration-json.ts';
import { createWorld } from './synthetic.ts';

/** The text field as written: the bytes after the COPY header and the length in front of them. */
function written(d: Declaration): string {
  const w = new BinaryCopyWriter();
  writeDeclarationJson(w, d);
  const all = Buffer.concat(w.end());
  const length = all.readInt32BE(19);
  expect(all.length).toBe(19 + 4 + length + 2);
  return all.subarray(23, 23 + length).toString('utf8');
}

describe('writeDeclarationJson', () => {
  it('writes exactly what JSON.stringify writes, for every declaration of a synthetic world', () => {
    const cache = createNormalizeCache();
    const world = createWorld({ seed: 9, declarations: 3_000, days: 60, contaminationRate: 0.02 });
    let n = 0;
    for (const raw of world.declarations()) {
      const d = normalizeParsedDeclaration(raw, { cache });
      // Twice: the second time its parties come from the memo of parties already encoded.
      expect(written(d)).toBe(JSON.stringify(d));
      expect(written(d)).toBe(JSON.stringify(d));
      // As read back from storage (no shared party objects).
      expect(written(JSON.parse(JSON.stringify(d)) as Declaration)).toBe(JSON.stringify(d));
      n++;
    }
    expect(n).toBe(3_000);
  });

  it('covers the optional parts, amendments, numbers and text that needs escaping', () => {
    const d = normalizeDeclaration(
      bananaInput((x) => {
        x.vessel.name = undefined;
        x.transportDocuments.houseBl = undefined;
        x.notify = {
          name: 'Notify "quoted" \\ party',
          address: 'Line 1\nLine 2\t✓ 東京 𝄞',
          country: 'NL',
          phone: '+31 10 123 4567',
        };
        x.goods.value = { amount: 1234.5678, currency: 'USD' };
        x.goods.grossKg = 0.001;
        x.freight.payer = undefined;
        x.times.etd = undefined;
        x.goods.description = 'Bananas \u2028 line separator, \u0001 control, é and ł';
        x.version = 3;
        x.amendments = [{ version: 2, filedAt: '2024-04-10T10:00:00Z', parts: ['consignee', 'goods'] }];
      }),
    );
    expect(written(d)).toBe(JSON.stringify(d));
    const amended = {
      ...d,
      amendments: [...d.amendments, { version: 3, filedAt: d.filedAt, parts: ['other' as const] }],
    };
    expect(written(amended)).toBe(JSON.stringify(amended));
    const odd = { ...d, bookedAt: -1, valueEur: Number.NaN, packages: 2 ** 53, seals: ['A"B', 'ü', ''] };
    expect(written(odd)).toBe(JSON.stringify(odd));
  });
});
