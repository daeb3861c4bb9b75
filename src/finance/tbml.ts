/**
 * Trade-based money laundering (TBML): the finance side of the cargo price filter.
 *
 * Declarations come from the cargo module (its read-only `priceOutliers` / `priceCheckOf`, which read
 * only the actor's own organisation's declarations and use the quartiles the cargo risk score uses).
 * Payment records come from `finance_payments` of the actor's organisation only: financial-intelligence
 * data never crosses organisations, whatever the declaration.
 *
 * Linking a declaration to payments:
 * - by name: a payment whose payer or payee folded name (identifiers.normalizeCompanyName, stored at
 *   import) equals the shipper's or consignee's normalised name on the declaration (the same function,
 *   so 'Van der Berg Techniek B.V.' and 'VAN DER BERG TECHNIEK BV' meet);
 * - by IBAN: declarations carry no bank account, so the IBANs come from the payments matched by name
 *   (the account the party used on that side); any other payment of the organisation to or from one of
 *   those IBANs is linked too, whatever name it was made under (a front paying from the same account).
 * A payment from the consignee to the shipper (or the reverse) is the trade's own settlement: it is
 * marked `betweenParties`.
 */
import { sql } from 'kysely';
import type { Actor } from '../access/index.ts';
import { type AuditLog, subjectOf } from '../audit/index.ts';
import type { CargoService, PriceCheck, PriceOutlierQuery, PriceOutlierReport } from '../cargo/index.ts';
import { requirePermission } from '../identity/index.ts';
import type { Db } from '../platform/database.ts';

export type PartyRole = 'shipper' | 'consignee';

export interface PaymentMatch {
  side: 'payer' | 'payee';
  role: PartyRole;
  by: 'name' | 'iban';
}

export interface LinkedPayment {
  id: string;
  date: string;
  amount: string;
  currency: string;
  payer: { name: string; iban: string };
  payee: { name: string; iban: string };
  reference: string;
  batchId: string;
  row: number;
  matches: PaymentMatch[];
  /** Payer and payee are the declaration's two parties (consignee → shipper, or the reverse). */
  betweenParties: boolean;
}

export interface TbmlRow extends PriceCheck {
  /** Payment records of the actor's organisation whose payer or payee name matches a party. */
  payments: number;
}

export interface TbmlReport extends Omit<PriceOutlierReport, 'outliers'> {
  rows: TbmlRow[];
}

/** Payments listed for one declaration at most. */
export const MAX_LINKED_PAYMENTS = 500;

interface PaymentRow {
  id: string;
  batch_id: string;
  row_number: number;
  date: string;
  amount: string;
  currency: string;
  payer_name: string;
  payer_name_folded: string;
  payer_iban: string;
  payee_name: string;
  payee_name_folded: string;
  payee_iban: string;
  reference: string;
}

/** How many of the organisation's payments name each of `names` as payer or payee (one query). */
async function paymentCountsByName(
  db: Db,
  orgId: string,
  names: readonly string[],
): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  if (names.length === 0) return out;
  const res = await sql<{ id: string; payer_name_folded: string; payee_name_folded: string }>`
    select id, payer_name_folded, payee_name_folded from finance_payments
    where org_id = ${orgId}
      and (payer_name_folded = any(${[...names]}::text[]) or payee_name_folded = any(${[...names]}::text[]))`.execute(
    db,
  );
  for (const r of res.rows) {
    for (const n of new Set([r.payer_name_folded, r.payee_name_folded])) {
      const s = out.get(n) ?? new Set<string>();
      s.add(r.id);
      out.set(n, s);
    }
  }
  return out;
}

/** What the view needs of the cargo module: its price checks, against the scorer's own history. */
export type PriceChecks = Pick<CargoService, 'priceOutliers' | 'priceCheckOf'>;

/** Over- and under-invoiced declarations of the actor's organisation with their linked-payment counts. */
export async function tbmlView(
  db: Db,
  audit: AuditLog,
  checks: PriceChecks,
  actor: Actor,
  q: PriceOutlierQuery,
): Promise<TbmlReport> {
  requirePermission(actor, 'items:read');
  return db.transaction().execute(async (tx) => {
    const report = await checks.priceOutliers(actor, q, tx);
    const names = new Set<string>();
    for (const o of report.outliers) names.add(o.shipper.normName).add(o.consignee.normName);
    const byName = await paymentCountsByName(tx, actor.orgId, [...names]);
    const rows = report.outliers.map((o) => {
      const ids = new Set([
        ...(byName.get(o.shipper.normName) ?? []),
        ...(byName.get(o.consignee.normName) ?? []),
      ]);
      return { ...o, payments: ids.size };
    });
    await audit.append(tx, subjectOf(actor), {
      action: 'consultation',
      objectType: 'cargo_price_outliers',
      objectId: null,
      details: {
        port: q.port ?? null,
        hs: q.hs ?? null,
        direction: q.direction ?? null,
        from: q.from ?? null,
        to: q.to ?? null,
        results: rows.length,
      },
    });
    const { outliers: _, ...counts } = report;
    return { ...counts, rows };
  });
}

