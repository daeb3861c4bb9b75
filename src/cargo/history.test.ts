import { describe, expect, it } from 'vitest';
import { buildDeclaration } from './cargo.fixtures.ts';
import type { Declaration } from './declaration.ts';
import { Hash64Map } from './hash64.ts';
import { History, type HistoryJSON, sealProblem } from './history.ts';
import { LogHistogram } from './sketch.ts';

const DAY = 86_400_000;

function variant(base: Declaration, i: number, patch: Partial<Declaration> = {}): Declaration {
  return { ...base, id: `H${i}`, filedAt: base.filedAt + i * DAY, seals: [`ML${1_000_000 + i}`], ...patch };
}

describe('History', () => {
  it('knows nothing at first', () => {
    const d = buildDeclaration();
    const f = new History().features(d);
    expect(f.consignee).toBeNull();
    expect(f.shipper).toBeNull();
    expect(f.pairShipments).toBe(0);
    expect(f.laneShipments).toBe(0);
    expect(f.laneTransshipmentShare).toBeNull();
    expect(f.valuePerKg).toBeNull();
    expect(f.reusedSeal).toBeNull();
  });

  it('keeps first-seen, counts by role and shipper–consignee pairs', () => {
    const base = buildDeclaration();
    const h = new History();
    for (let i = 0; i < 3; i++) h.observe(variant(base, i));
    const later = variant(base, 10);
    const f = h.features(later);
    expect(f.consignee?.firstSeen).toBe(base.filedAt);
    expect(f.consignee?.asConsignee).toBe(3);
    expect(f.shipper?.asShipper).toBe(3);
    expect(f.notify?.asNotify).toBe(3);
    expect(f.pairShipments).toBe(3);
    const otherShipper = { ...base.shipper, key: 'someone else|CN' };
    expect(h.features({ ...later, shipper: otherShipper }).pairShipments).toBe(0);
    expect(h.party(base.consignee.key)?.lastSeen).toBe(base.filedAt + 2 * DAY);
  });

  it('finds a party by its key when the same party object is filed under another key', () => {
    const base = buildDeclaration();
    const h = new History();
    h.observe(variant(base, 0));
    const key = base.consignee.key;
    const moved = variant(base, 1);
    expect(h.features(moved).consignee?.asConsignee).toBe(1);
    // The same party object, changed in place after history met it.
    (moved.consignee as { key: string }).key = 'another consignee|NL';
    expect(h.features(moved).consignee).toBeNull();
    h.observe(moved);
    expect(h.party('another consignee|NL')?.asConsignee).toBe(1);
    expect(h.party(key)?.asConsignee).toBe(1);
  });

  it('keeps lane transshipment and commodity shares', () => {
    const base = buildDeclaration();
    const h = new History();
    for (let i = 0; i < 100; i++) {
      h.observe(
        variant(base, i, { transshipment: i < 10 ? ['LKCMB'] : [], hsHeading: i < 99 ? '8481' : '0803' }),
      );
    }
    const f = h.features(variant(base, 200, { transshipment: ['LKCMB', 'MAPTM'] }));
    expect(f.laneShipments).toBe(100);
    expect(f.laneTransshipmentShare).toBe(0);
    expect(f.rarestTransshipmentPort).toBe('MAPTM');
    expect(h.features(variant(base, 201, { transshipment: ['LKCMB'] })).laneTransshipmentShare).toBeCloseTo(
      0.1,
    );
    expect(h.features(variant(base, 202, { hsHeading: '0803' })).laneHeadingShare).toBeCloseTo(0.01);
  });

  it('gives quartiles per HS code on the lane, else per HS code, once there are enough samples', () => {
    const base = buildDeclaration();
    const h = new History({ minSamples: 30 });
    for (let i = 0; i < 29; i++)
      h.observe(variant(base, i, { valuePerKg: 10 + (i % 10), weightPerPackage: 45 }));
    expect(h.features(base).valuePerKg).toBeNull();
    h.observe(variant(base, 29, { valuePerKg: 15, weightPerPackage: 45 }));
    const q = h.features(base).valuePerKg;
    expect(q?.scope).toBe('hs+lane');
    expect(q?.q1).toBeGreaterThan(11.5);
    expect(q?.q3).toBeLessThan(17.5);
    const otherLane = { ...base, lane: 'KRPUS>NLRTM', hsLane: `${base.hs}@KRPUS>NLRTM` };
    expect(h.features(otherLane).valuePerKg?.scope).toBe('hs');
    expect(h.features({ ...otherLane, valuePerKg: null }).valuePerKg).toBeNull();
  });

  it('flags a seal number already declared on another shipment, not on the same one', () => {
    const base = buildDeclaration();
    const h = new History();
    h.observe({ ...base, seals: ['FX7654321'] });
    expect(h.features({ ...base, seals: ['FX7654321'] }).reusedSeal).toBeNull();
    expect(h.features({ ...base, id: 'other', seals: ['AB1', 'FX7654321'] }).reusedSeal).toBe('FX7654321');
    h.observe({ ...base, id: 'x', seals: ['NA'] });
    expect(h.features({ ...base, id: 'y', seals: ['NA'] }).reusedSeal).toBeNull();
  });

  it('round-trips through JSON with identical features', () => {
    const base = buildDeclaration();
    const h = new History();
    for (let i = 0; i < 80; i++) {
      h.observe(variant(base, i, { transshipment: i % 4 === 0 ? ['SGSIN'] : [], valuePerKg: 10 + (i % 7) }));
    }
    const json = JSON.parse(JSON.stringify(h.toJSON()));
    const back = History.fromJSON(json);
    const probe = variant(base, 500, { transshipment: ['SGSIN'], seals: ['ML1000003'] });
    expect(back.features(probe)).toEqual(h.features(probe));
    expect(back.size).toBe(80);
    expect(JSON.stringify(back.toJSON())).toBe(JSON.stringify(h.toJSON()));
    expect(() => History.fromJSON({ ...json, formatVersion: 2 })).toThrow(TypeError);
  });
});

