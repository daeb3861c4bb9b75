// Financial flows: addresses, clusters, tags, exposure, traces, paths, watches and alerts
// (`/api/finance/*`). Types written by hand from the finance routes; the client never imports server code.
import { apiBlob, apiRequest } from './client.ts';
import type { Tlp } from './types.ts';

export type FinanceChain = 'btc' | 'eth' | 'tron';
export type TraceDirection = 'forward' | 'backward';
export type TaintModel = 'poison' | 'haircut' | 'fifo';
export type TraceExportFormat = 'csv' | 'graphml';

/** A tag visible to the user (tags are shared intelligence with a marking, read through need to know). */
export interface FinanceTag {
  id: string;
  address: string | null;
  clusterId: number;
  label: string;
  category: string | null;
  abuse: string | null;
  source: string | null;
  confidence: string | null;
  isClusterDefiner: boolean;
  tagpack: string | null;
  ownerOrgId: string;
  tlp: Tlp;
  handlingCode: string | null;
  createdAt: string;
}

export interface FinanceAddress {
  address: string;
  chain: FinanceChain;
  addressId: number;
  clusterId: number;
  clusterSize: number;
  tags: FinanceTag[];
  /** One-time-change links (heuristic, never merged into the cluster), newest first. */
  changeLinks: ChangeLink[];
  /** Shared items the user may see naming this address or another of its cluster, newest first. */
  sharedItems: SharedMention[];
}

export interface SharedMention {
  itemId: string;
  kind: string;
  /** Null for a personal-data item: its title is shown once it is opened with a justification. */
  title: string | null;
  value: string;
  createdAt: string;
}

/**
 * A one-time-change link: `change` when this address is likely the change of `otherAddress` (the
 * spender), `spender` when `otherAddress` is likely this address's change. Confidence 0..1 (ordinal).
 */
export interface ChangeLink {
  txid: string;
  height: number;
  role: 'change' | 'spender';
  otherAddress: string;
  confidence: number;
  criteria: string[];
  /** The change address received again here: it was not one-time change after all. */
  revoked: { txid: string; height: number | null } | null;
}

/** Exposure score 0–10; `exposure` holds value (base unit, e.g. satoshis) per counterparty category. */
export interface Exposure {
  score: number;
  reasons: string[];
  exposure: { forward: Record<string, number>; backward: Record<string, number> };
}

export interface TraceNode {
  /** `address:<addr>`, `tx:<txid>` or `output:<txid>:<vout>`. */
  key: string;
  kind: 'address' | 'tx' | 'output';
  id: string;
  hop: number;
  tainted: number;
  service: boolean;
  category: string | null;
}

export interface TraceEdge {
  from: string;
  to: string;
  txid: string;
  /** Unix seconds. */
  time: number | null;
  hop: number;
  value: number;
  tainted: number;
  /** The edge carries likely one-time change followed as the spender's own (includeChange). */
  viaChange?: true;
  changeConfidence?: number;
}

export interface TraceResult {
  model: TaintModel;
  direction: TraceDirection;
  maxHops: number;
  /** `sat` or the token traced. */
  unit: string;
  sourceAmount: number;
  nodes: TraceNode[];
  edges: TraceEdge[];
  exposure: Record<string, number>;
  stoppedAt: string[];
  truncated: boolean;
}

export interface TraceInput {
  /** An address, `cluster:<id>` or a transaction id. */
  from: string;
  direction: TraceDirection;
  model: TaintModel;
  hops: number;
  /** Account chains (ETH, TRON): the token to follow; absent: the one the source moved most often. */
  token?: string;
  /** Bitcoin: follow likely one-time change as the spender's own (no hop counted). Default false. */
  includeChange?: boolean;
}

export interface PathStep {
  from: string;
  to: string;
  txid: string;
  time: number | null;
  value: number;
}

export interface PathResult {
  hops: number | null;
  paths: PathStep[][];
  truncated: boolean;
}

/** A watch may also publish each of its alerts as a sharing item (kind alert) with this TLP. */
export interface WatchShare {
  tlp: Tlp;
  /** The community the items go to; absent: the watching organisation only. */
  communityId?: string | null;
}

export interface Watch {
  id: string;
  address: string | null;
  clusterId: number | null;
  note: string;
  createdAt: string;
  share: WatchShare | null;
}

export interface WatchInput {
  address?: string;
  clusterId?: number;
  note?: string;
  share?: { tlp: Tlp; communityId?: string };
}

export interface FinanceAlert {
  id: string;
  watchId: string;
  direction: 'inbound' | 'outbound';
  chain: FinanceChain;
  address: string;
  txid: string;
  height: number;
  /** Decimal string in the chain's base unit. */
  amount: string;
  createdAt: string;
  /** The sharing item published for this alert, when its watch shares. */
  itemId: string | null;
}

/** Query keys of the finance screens (one root, so a live alert can refresh everything it touches). */
export const financeKeys = {
  all: ['finance'] as const,
  address: (address: string) => ['finance', 'address', address] as const,
  exposure: (subject: string) => ['finance', 'exposure', subject] as const,
  watches: ['finance', 'watches'] as const,
  alerts: ['finance', 'alerts'] as const,
};

