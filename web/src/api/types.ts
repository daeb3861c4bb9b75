// Response and request types of the PortShield HTTP API, written by hand from docs/api.md.
// The web client never imports server code: keep this file in step with the API overview.

export interface ErrorDetail {
  /** Path of the offending field, e.g. `observables.2.value`. */
  path: string;
  message: string;
  code?: string;
}

export interface ErrorBody {
  code: string;
  message: string;
  details?: ErrorDetail[];
}

// ---------------------------------------------------------------- auth

export type Sector = 'public' | 'private';

export interface User {
  id: string;
  username: string;
  displayName: string;
  locale: string;
  orgId: string;
  orgName: string;
  orgCountry: string;
  orgSector: Sector;
  orgKind: string;
  roles: string[];
  permissions: string[];
}

export interface Session {
  user: User;
  csrfToken: string;
}

export interface LoginInput {
  username: string;
  password: string;
  totp?: string;
}

// ---------------------------------------------------------------- directory

export interface DirectoryOrg {
  id: string;
  name: string;
  country: string;
  sector: Sector;
  kind: string;
}

export interface DirectoryCommunity {
  id: string;
  name: string;
  description: string;
  memberOrgIds: string[];
}

export interface DirectoryUser {
  id: string;
  displayName: string;
  orgId: string;
}

export interface Directory {
  orgs: DirectoryOrg[];
  communities: DirectoryCommunity[];
  users: DirectoryUser[];
}

// ---------------------------------------------------------------- marking & items

export const TLP_LEVELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

export const HANDLING_CODES = ['H0', 'H1', 'H2', 'H3'] as const;
export type HandlingCode = (typeof HANDLING_CODES)[number];

export const SOURCE_RELIABILITIES = ['A', 'B', 'C', 'X'] as const;
export type SourceReliability = (typeof SOURCE_RELIABILITIES)[number];

export const INFO_CREDIBILITIES = ['1', '2', '3', '4'] as const;
export type InfoCredibility = (typeof INFO_CREDIBILITIES)[number];

export interface Marking {
  tlp: Tlp;
  handlingCode: HandlingCode | null;
  sourceReliability: SourceReliability | null;
  infoCredibility: InfoCredibility | null;
}

export interface Distribution {
  orgs: string[];
  users: string[];
  communities: string[];
  node: boolean;
}

export const OBSERVABLE_TYPES = [
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
] as const;
export type ObservableType = (typeof OBSERVABLE_TYPES)[number];

