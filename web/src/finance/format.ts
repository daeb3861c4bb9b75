import type { FinanceChain } from '../api/finance.ts';

const SATS_PER_BTC = 100_000_000;

/**
 * A ledger amount for people: satoshis as BTC (up to 8 decimals, grouped in the UI language); other
 * units (tokens traced on account chains) as the number with the unit's name.
 */
export function formatAmount(value: number, unit: string, language: string): string {
  if (unit === 'sat') {
    const btc = new Intl.NumberFormat(language, { maximumFractionDigits: 8 }).format(value / SATS_PER_BTC);
    return `${btc} BTC`;
  }
  const n = new Intl.NumberFormat(language, { maximumFractionDigits: 6 }).format(value);
  return unit ? `${n} ${unit}` : n;
}

/** An alert amount: a decimal string, in satoshis on Bitcoin, in token units on account chains. */
export function formatAlertAmount(amount: string, chain: FinanceChain, language: string): string {
  const n = Number(amount);
  if (!Number.isFinite(n)) return amount;
  return chain === 'btc' ? formatAmount(n, 'sat', language) : formatAmount(n, '', language);
}

/** Unix seconds as a short date and time in the UI language. */
export function formatUnixTime(seconds: number | null, language: string): string {
  if (seconds === null) return '—';
  return new Intl.DateTimeFormat(language, {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(new Date(seconds * 1000));
}

/** Long identifiers (addresses, txids) shortened for graph labels; tables show them in full. */
export function shortId(id: string, keep = 6): string {
  return id.length <= keep * 2 + 1 ? id : `${id.slice(0, keep)}…${id.slice(-keep)}`;
}

/** What the search box holds: a transaction id, a cluster or an address. */
export type Subject =
  | { kind: 'tx'; value: string }
  | { kind: 'cluster'; value: string; clusterId: number }
  | { kind: 'address'; value: string };

export function parseSubject(raw: string): Subject | null {
  const s = raw.trim();
  if (!s) return null;
  if (/^[0-9a-fA-F]{64}$/.test(s)) return { kind: 'tx', value: s.toLowerCase() };
  const cluster = /^(?:cluster:)?(\d+)$/i.exec(s);
  if (cluster) return { kind: 'cluster', value: `cluster:${cluster[1]}`, clusterId: Number(cluster[1]) };
  return { kind: 'address', value: s };
}

/**
 * Colours per tag category, shared by the graph, its legend and the exposure bars. Risky categories
 * are warm, services cool; anything else gets a neutral colour.
 */
const CATEGORY_COLOURS: Record<string, string> = {
  exchange: '#1c7ed6',
  mixer: '#e8590c',
  coinjoin: '#e8590c',
  'darknet market': '#c2255c',
  darknet_market: '#c2255c',
  market: '#c2255c',
  sanctioned: '#c92a2a',
  ransomware: '#a61e4d',
  terrorism: '#a61e4d',
  scam: '#d6336c',
  abuse: '#f03e3e',
  gambling: '#9c36b5',
  mining_pool: '#2b8a3e',
  miner: '#2b8a3e',
  payment_processor: '#0c8599',
  wallet_service: '#1098ad',
};
export const UNTAGGED_COLOUR = '#868e96';
export const TX_COLOUR = '#ced4da';
export const SOURCE_COLOUR = '#f59f00';

export function categoryColour(category: string | null): string {
  if (!category) return UNTAGGED_COLOUR;
  return CATEGORY_COLOURS[category] ?? '#5f3dc4';
}

/** An exposure reason read back into its parts (see ExposureCard); null when it is none of the known forms. */
export type Reason =
  | { kind: 'sent' | 'received'; percent: string; category: string; hops: string }
  | { kind: 'none'; hops: string }
  | { kind: 'tagged'; address: string; category: string };

/**
 * The server words exposure reasons in English from a few fixed sentences; reading them back into
 * their parts lets the UI say them in the user's language.
 */
export function parseReason(reason: string): Reason | null {
  let m = /^([\d.]+)% of the value sent reached (.+) within (\d+) hops$/.exec(reason);
  if (m) return { kind: 'sent', percent: m[1]!, category: m[2]!, hops: m[3]! };
  m = /^([\d.]+)% of the value received came from (.+) within (\d+) hops$/.exec(reason);
  if (m) return { kind: 'received', percent: m[1]!, category: m[2]!, hops: m[3]! };
  m = /^no exposure to tagged risky categories within (\d+) hops$/.exec(reason);
  if (m) return { kind: 'none', hops: m[1]! };
  m = /^(\S+) is tagged (.+)$/.exec(reason);
  if (m) return { kind: 'tagged', address: m[1]!, category: m[2]! };
  return null;
}