const addressPath = (address: string): string => `/api/finance/addresses/${encodeURIComponent(address)}`;

export function fetchFinanceAddress(address: string, signal?: AbortSignal): Promise<FinanceAddress> {
  return apiRequest<FinanceAddress>(addressPath(address), { signal });
}

/** `subject`: an address, or `cluster:<id>`. */
export function fetchExposure(subject: string, signal?: AbortSignal): Promise<Exposure> {
  return apiRequest<Exposure>(`${addressPath(subject)}/exposure`, { signal });
}

export function traceFunds(input: TraceInput, signal?: AbortSignal): Promise<TraceResult> {
  return apiRequest<TraceResult>('/api/finance/trace', {
    method: 'POST',
    body: { ...input, format: 'json' },
    signal,
  });
}

/** The same trace rendered by the server as CSV (edges) or GraphML. */
export function exportTrace(input: TraceInput, format: TraceExportFormat): Promise<Blob> {
  return apiBlob('/api/finance/trace', { method: 'POST', body: { ...input, format } });
}

export function findPaths(from: string, to: string, hops: number): Promise<PathResult> {
  return apiRequest<PathResult>('/api/finance/paths', { method: 'POST', body: { from, to, hops } });
}

export function listWatches(signal?: AbortSignal): Promise<Watch[]> {
  return apiRequest<Watch[]>('/api/finance/watches', { signal });
}

export function createWatch(input: WatchInput): Promise<Watch> {
  return apiRequest<Watch>('/api/finance/watches', { method: 'POST', body: input });
}

export function deleteWatch(id: string): Promise<void> {
  return apiRequest<void>(`/api/finance/watches/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function listFinanceAlerts(signal?: AbortSignal): Promise<FinanceAlert[]> {
  return apiRequest<FinanceAlert[]>('/api/finance/alerts', { signal });
}

// —— Cluster details ——

export interface ClusterDetails {
  clusterId: number;
  size: number;
  chain: FinanceChain | null;
  firstSeen: { time: string | null; height: number | null };
  lastSeen: { time: string | null; height: number | null };
  tags: FinanceTag[];
  members: {
    offset: number;
    limit: number;
    total: number;
    addresses: { address: string; chain: FinanceChain }[];
  };
}

export function fetchCluster(
  clusterId: number,
  offset: number,
  signal?: AbortSignal,
): Promise<ClusterDetails> {
  return apiRequest<ClusterDetails>(`/api/finance/clusters/${clusterId}?offset=${offset}&limit=50`, {
    signal,
  });
}

// —— Trade-based money laundering ——

export type PriceDirection = 'over' | 'under';

export interface PriceParty {
  name: string;
  normName: string;
  country: string;
}

export interface PriceCheck {
  declarationId: string;
  reference: string;
  container: string;
  filedAt: string;
  loading: string;
  discharge: string;
  lane: string;
  hs: string;
  description: string;
  shipper: PriceParty;
  consignee: PriceParty;
  packages: number;
  grossKg: number;
  declaredValue: { amount: number; currency: string } | null;
  valueEur: number | null;
  unitValue: number | null;
  unit: 'kg';
  band: { q1: number; q3: number; n: number; scope: 'hs+lane' | 'hs' } | null;
  direction: PriceDirection | null;
  /** null for a declared value of 0 (an infinite factor). */
  factor: number | null;
  flagged: boolean;
  scoredAsOutlier: boolean;
  score: number;
}

export interface TbmlRow extends PriceCheck {
  payments: number;
}

export interface TbmlReport {
  scanned: number;
  truncated: boolean;
  unvalued: number;
  noBand: number;
  minFactor: number;
  rows: TbmlRow[];
}

export interface TbmlFilter {
  port?: string;
  hs?: string;
  direction?: PriceDirection;
  from?: string;
  to?: string;
  minFactor?: number;
}

export interface LinkedPayment {
  id: string;
  date: string;
  amount: string;
  currency: string;
  payer: { name: string; iban: string };
  payee: { name: string; iban: string };
  reference: string;
  matches: { side: 'payer' | 'payee'; role: 'shipper' | 'consignee'; by: 'name' | 'iban' }[];
  betweenParties: boolean;
}

export const tbmlKeys = {
  list: (f: TbmlFilter) => ['finance', 'tbml', f] as const,
  payments: (declarationId: string) => ['finance', 'tbml', 'payments', declarationId] as const,
};

export function fetchTbml(f: TbmlFilter, signal?: AbortSignal): Promise<TbmlReport> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return apiRequest<TbmlReport>(`/api/finance/tbml${s ? `?${s}` : ''}`, { signal });
}

export function fetchTbmlPayments(
  declarationId: string,
  signal?: AbortSignal,
): Promise<{ declaration: PriceCheck; payments: LinkedPayment[] }> {
  return apiRequest(`/api/finance/tbml/${encodeURIComponent(declarationId)}/payments`, { signal });
}
