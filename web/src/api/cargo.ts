import { apiRequest } from './client.ts';

// Types and calls of the cargo targeting API (declarations, queue, inspections, rule performance,
// rules and watchlists), written by hand from the cargo HTTP contract. The web client never
// imports server code.

export type Channel = 'red' | 'amber' | 'green';
export const CHANNELS: readonly Channel[] = ['red', 'amber', 'green'];

export const DRUGS = ['cocaine', 'cannabis', 'heroin', 'synthetic', 'other'] as const;
export type Drug = (typeof DRUGS)[number];

export const CONCEALMENTS = [
  'rip-on-rip-off',
  'cover-load',
  'container-structure',
  'reefer-unit',
  'other',
] as const;
export type Concealment = (typeof CONCEALMENTS)[number];

export type InspectionOutcome = 'nothing' | 'seizure';

export interface CargoReason {
  /** Indicator or rule id: the UI translates the ids it knows and falls back to `label`. */
  code: string;
  /** English label from the server. */
  label: string;
  contribution: number;
  detail?: string | null;
}

export interface Inspection {
  id: string;
  declarationId: string;
  outcome: InspectionOutcome;
  drug: Drug | null;
  kilograms: number | null;
  concealment: Concealment | null;
  inspectedAt: string;
  inspector: string | { id: string; name: string } | null;
  notes?: string | null;
}

export interface Assignee {
  id: string;
  name: string;
}

export interface QueueEntry {
  id: string;
  rank: number;
  container: string;
  containerType: string;
  score: number;
  channel: Channel;
  reasons: CargoReason[];
  /** UN/LOCODEs in order: loading, calls and transshipments, discharge. */
  route: string[];
  vessel: { imo: string; name?: string | null };
  consignee: string;
  shipper: string;
  hs: string;
  eta: string;
  assignee: Assignee | null;
  inspection: Inspection | null;
  /** The model's probability that an inspection finds drugs; null until enough inspections. */
  secondOpinion: number | null;
}

export interface Thresholds {
  red: number;
  amber: number;
}

export interface Queue {
  port: string;
  date: string;
  capacity: number;
  thresholds: Thresholds;
  entries: QueueEntry[];
}

export interface DeclarationVersion {
  version: number;
  filedAt: string;
  changes: unknown[];
}

export interface DeclarationDetail {
  id: string;
  version: number;
  declaration: Record<string, unknown>;
  score: number;
  channel: Channel;
  reasons: CargoReason[];
  versions: DeclarationVersion[];
  assignee: Assignee | null;
  inspection: Inspection | null;
  secondOpinion: SecondOpinion | null;
}

/** The model learned from inspections, applied to one declaration (beside the rules' score). */
export interface SecondOpinion {
  probability: number;
  trainedOn: number;
  /** Each reason's share of the model's log-odds, largest first. */
  reasons: { code: string; label: string; logOdds: number }[];
}

/** What the second opinion learned, or the inspections it still needs. */
export type OutcomeModelSummary =
  | { available: false; minimum: { inspections: number; perOutcome: number } }
  | {
      available: true;
      minimum: { inspections: number; perOutcome: number };
      trainedOn: number;
      seizures: number;
      auc: number | null;
      baseProbability: number;
      weights: { code: string; label: string; weight: number }[];
    };

export interface PortSettings {
  capacity: number;
  thresholds: Thresholds;
}

export interface InspectionInput {
  outcome: InspectionOutcome;
  drug?: Drug;
  kilograms?: number;
  concealment?: Concealment;
  notes?: string;
}

export interface PerformanceOverall {
  declarations: number;
  selections: number;
  inspections: number;
  seizures: number;
  hitRate: number | null;
  randomHitRate: number | null;
  lift: number | null;
  precisionAtCapacity: number | null;
}

export interface RulePerformance {
  code: string;
  label: string;
  selections: number;
  inspections: number;
  seizures: number;
  hitRate: number | null;
  lift: number | null;
}

export interface WeeklyPerformance {
  /** ISO date of the week's Monday. */
  week: string;
  selections: number;
  inspections: number;
  seizures: number;
}

export interface Performance {
  overall: PerformanceOverall;
  rules: RulePerformance[];
  weekly: WeeklyPerformance[];
}

export interface PerformanceQuery {
  port: string;
  from: string;
  to: string;
}

export interface RuleSet {
  version: number;
  /** True while the organisation still runs the built-in rule set (no version of its own). */
  builtIn?: boolean;
  yaml: string;
}

export interface RuleSetVersion {
  version: number;
  hash?: string;
  author?: { id: string; name: string } | null;
  comment?: string | null;
  createdAt?: string | null;
}

/** One stored version with its text, to view, compare or load into the editor. */
export interface RuleSetVersionText extends RuleSetVersion {
  yaml: string;
}

export interface SavedRules {
  version: number;
  /** False when the text changed nothing: no new version. */
  created: boolean;
  added?: string[];
  changed?: string[];
  removed?: string[];
}

export interface SimulatedRule {
  code: string;
  label: string;
  selected: number;
  inspected: number;
  seizures: number;
}