function matchesOf(r: PaymentRow, d: PriceCheck, ibans: Map<string, Set<PartyRole>>): PaymentMatch[] {
  const out: PaymentMatch[] = [];
  const sides = [
    ['payer', r.payer_name_folded, r.payer_iban],
    ['payee', r.payee_name_folded, r.payee_iban],
  ] as const;
  for (const [side, name, iban] of sides) {
    for (const role of ['shipper', 'consignee'] as const) {
      if (name === d[role].normName) out.push({ side, role, by: 'name' });
      else if (ibans.get(iban)?.has(role)) out.push({ side, role, by: 'iban' });
    }
  }
  return out;
}

/**
 * A declaration's price check and the payments of the actor's organisation linked to its shipper and
 * consignee; null (after auditing the denial) when the declaration is missing or another organisation's,
 * which the caller answers alike.
 */
export async function tbmlPayments(
  db: Db,
  audit: AuditLog,
  checks: PriceChecks,
  actor: Actor,
  declarationId: string,
) {
  requirePermission(actor, 'items:read');
  return db.transaction().execute(async (tx) => {
    const declaration = await checks.priceCheckOf(actor, declarationId, tx);
    if (declaration === null) {
      await audit.append(tx, subjectOf(actor), {
        action: 'access_denied',
        objectType: 'cargo_declaration',
        objectId: declarationId.slice(0, 64),
      });
      return null;
    }
    const names = [...new Set([declaration.shipper.normName, declaration.consignee.normName])];
    const cols = sql`id, batch_id, row_number, date::text as date, amount::text as amount, currency,
      payer_name, payer_name_folded, payer_iban, payee_name, payee_name_folded, payee_iban, reference`;
    const byName = await sql<PaymentRow>`
      select ${cols} from finance_payments
      where org_id = ${actor.orgId}
        and (payer_name_folded = any(${names}::text[]) or payee_name_folded = any(${names}::text[]))
      order by date desc, imported_at desc, row_number
      limit ${MAX_LINKED_PAYMENTS}`.execute(tx);
    // The accounts each party used, from the payments that name it.
    const ibans = new Map<string, Set<PartyRole>>();
    const addIban = (iban: string, role: PartyRole) => {
      const s = ibans.get(iban) ?? new Set<PartyRole>();
      s.add(role);
      ibans.set(iban, s);
    };
    for (const r of byName.rows) {
      for (const role of ['shipper', 'consignee'] as const) {
        const n = declaration[role].normName;
        if (r.payer_name_folded === n) addIban(r.payer_iban, role);
        if (r.payee_name_folded === n) addIban(r.payee_iban, role);
      }
    }
    const seen = new Set(byName.rows.map((r) => r.id));
    const list = [...ibans.keys()];
    const byIban =
      list.length === 0
        ? []
        : (
            await sql<PaymentRow>`
              select ${cols} from finance_payments
              where org_id = ${actor.orgId}
                and (payer_iban = any(${list}::text[]) or payee_iban = any(${list}::text[]))
              order by date desc, imported_at desc, row_number
              limit ${MAX_LINKED_PAYMENTS}`.execute(tx)
          ).rows.filter((r) => !seen.has(r.id));
    const rows = [...byName.rows, ...byIban]
      .sort((a, b) => b.date.localeCompare(a.date) || a.row_number - b.row_number)
      .slice(0, MAX_LINKED_PAYMENTS);
    const payments: LinkedPayment[] = rows.map((r) => {
      const matches = matchesOf(r, declaration, ibans);
      const has = (side: 'payer' | 'payee', role: PartyRole) =>
        matches.some((m) => m.side === side && m.role === role);
      return {
        id: r.id,
        date: r.date,
        amount: r.amount,
        currency: r.currency,
        payer: { name: r.payer_name, iban: r.payer_iban },
        payee: { name: r.payee_name, iban: r.payee_iban },
        reference: r.reference,
        batchId: r.batch_id,
        row: r.row_number,
        matches,
        betweenParties:
          declaration.shipper.normName !== declaration.consignee.normName &&
          ((has('payer', 'consignee') && has('payee', 'shipper')) ||
            (has('payer', 'shipper') && has('payee', 'consignee'))),
      };
    });
    await audit.append(tx, subjectOf(actor), {
      action: 'consultation',
      objectType: 'cargo_declaration',
      objectId: declaration.declarationId,
      details: { view: 'tbml-payments', payments: payments.length },
    });
    return { declaration, payments };
  });
}
