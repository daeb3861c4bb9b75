/**
 * The TBML view on hand-built data, on PGlite and PostgreSQL: a customs organisation files 40 ordinary
 * furniture imports on one lane (10.0 … 13.9 EUR/kg) and three priced far off; another customs
 * organisation files its own. Payment records of both organisations name the same companies.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/access/index.ts';
import { buildInput } from '../src/cargo/cargo.fixtures.ts';
import { type DeclarationInput, judgePrice } from '../src/cargo/index.ts';
import { containerCheckDigit } from '../src/identifiers/index.ts';
import { AppError } from '../src/platform/errors.ts';
import { buildOrg, buildUser, type Engine, engines, type TestNode, testNode } from './support/node.ts';

let serial = Math.floor(Math.random() * 800_000);
function container(): string {
  const first10 = `TGHU${String(100_000 + (serial++ % 899_999)).padStart(6, '0')}`;
  return `${first10}${containerCheckDigit(first10)}`;
}
let refs = 0;
const ref = (p: string) => `${p}${Date.now().toString(36)}${refs++}`.toUpperCase().slice(0, 35);

/** Wooden furniture (HS 9403.60) from Shanghai to Rotterdam, 1,000 kg, worth `eurPerKg` per kg. */
function furniture(eurPerKg: number, patch?: (d: DeclarationInput) => void): DeclarationInput {
  return buildInput((d) => {
    d.id = ref('FUR');
    d.container.number = container();
    d.container.seals = [];
    d.goods = {
      description: 'WOODEN FURNITURE',
      hsCode: '9403.60',
      packages: 50,
      grossKg: 1000,
      value: { amount: Math.round(eurPerKg * 1000), currency: 'EUR' },
    };
    d.shipper = { name: 'Ningbo Oak Furniture Co., Ltd.', address: 'Yinzhou 1, Ningbo', country: 'CN' };
    d.consignee = { name: 'Hollands Meubelhuis B.V.', address: 'Keizersgracht 1, Amsterdam', country: 'NL' };
    patch?.(d);
  });
}

const jsonl = (xs: unknown[]) => xs.map((x) => JSON.stringify(x)).join('\n');

const PAYMENTS_A = [
  'date,amount,currency,payer_name,payer_iban,payee_name,payee_iban,reference',
  // the over-invoiced trade's settlement: consignee → shipper (names spelled differently)
  '2024-03-20,480000.00,EUR,ATLAS INTERIEUR BV,NL91ABNA0417164300,Golden Lotus Trading Limited,GB82WEST12345698765432,INV 77',
  // the consignee's account used under another name
  '2024-04-02,95000,EUR,Polaris Holding,NL91ABNA0417164300,Kanal Exchange,DE89370400440532013000,loan',
  // nobody of the declaration
  '2024-04-03,10,EUR,Someone Else,BE68539007547034,Another One,BE71096123456769,x',
].join('\n');

/** B's own payment record naming A's consignee: never shown to A. */
const PAYMENTS_B = [
  'date,amount,currency,payer_name,payer_iban,payee_name,payee_iban',
  '2024-03-21,1,EUR,Atlas Interieur B.V.,FR1420041010050500013M02606,Golden Lotus Trading Ltd,GB82WEST12345698765432',
].join('\n');