export const ITEM_KINDS = ['alert', 'report', 'rfi'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

export const SUBJECT_CATEGORIES = ['suspect', 'convicted', 'victim', 'witness', 'contact', 'other'] as const;
export type SubjectCategory = (typeof SUBJECT_CATEGORIES)[number];

export interface PersonalData {
  subjectCategory: SubjectCategory;
  /** `YYYY-MM-DD` */
  reviewDate: string;
}

export interface ObservableInput {
  type: ObservableType;
  value: string;
}

export interface ItemInput {
  kind: ItemKind;
  title: string;
  body: string;
  marking: Marking;
  distribution: Distribution;
  personalData: PersonalData | null;
  observables: ObservableInput[];
  /** User ids (rfi only). */
  addressees?: string[];
  /** ISO date-time (rfi only). */
  deadline?: string;
}

export interface ItemSummary {
  id: string;
  kind: ItemKind;
  title: string;
  marking: Marking;
  ownerOrgId: string;
  ownerOrgName: string;
  authorName: string;
  createdAt: string;
  personalData: boolean;
  observableCount: number;
}

export interface Observable {
  id: number;
  type: ObservableType;
  value: string;
  normalized: string;
}

export interface VisibleCorrelation {
  itemId: string;
  title: string;
  kind: ItemKind;
  observableType: ObservableType;
  normalized: string;
}

export interface RestrictedCorrelation {
  observableType: ObservableType;
  normalized: string;
  count: number;
}

export interface Correlation {
  visible: VisibleCorrelation[];
  restricted: RestrictedCorrelation[];
  /** Values too common to correlate item by item: a count, no hits. */
  common: RestrictedCorrelation[];
}

export const SIGHTING_KINDS = ['seen', 'false_positive', 'acted_on', 'seizure'] as const;
export type SightingKind = (typeof SIGHTING_KINDS)[number];

/** Shape not spelled out in docs/api.md: the fields the UI relies on. */
export interface Sighting {
  id: string;
  kind: SightingKind;
  note?: string | null;
  authorName?: string;
  orgName?: string;
  createdAt: string;
}

/** Shape not spelled out in docs/api.md: the fields the UI relies on. */
export interface Reply {
  id: string;
  body: string;
  /** Sanitised server-side when present. */
  bodyHtml?: string;
  authorName?: string;
  orgName?: string;
  createdAt: string;
}

export interface Item extends ItemSummary {
  body: string;
  /** Markdown rendered and sanitised by the server. */
  bodyHtml: string;
  distribution: Distribution;
  /** Category and review date when the item holds personal data (`personalData` is the flag). */
  personalDataDetail: PersonalData | null;
  observables: Observable[];
  correlation: Correlation;
  sightings: Sighting[];
  attachments: Attachment[];
  replies: Reply[];
  addressees: string[] | null;
  deadline: string | null;
  canEdit: boolean;
}

export interface Attachment {
  id: string;
  filename: string;
  mediaType: string;
  size: number;
  sha256: string;
  createdAt: string;
}

export interface ItemList {
  items: ItemSummary[];
  /** Matches counted up to 1,000; `totalCapped` says there are more. */
  total: number;
  totalCapped: boolean;
  page: number;
  pageSize: number;
}

export interface ItemQuery {
  q?: string;
  kind?: ItemKind | '';
  tlp?: Tlp | '';
  observable?: string;
  page?: number;
  pageSize?: number;
}

export interface CreatedItem {
  item: Item;
  correlation: Correlation;
}

export interface WidenResult {
  status: 'applied' | 'requested';
  request?: WideningRequest;
}

export type ExportFormat = 'misp' | 'stix';

// ---------------------------------------------------------------- inbox, hits, widening

export const HIT_STATUSES = ['new', 'contact_requested', 'granted', 'declined'] as const;
export type HitStatus = (typeof HIT_STATUSES)[number];

export interface Hit {
  id: string;
  /** The hidden item: present only for its owner. */
  itemId?: string | null;
  /** Present only for the hidden item's owner. */
  itemTitle?: string | null;
  observableType: ObservableType;
  normalized: string;
  requesterName: string;
  requesterOrgName: string;
  status: HitStatus;
  createdAt: string;
}

/** Shape not spelled out in docs/api.md: the fields the UI relies on. */
export interface WideningRequest {
  id: string;
  itemId: string;
  itemTitle?: string;
  requesterName?: string;
  requesterOrgName?: string;
  reason: string;
  distribution?: Distribution;
  status?: string;
  createdAt?: string;
}

export interface Inbox {
  alerts: ItemSummary[];
  requests: ItemSummary[];
  hits: Hit[];
  wideningRequests: WideningRequest[];
}

export type LiveEventType = 'item' | 'hit' | 'request';

export interface LiveEvent {
  type: LiveEventType;
  id: string;
  title?: string;
}

// ---------------------------------------------------------------- administration

export interface OrgInput {
  name: string;
  country: string;
  sector: Sector;
  kind: string;
}

export interface Org extends OrgInput {
  id: string;
}

export interface UserInput {
  username: string;
  displayName: string;
  orgId: string;
  roles: string[];
  password: string;
  locale: string;
}

/** An administered user: the fields the UI relies on (a subset of `User`). */
export interface AdminUser {
  id: string;
  username: string;
  displayName: string;
  orgId: string;
  orgName?: string;
  roles: string[];
  locale?: string;
}

export interface CreatedUser {
  user: AdminUser;
  /** Shown once: the base32 TOTP secret for the authenticator app. */
  totpSecret: string;
}

export interface CommunityInput {
  name: string;
  description: string;
  memberOrgIds: string[];
}

export interface Community extends CommunityInput {
  id: string;
}

// ---------------------------------------------------------------- audit

/** Shape not spelled out in docs/api.md: the fields the UI relies on. */
export interface AuditRecord {
  /** Leaf index in the audit log (Merkle tree). */
  index: number;
  timestamp: string;
  userId: string | null;
  userName?: string | null;
  action: string;
  itemId: string | null;
  details?: unknown;
  /** Hex leaf hash. */
  hash?: string;
}

export interface AuditPage {
  records: AuditRecord[];
  total: number;
  /** Not in docs/api.md; used when the server sends it. */
  pageSize?: number;
}

export interface AuditQuery {
  userId?: string;
  itemId?: string;
  action?: string;
  page?: number;
}

export interface TreeHead {
  treeSize: number;
  rootHash: string;
  timestamp: string;
  signature: string;
  publicKey: string;
}

export interface Health {
  status: 'ok';
  database: 'pglite' | 'postgres';
  version: string;
}