describe('sealProblem', () => {
  it('accepts carrier seals and flags placeholders and malformed numbers', () => {
    expect(sealProblem('ML-1234567')).toBeNull();
    expect(sealProblem('FX12345678')).toBeNull();
    expect(sealProblem('N/A')).toBe('placeholder');
    expect(sealProblem('12')).toBe('length');
    expect(sealProblem('AB/12345')).toBe('characters');
    expect(sealProblem('ABCDEF12')).toBe('too few digits');
    expect(sealProblem('0000000')).toBe('repeated digit');
  });

  it('reads a snapshot in the stored format and writes it back unchanged', () => {
    // A snapshot as stored (format version 1), written by hand: a consignee with more suppliers
    // than are kept inline or scanned, an HS distribution on a lane and one for the HS code alone.
    const sketch = (from: number, n: number) => {
      const h = new LogHistogram(0.02);
      for (let i = 0; i < n; i++) h.add(from + (i % 10));
      return h.toJSON();
    };
    const shippers = Array.from({ length: 12 }, (_, i) => `shipper ${i}|CN`);
    const json: HistoryJSON = {
      format: 'portshield.cargo.history',
      formatVersion: 1,
      minSamples: 30,
      sketchAlpha: 0.02,
      observed: 78,
      parties: [
        ['acme|BE', 1_000, 9_000, 0, 78, 0],
        ...shippers.map((k, i): [string, number, number, number, number, number] => [
          k,
          1_000,
          9_000,
          i + 1,
          0,
          0,
        ]),
      ],
      pairs: shippers.map((k, i): [string, string, number] => [k, 'acme|BE', i + 1]),
      lanes: [['CNSHA>BEANR', 78, [['SGSIN', 8]], [['0803', 78]]]],
      hs: [
        ['080390', sketch(100, 40), sketch(10, 40)],
        ['080390@CNSHA>BEANR', sketch(50, 40), sketch(20, 40)],
      ],
      seals: new Hash64Map(16).toJSON(),
    };
    const h = History.fromJSON(JSON.parse(JSON.stringify(json)));
    expect(h.toJSON()).toEqual(json);
    const base = buildDeclaration();
    const d: Declaration = {
      ...base,
      shipper: { ...base.shipper, key: 'shipper 10|CN' },
      consignee: { ...base.consignee, key: 'acme|BE' },
      notify: null,
      lane: 'CNSHA>BEANR',
      hs: '080390',
      hsHeading: '0803',
      hsLane: '080390@CNSHA>BEANR',
      transshipment: ['SGSIN'],
      valuePerKg: 52,
    };
    const f = h.features(d);
    expect(f.pairShipments).toBe(11);
    expect(f.consignee?.asConsignee).toBe(78);
    expect(f.laneShipments).toBe(78);
    expect(f.laneTransshipmentShare).toBeCloseTo(8 / 78, 12);
    expect(f.laneHeadingShare).toBe(1);
    expect(f.valuePerKg?.scope).toBe('hs+lane');
    expect(f.weightPerPackage?.scope).toBe('hs+lane');
    const elsewhere = { ...d, lane: 'ECGYE>BEANR', hsLane: '080390@ECGYE>BEANR' };
    expect(h.features(elsewhere).valuePerKg?.scope).toBe('hs');
    expect(h.features(elsewhere).weightPerPackage?.scope).toBe('hs');
    // New shipments: an existing pair grows in place, a new supplier is appended in order.
    h.observe(d);
    h.observe({ ...d, id: 'new', shipper: { ...d.shipper, key: 'newcomer|CN' } });
    const after = h.toJSON();
    expect(after.pairs.slice(-3)).toEqual([
      ['shipper 10|CN', 'acme|BE', 12],
      ['shipper 11|CN', 'acme|BE', 12],
      ['newcomer|CN', 'acme|BE', 1],
    ]);
    expect(after.hs.map((x) => x[0])).toEqual(['080390', '080390@CNSHA>BEANR']);
    expect(after.lanes[0]?.[1]).toBe(80);
    expect(History.fromJSON(after).toJSON()).toEqual(after);
  });
});
