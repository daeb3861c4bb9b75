import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildOrg,
  buildUser,
  type Engine,
  engines,
  login,
  type Session,
  type TestNode,
  testApp,
  testNode,
} from './support/node.ts';

const CSV = [
  'date,amount,currency,payer_name,payer_iban,payee_name,payee_iban,reference',
  '2026-01-15,12500.00,eur,Frutas del Pacífico S.A.C.,NL91 ABNA 0417 1643 00,Müller GmbH,DE89370400440532013000,INV 2026-001',
  '2026-01-16,900,EUR,Jan Janssens,BE68539007547034,"Frutas Del Pacifico, SAC",NL91ABNA0417164300,',
  '2026-02-30,1,EUR,A,BE68539007547034,B,NL91ABNA0417164300,bad date',
  '2026-01-17,5,EUR,A,BE68539007547035,B,NL91ABNA0417164300,bad IBAN check digits',
  '2026-01-18,-5,EUR,A,BE68539007547034,B,NL91ABNA0417164300,negative',
  '2026-01-19,5,EURO,A,BE68539007547034,B,NL91ABNA0417164300,bad currency',
  '2026-01-20,5,EUR,...,BE68539007547034,B,NL91ABNA0417164300,empty name',
  '2026-01-21,5,EUR,A,,B,NL91ABNA0417164300,missing IBAN',
].join('\n');

describe.each(engines())('payment records on %s', (engine: Engine) => {
  let node: TestNode;
  let app: FastifyInstance;
  let fiu: Session;
  let other: Session;

  beforeAll(async () => {
    node = await testNode(engine);
    app = await testApp(node.ctx);
    const orgF = await buildOrg(node.ctx, { kind: 'fiu' });
    const orgO = await buildOrg(node.ctx, { kind: 'police' });
    const uf = await buildUser(node.ctx, { orgId: orgF.id });
    const uo = await buildUser(node.ctx, { orgId: orgO.id });
    fiu = await login(app, node.ctx, uf.username, uf.totpSecret);
    other = await login(app, node.ctx, uo.username, uo.totpSecret);
  });
  afterAll(async () => {
    await app.close();
    await node.close();
  });

  it('stores good rows, quarantines bad ones with row, field and reason', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/finance/payments',
      headers: fiu.headers,
      payload: { text: CSV },
    });
    expect(r.statusCode).toBe(200);
    const body = r.json() as { stored: number; quarantined: { path: string; code?: string }[] };
    expect(body.stored).toBe(2);
    expect(body.quarantined.map((q) => q.path)).toEqual([
      'row 3.date',
      'row 4.payer_iban',
      'row 5.amount',
      'row 6.currency',
      'row 7.payer_name',
      'row 8.payer_iban',
    ]);
    expect(body.quarantined[1]!.code).toBe('CHECK_DIGIT_MISMATCH');
  });

  it('finds payments by folded party name and by IBAN in any spacing, for the importing organisation only', async () => {
    const byName = await app.inject({
      method: 'GET',
      url: `/api/finance/payments?party=${encodeURIComponent('FRUTAS DEL PACIFICO')}`,
      headers: fiu.headers,
    });
    expect(byName.statusCode).toBe(200);
    const rows = byName.json() as {
      date: string;
      amount: string;
      currency: string;
      payer: { name: string; iban: string };
      payee: { name: string; iban: string };
      row: number;
    }[];
    // Newest first; the legal form and the diacritics do not matter.
    expect(rows.map((p) => [p.date, p.amount, p.currency, p.row])).toEqual([
      ['2026-01-16', '900', 'EUR', 2],
      ['2026-01-15', '12500.00', 'EUR', 1],
    ]);
    expect(rows[1]!.payer).toEqual({ name: 'Frutas del Pacífico S.A.C.', iban: 'NL91ABNA0417164300' });
    const byIban = await app.inject({
      method: 'GET',
      url: `/api/finance/payments?iban=${encodeURIComponent('de89 3704 0044 0532 0130 00')}`,
      headers: fiu.headers,
    });
    expect((byIban.json() as unknown[]).length).toBe(1);
    const bad = await app.inject({
      method: 'GET',
      url: '/api/finance/payments?iban=DE00370400440532013000',
      headers: fiu.headers,
    });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { code: string }).code).toBe('INVALID_IDENTIFIER');

    // Another organisation gets exactly what it gets for a party nobody paid: nothing.
    for (const q of ['party=frutas', 'iban=NL91ABNA0417164300', '']) {
      const r = await app.inject({
        method: 'GET',
        url: `/api/finance/payments?${q}`,
        headers: other.headers,
      });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toEqual([]);
    }
  });

  it('accepts JSON Lines and audits the import and the query', async () => {
    const jsonl = [
      JSON.stringify({
        date: '2026-03-01',
        amount: '42.5',
        currency: 'USD',
        payer_name: 'Exportadora Andina Ltda.',
        payer_iban: 'GB82WEST12345698765432',
        payee_name: 'Jan Janssens',
        payee_iban: 'BE68539007547034',
      }),
      '{not json',
    ].join('\n');
    const r = await app.inject({
      method: 'POST',
      url: '/api/finance/payments',
      headers: fiu.headers,
      payload: { text: jsonl },
    });
    expect(r.json()).toMatchObject({ stored: 1, quarantined: [{ path: 'row 2.$' }] });
    const list = await app.inject({
      method: 'GET',
      url: '/api/finance/payments?party=janssens',
      headers: fiu.headers,
    });
    expect((list.json() as { reference: string }[]).length).toBe(2);
    const audit = await node.ctx.database.db
      .withTables<{ audit_log: { object_type: string; action: string } }>()
      .selectFrom('audit_log')
      .select(['action'])
      .where('object_type', '=', 'finance_payments')
      .execute();
    expect(audit.filter((a) => a.action === 'collection').length).toBe(2);
    expect(audit.filter((a) => a.action === 'consultation').length).toBeGreaterThan(0);
  });
});