export interface Simulation {
  days?: number;
  declarations?: number;
  selected: number;
  inspected: number;
  seizures: number;
  perRule: SimulatedRule[];
}

export type WatchlistEntryInput =
  | {
      id: string;
      kind: 'party';
      source: string;
      reason?: string;
      weight?: number;
      names: string[];
      countries?: string[];
      eoris?: string[];
    }
  | {
      id: string;
      kind: 'container' | 'vessel' | 'phone';
      source: string;
      reason?: string;
      weight?: number;
      value: string;
    };

/** A stored entry: `id` is the server's id (used to delete), `entry` what was filed. */
export interface StoredWatchlistEntry {
  id: string;
  list: string;
  entry: WatchlistEntryInput;
  createdAt: string;
}

export interface Watchlists {
  version?: number | string;
  lists: { name: string; entries: number }[];
  entries: StoredWatchlistEntry[];
  total: number;
}

export interface FtmImportResult {
  list: string;
  imported: number;
  replaced: number;
  skipped: unknown[];
}

const declarationPath = (id: string): string => `/api/cargo/declarations/${encodeURIComponent(id)}`;

export function fetchQueue(port: string, date: string, signal?: AbortSignal): Promise<Queue> {
  return apiRequest<Queue>('/api/cargo/queue', { query: { port, date }, signal });
}

export function fetchDeclaration(id: string, signal?: AbortSignal): Promise<DeclarationDetail> {
  return apiRequest<DeclarationDetail>(declarationPath(id), { signal });
}

export function assignDeclaration(id: string, userId: string): Promise<{ assignee: Assignee }> {
  return apiRequest(`${declarationPath(id)}/assignment`, { method: 'POST', body: { userId } });
}

export function recordInspection(id: string, input: InspectionInput): Promise<Inspection> {
  return apiRequest<Inspection>(`${declarationPath(id)}/inspection`, { method: 'POST', body: input });
}

export function alertRoutePorts(id: string): Promise<{ itemId: string }> {
  return apiRequest<{ itemId: string }>(`${declarationPath(id)}/alert`, { method: 'POST' });
}

export function savePortSettings(port: string, settings: PortSettings): Promise<PortSettings> {
  return apiRequest<PortSettings>(`/api/cargo/ports/${encodeURIComponent(port)}/settings`, {
    method: 'PUT',
    body: settings,
  });
}

export function fetchPerformance(query: PerformanceQuery, signal?: AbortSignal): Promise<Performance> {
  return apiRequest<Performance>('/api/cargo/performance', { query: { ...query }, signal });
}

export function fetchOutcomeModel(signal?: AbortSignal): Promise<OutcomeModelSummary> {
  return apiRequest<OutcomeModelSummary>('/api/cargo/model', { signal });
}

export function fetchRules(signal?: AbortSignal): Promise<RuleSet> {
  return apiRequest<RuleSet>('/api/cargo/rules', { signal });
}

export async function fetchRuleVersions(signal?: AbortSignal): Promise<RuleSetVersion[]> {
  const body = await apiRequest<{ versions: RuleSetVersion[] }>('/api/cargo/rules/versions', { signal });
  return body.versions;
}

export function fetchRuleVersion(version: number, signal?: AbortSignal): Promise<RuleSetVersionText> {
  return apiRequest<RuleSetVersionText>(`/api/cargo/rules/versions/${encodeURIComponent(version)}`, {
    signal,
  });
}

export function saveRules(yaml: string, comment: string): Promise<SavedRules> {
  return apiRequest<SavedRules>('/api/cargo/rules', { method: 'POST', body: { yaml, comment } });
}

export function simulateRules(yaml: string, days = 90): Promise<Simulation> {
  return apiRequest<Simulation>('/api/cargo/rules/simulate', { method: 'POST', body: { yaml, days } });
}

export function fetchWatchlists(signal?: AbortSignal): Promise<Watchlists> {
  return apiRequest<Watchlists>('/api/cargo/watchlists', { signal });
}

export function addWatchlistEntry(entry: WatchlistEntryInput): Promise<unknown> {
  return apiRequest('/api/cargo/watchlists/entries', { method: 'POST', body: entry });
}

export function deleteWatchlistEntry(id: string): Promise<unknown> {
  return apiRequest(`/api/cargo/watchlists/entries/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function importFtm(text: string, list: string): Promise<FtmImportResult> {
  return apiRequest<FtmImportResult>('/api/cargo/watchlists/import-ftm', {
    method: 'POST',
    body: { text, list },
  });
}

/** TanStack Query keys of the cargo screens. */
export const cargoKeys = {
  all: ['cargo'] as const,
  queue: (port: string, date: string) => ['cargo', 'queue', port, date] as const,
  declaration: (id: string) => ['cargo', 'declaration', id] as const,
  performance: (q: PerformanceQuery) => ['cargo', 'performance', q] as const,
  model: ['cargo', 'model'] as const,
  rules: ['cargo', 'rules'] as const,
  ruleVersions: ['cargo', 'rules', 'versions'] as const,
  ruleVersion: (version: number) => ['cargo', 'rules', 'versions', version] as const,
  watchlists: ['cargo', 'watchlists'] as const,
};