describe.each(engines())('TBML view on %s', (engine: Engine) => {
  let t: TestNode;
  let a: Actor;
  let b: Actor;
  const ids: Record<'over' | 'under' | 'mild' | 'otherLane', string> = {
    over: '',
    under: '',
    mild: '',
    otherLane: '',
  };

  beforeAll(async () => {
    t = await testNode(engine);
    a = (await buildUser(t.ctx, { orgId: (await buildOrg(t.ctx, { country: 'NL', kind: 'customs' })).id }))
      .actor;
    b = (await buildUser(t.ctx, { orgId: (await buildOrg(t.ctx, { country: 'BE', kind: 'customs' })).id }))
      .actor;
    const base = Array.from({ length: 40 }, (_, i) => furniture(10 + i / 10));
    const over = furniture(60, (d) => {
      d.shipper = { name: 'Golden Lotus Trading Ltd.', address: 'Nathan Road 5, Hong Kong', country: 'HK' };
      d.consignee = { name: 'Atlas Interieur B.V.', address: 'Havenstraat 3, Rotterdam', country: 'NL' };
    });
    const under = furniture(1, (d) => {
      d.consignee = { name: 'Lowland Trade B.V.', address: 'Dorpsweg 2, Utrecht', country: 'NL' };
    });
    const mild = furniture(20);
    // Same HS code on another lane: that lane has too little history, so the HS code's quartiles apply.
    const otherLane = furniture(70, (d) => {
      d.route = { ...d.route, loading: 'VNSGN', callPorts: [] };
    });
    const r = await t.ctx.cargo.ingestBatch(a, 'jsonl', jsonl([...base, over, under, mild, otherLane]));
    expect(r.accepted).toBe(44);
    const stored = await sql<{ id: string; reference: string }>`
      select id, reference from cargo_declarations where owner_org_id = ${a.orgId}::uuid`.execute(
      t.ctx.database.db,
    );
    const byRef = new Map(stored.rows.map((x) => [x.reference, x.id]));
    ids.over = byRef.get(over.id)!;
    ids.under = byRef.get(under.id)!;
    ids.mild = byRef.get(mild.id)!;
    ids.otherLane = byRef.get(otherLane.id)!;
    // B files the same kind of trade, all ordinary but one, in its own organisation.
    const rb = await t.ctx.cargo.ingestBatch(
      b,
      'jsonl',
      jsonl([...Array.from({ length: 35 }, (_, i) => furniture(10 + i / 10)), furniture(500)]),
    );
    expect(rb.accepted).toBe(36);
    expect((await t.ctx.finance.importPayments(a, PAYMENTS_A)).stored).toBe(3);
    expect((await t.ctx.finance.importPayments(b, PAYMENTS_B)).stored).toBe(1);
  }, 120_000);
  afterAll(async () => t?.close());

  it('flags over- and under-invoicing against the lane quartiles, most extreme first', async () => {
    const v = await t.ctx.finance.tbml(a, {});
    expect(v.scanned).toBe(44);
    expect(v.noBand).toBe(0);
    expect(v.unvalued).toBe(0);
    expect(v.rows.map((r) => r.declarationId)).toEqual([ids.under, ids.otherLane, ids.over]);
    const [under, otherLane, over] = v.rows;
    // 44 samples 1, 10.0 … 13.9, 20, 60, 70: Q1 ≈ 10.9 and Q3 ≈ 13.2 (sketch accuracy 2 %).
    expect(over!.band).toMatchObject({ scope: 'hs+lane', n: 43 });
    expect(over!.band!.q1).toBeGreaterThan(10.6);
    expect(over!.band!.q1).toBeLessThan(11.3);
    expect(over!.band!.q3).toBeGreaterThan(12.8);
    expect(over!.band!.q3).toBeLessThan(13.6);
    expect(over).toMatchObject({ direction: 'over', flagged: true, unitValue: 60, unit: 'kg', hs: '940360' });
    expect(over!.factor).toBeCloseTo(60 / over!.band!.q3, 10);
    expect(over!.factor!).toBeGreaterThan(4.4);
    expect(over!.consignee).toEqual({
      name: 'Atlas Interieur B.V.',
      normName: 'atlas interieur',
      country: 'NL',
    });
    expect(under).toMatchObject({ direction: 'under', flagged: true, unitValue: 1 });
    expect(under!.factor).toBeCloseTo(under!.band!.q1, 10);
    // Another lane with one shipment: judged against the HS code's quartiles over all lanes.
    expect(otherLane!.band).toMatchObject({ scope: 'hs', n: 44 });
    expect(otherLane).toMatchObject({ direction: 'over', lane: 'VNSGN>NLRTM' });
  });

  it('filters by direction, HS prefix, port, dates and factor', async () => {
    expect((await t.ctx.finance.tbml(a, { direction: 'under' })).rows.map((r) => r.declarationId)).toEqual([
      ids.under,
    ]);
    expect((await t.ctx.finance.tbml(a, { direction: 'over', hs: '94' })).rows).toHaveLength(2);
    expect((await t.ctx.finance.tbml(a, { hs: '0803' })).scanned).toBe(0);
    expect((await t.ctx.finance.tbml(a, { port: 'BEANR' })).scanned).toBe(0);
    expect(
      (await t.ctx.finance.tbml(a, { port: 'NLRTM', from: '2024-03-10', to: '2024-03-10' })).scanned,
    ).toBe(44);
    expect((await t.ctx.finance.tbml(a, { from: '2024-03-11' })).scanned).toBe(0);
    // minFactor 1 is Zdanowicz's filter as published: anything outside Q1–Q3, the 20 EUR/kg one too.
    const wide = await t.ctx.finance.tbml(a, { minFactor: 1 });
    expect(wide.rows.map((r) => r.declarationId)).toContain(ids.mild);
    expect(wide.rows.length).toBeGreaterThan(10);
    expect((await t.ctx.finance.tbml(a, {})).rows.map((r) => r.declarationId)).not.toContain(ids.mild);
  });

  it("shows only the actor's organisation's declarations and counts only its payments", async () => {
    const va = await t.ctx.finance.tbml(a, {});
    const over = va.rows.find((r) => r.declarationId === ids.over)!;
    expect(over.payments).toBe(1); // A's settlement; B's record naming the same parties is not counted
    expect(va.rows.find((r) => r.declarationId === ids.under)!.payments).toBe(0);
    const vb = await t.ctx.finance.tbml(b, {});
    expect(vb.scanned).toBe(36);
    expect(vb.rows).toHaveLength(1);
    expect(vb.rows[0]).toMatchObject({ unitValue: 500, direction: 'over' });
    for (const id of Object.values(ids)) expect(vb.rows.map((r) => r.declarationId)).not.toContain(id);
  });

  it('links payments by normalised name, then by the IBANs those payments used', async () => {
    const r = await t.ctx.finance.tbmlPayments(a, ids.over);
    expect(r.declaration).toMatchObject({ declarationId: ids.over, direction: 'over', flagged: true });
    expect(r.payments.map((p) => p.reference)).toEqual(['loan', 'INV 77']);
    const [loan, invoice] = r.payments;
    expect(invoice).toMatchObject({
      amount: '480000.00',
      currency: 'EUR',
      payer: { name: 'ATLAS INTERIEUR BV', iban: 'NL91ABNA0417164300' },
      betweenParties: true,
    });
    expect(invoice!.matches).toEqual([
      { side: 'payer', role: 'consignee', by: 'name' },
      { side: 'payee', role: 'shipper', by: 'name' },
    ]);
    expect(loan).toMatchObject({ betweenParties: false, payer: { name: 'Polaris Holding' } });
    expect(loan!.matches).toEqual([{ side: 'payer', role: 'consignee', by: 'iban' }]);
    // A declaration without matching payments still answers, with its price check.
    const none = await t.ctx.finance.tbmlPayments(a, ids.mild);
    expect(none.payments).toEqual([]);
    expect(none.declaration).toMatchObject({ flagged: false, direction: 'over' });
  });

  it('reads the history of the latest batch (a cached band is not reused once history moved on)', async () => {
    const before = await t.ctx.finance.tbml(b, {});
    expect(before.rows.map((r) => r.unitValue)).toEqual([500]);
    // B's trade moves up: 40 more imports at 450–547.5 EUR/kg; with 76 samples Q3 is about 500, so the
    // 500 EUR/kg import is no longer far off.
    const more = Array.from({ length: 40 }, (_, i) => furniture(450 + i * 2.5));
    expect((await t.ctx.cargo.ingestBatch(b, 'jsonl', jsonl(more))).accepted).toBe(40);
    const after = await t.ctx.finance.tbml(b, {});
    expect(after.scanned).toBe(76);
    expect(after.rows).toEqual([]);
    const wide = await t.ctx.finance.tbml(b, { minFactor: 1 });
    expect(wide.rows.length).toBeGreaterThan(0);
    for (const r of wide.rows) expect(r.band!.q3).toBeGreaterThan(400);
  });

  it('judges a price against the band by factor', () => {
    const band = { q1: 10, q3: 20 };
    expect(judgePrice(15, band, 2)).toEqual({ direction: null, factor: null, flagged: false });
    expect(judgePrice(40, band, 2)).toEqual({ direction: 'over', factor: 2, flagged: true });
    expect(judgePrice(39, band, 2)).toMatchObject({ direction: 'over', flagged: false });
    expect(judgePrice(5, band, 2)).toEqual({ direction: 'under', factor: 2, flagged: true });
    expect(judgePrice(21, band, 1)).toMatchObject({ direction: 'over', flagged: true });
    expect(judgePrice(0, band, 1000)).toEqual({ direction: 'under', factor: null, flagged: true });
  });

  it("answers another organisation's declaration exactly like a missing one", async () => {
    const denied = await t.ctx.finance.tbmlPayments(b, ids.over).catch((e: unknown) => e);
    const missing = await t.ctx.finance
      .tbmlPayments(b, '00000000-0000-4000-8000-000000000000')
      .catch((e: unknown) => e);
    const junk = await t.ctx.finance.tbmlPayments(b, 'not-an-id').catch((e: unknown) => e);
    for (const e of [denied, missing, junk]) {
      expect(e).toBeInstanceOf(AppError);
      expect({ code: (e as AppError).code, message: (e as AppError).message }).toEqual({
        code: 'NOT_FOUND',
        message: 'No such declaration',
      });
    }
  });
});
