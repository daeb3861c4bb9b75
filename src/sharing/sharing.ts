import {
  type Actor,
  checkDistribution,
  type Distribution,
  deleteDistribution,
  isOriginator,
  isWider,
  readDistributions,
  wideningDecision,
} from '../access/index.ts';
import type { AuditLog } from '../audit/index.ts';
import { subjectOf } from '../audit/index.ts';
import { normalizeObservable, OBSERVABLE_TYPES, type ObservableType } from '../identifiers/index.ts';
import { namesOf, requirePermission, userIdsOfOrg } from '../identity/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/database.ts';
import { AppError, type ErrorDetail, notFound } from '../platform/errors.ts';
import { isUuid, newId } from '../platform/ids.ts';
import { checkAttachment } from './attachments.ts';
import type { EventBus } from './events.ts';
import { renderMarkdown } from './markdown.ts';
import type { Correlation, Hit, Item, ItemInput, ItemSummary, ListQuery } from './sharing.schema.ts';
import * as store from './sharing.store.ts';

/** Days an item flagged for review waits for its owner before it is erased. */
export const REVIEW_GRACE_DAYS = 30;

export interface NormalizedObservable {
  type: ObservableType;
  value: string;
  normalized: string;
  subtype: string | null;
}

/**
 * Normalised forms of values looked up in bulk (cargo asks about every party, vessel and phone
 * of each batch, and the same ones recur batch after batch; parsing a phone number or folding a
 * company name costs far more than the look-up). Normalisation is a pure function of type and
 * value; a full memo is emptied and refilled.
 */
const LOOKUP_MEMO_LIMIT = 100_000;
const lookupMemo = new Map<string, string | null>();

function lookupForm(type: string, value: string): string | null {
  const key = `${type}\u0000${value}`;
  const hit = lookupMemo.get(key);
  if (hit !== undefined) return hit;
  const n = normalizeObservable(type as ObservableType, value);
  const form = n.ok ? n.value : null;
  if (lookupMemo.size >= LOOKUP_MEMO_LIMIT) lookupMemo.clear();
  lookupMemo.set(key, form);
  return form;
}

/** Normalises observables through `identifiers`; every bad one is reported with its path, none is stored. */
export function normalizeObservables(list: { type: string; value: string }[], pathPrefix = 'observables') {
  const good: NormalizedObservable[] = [];
  const bad: ErrorDetail[] = [];
  list.forEach((o, i) => {
    const n = normalizeObservable(o.type as ObservableType, o.value);
    if (n.ok)
      good.push({
        type: o.type as ObservableType,
        value: o.value.trim(),
        normalized: n.value,
        subtype: n.kind ?? null,
      });
    else bad.push({ path: `${pathPrefix}.${i}.value`, message: n.message, code: n.code });
  });
  return { good, bad };
}

export class SharingService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly events: EventBus,
  ) {}

  /**
   * Publishes an item and correlates its observables in the same transaction: the actor sees the
   * matches they may see, a count of those they may not, and the owners of hidden matches get a hit.
   */
  async publish(
    actor: Actor,
    input: ItemInput,
    extra: { externalId?: string | null; tags?: string[]; auditAction?: 'collection' } = {},
  ): Promise<{ item: Item; correlation: Correlation }> {
    requirePermission(actor, 'items:write');
    const { good, bad } = normalizeObservables(input.observables);
    if (bad.length)
      throw new AppError('INVALID_IDENTIFIER', 'Some observables are not valid identifiers', bad);
    checkDistribution(input.marking, input.distribution);
    if (input.kind === 'rfi' && input.addressees.length === 0 && !hasRecipients(input.distribution)) {
      throw new AppError(
        'VALIDATION_FAILED',
        'A request for information needs addressees or a distribution',
        [{ path: 'addressees', message: 'name at least one addressee' }],
      );
    }
    const now = this.clock.now();
    const id = newId();
    const hits: store.SharingTables['hits'][] = [];
    const correlation = await this.db.transaction().execute(async (tx) => {
      await store.insertItem(tx, {
        id,
        kind: input.kind,
        title: input.title,
        body: input.body,
        owner_org_id: actor.orgId,
        author_id: actor.userId,
        tlp: input.marking.tlp,
        handling_code: input.marking.handlingCode,
        source_reliability: input.marking.sourceReliability,
        info_credibility: input.marking.infoCredibility,
        personal_data: input.personalData !== null,
        subject_category: input.personalData?.subjectCategory ?? null,
        review_date: input.personalData?.reviewDate ?? null,
        review_flagged_at: null,
        deadline: input.deadline ? new Date(input.deadline) : null,
        external_id: extra.externalId ?? null,
        tags: extra.tags ?? [],
        created_at: now,
        updated_at: now,
      });
      // Addressees of a request must be able to read it: naming them adds them to the distribution.
      const distribution = {
        ...input.distribution,
        users: [...new Set([...input.distribution.users, ...input.addressees])],
      };
      await store.setItemDistribution(tx, id, distribution);
      await store.insertAddressees(tx, id, input.addressees);
      await store.insertObservables(
        tx,
        good.map((o) => ({
          item_id: id,
          type: o.type,
          value: o.value,
          normalized: o.normalized,
          subtype: o.subtype,
        })),
      );
      const corr = await this.correlateIn(tx, actor, id, good, hits, now);
      await store.insertHits(tx, hits);
      await this.audit.append(tx, subjectOf(actor), {
        action: 'collection',
        objectType: 'item',
        objectId: id,
        recipients: recipientsOf(distribution),
        details: {
          kind: input.kind,
          tlp: input.marking.tlp,
          personalData: input.personalData !== null,
          observables: good.length,
        },
      });
      if (corr.visible.length || hits.length) {
        await this.audit.append(tx, subjectOf(actor), {
          action: 'combination',
          objectType: 'item',
          objectId: id,
          details: {
            visibleMatches: corr.visible.map((v) => v.itemId),
            restrictedMatches: hits.length,
          },
        });
      }
      return corr;
    });
    const personalData = input.personalData !== null;
    this.events.publish({
      type: 'item',
      itemId: id,
      title: input.title,
      personalData,
      authorId: actor.userId,
    });
    if (input.addressees.length) {
      this.events.publish({
        type: 'request',
        itemId: id,
        title: input.title,
        personalData,
        userIds: input.addressees,
      });
    }
    this.announceHits(actor, hits);
    const row = await store.findItemForActor(this.db, actor, id);
    if (!row?.visible) throw notFound('item');
    const item = await this.readItem(actor, row, await store.observablesOf(this.db, id), correlation);
    return { item, correlation };
  }

  /** Correlation at publication: hidden matches also become hits for their owners. */
  private async correlateIn(
    tx: Db,
    actor: Actor,
    itemId: string,
    obs: NormalizedObservable[],
    hits: store.SharingTables['hits'][],
    now: Date,
  ): Promise<Correlation> {
    const { matches, common } = await store.correlate(tx, actor, uniquePairs(obs), itemId);
    for (const m of matches) {
      if (m.visible) continue;
      hits.push({
        id: newId(),
        hidden_item_id: m.item_id,
        owner_org_id: m.owner_org_id,
        requester_user_id: actor.userId,
        requester_org_id: actor.orgId,
        requester_item_id: itemId,
        observable_type: m.type,
        normalized: m.normalized,
        status: 'new',
        justification: null,
        created_at: now,
        decided_at: null,
        decided_by: null,
      });
    }
    return splitMatches(matches, common);
  }

  /**
   * Reads one item. A denied item and a missing one run the same query and the same audit write,
   * and both answer NOT_FOUND, so neither the body nor the timing tells them apart.
   */
  async get(actor: Actor, id: string, justification: string | null): Promise<Item> {
    if (!isUuid(id)) throw notFound('item');
    const row = await store.findItemForActor(this.db, actor, id);
    if (!row?.visible) {
      await this.audit.append(this.db, subjectOf(actor), {
        action: 'access_denied',
        objectType: 'item',
        objectId: id,
      });
      throw notFound('item');
    }
    if (row.personal_data) {
      if (!justification || justification.trim().length < 3) {
        throw new AppError(
          'JUSTIFICATION_REQUIRED',
          'This item holds personal data: state why you consult it',
        );
      }
    }
    return this.db.transaction().execute(async (tx) => {
      const obs = await store.observablesOf(tx, id);
      // On reading, correlation shows what the reader may see plus restricted counts; no new hits.
      const found = await store.correlate(tx, actor, uniquePairs(obs), id);
      const corr = splitMatches(found.matches, found.common);
      if (row.personal_data) {
        await this.audit.append(tx, subjectOf(actor), {
          action: 'consultation',
          objectType: 'item',
          objectId: id,
          justification: justification!.trim(),
          details: { subjectCategory: row.subject_category },
        });
      }
      return this.readItem(actor, row, obs, corr, tx);
    });
  }

  /** Assembles the full item from a row the caller already read and checked as visible. */
  private async readItem(
    actor: Actor,
    row: store.ItemRow,
    obs: store.ObservableRow[],
    correlation: Correlation,
    db: Db = this.db,
  ): Promise<Item> {
    const id = row.id;
    const [attachments, replies, sightings, addressees, dists] = [
      await store.attachmentsOf(db, id),
      await store.repliesOf(db, id),
      await store.sightingsOf(db, id),
      await store.addresseesOf(db, id),
      await readDistributions(db, [id]),
    ];
    const userIds = [row.author_id, ...replies.map((r) => r.author_id), ...sightings.map((s) => s.user_id)];
    const orgIds = [row.owner_org_id, ...replies.map((r) => r.org_id), ...sightings.map((s) => s.org_id)];
    const names = await namesOf(db, [...new Set(userIds)], [...new Set(orgIds)]);
    const summary = toSummary(row, obs.length, names);
    return {
      ...summary,
      body: row.body,
      bodyHtml: renderMarkdown(row.body),
      distribution: dists.get(id)!,
      personalDataDetail:
        row.personal_data && row.subject_category && row.review_date
          ? { subjectCategory: row.subject_category as never, reviewDate: dateOnly(row.review_date) }
          : null,
      observables: obs.map((o) => ({ id: o.id, type: o.type, value: o.value, normalized: o.normalized })),
      correlation,
      sightings: sightings.map((s) => ({
        id: s.id,
        kind: s.kind as Item['sightings'][number]['kind'],
        note: s.note,
        authorName: names.users.get(s.user_id)?.name ?? '—',
        orgName: names.orgs.get(s.org_id) ?? '—',
        createdAt: s.created_at.toISOString(),
      })),
      replies: replies.map((r) => ({
        id: r.id,
        body: r.body,
        bodyHtml: renderMarkdown(r.body),
        authorName: names.users.get(r.author_id)?.name ?? '—',
        orgName: names.orgs.get(r.org_id) ?? '—',
        createdAt: r.created_at.toISOString(),
      })),
      addressees,
      deadline: row.deadline ? row.deadline.toISOString() : null,
      tags: row.tags,
      attachments: attachments.map((a) => ({
        id: a.id,
        filename: a.filename,
        mediaType: a.media_type,
        size: a.size,
        sha256: a.sha256,
        createdAt: a.created_at.toISOString(),
      })),
      canEdit: isOriginator(actor, { ownerOrgId: row.owner_org_id, authorId: row.author_id }),
      reviewFlagged: row.review_flagged_at !== null,
    };
  }

  async list(
    actor: Actor,
    q: ListQuery,
  ): Promise<{ items: ItemSummary[]; total: number; totalCapped: boolean; page: number; pageSize: number }> {
    const { rows, total, totalCapped } = await store.listItems(this.db, actor, {
      q: q.q?.trim() || undefined,
      kind: q.kind,
      tlp: q.tlp,
      observableCandidates: q.observable ? observableCandidates(q.observable) : undefined,
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    });
    const names = await namesOf(
      this.db,
      [...new Set(rows.map((r) => r.author_id))],
      [...new Set(rows.map((r) => r.owner_org_id))],
    );
    const personal = rows.filter((r) => r.personal_data).map((r) => r.id);
    if (personal.length) {
      // Titles of personal-data items were shown: that is a consultation too.
      await this.audit.append(this.db, subjectOf(actor), {
        action: 'consultation',
        objectType: 'item_list',
        objectId: null,
        details: { itemIds: personal, query: q.q ?? null },
      });
    }
    return {
      items: rows.map((r) => toSummary(r, r.observable_count, names)),
      total,
      totalCapped,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  private async requireVisible(actor: Actor, id: string, db: Db = this.db) {
    if (!isUuid(id)) throw notFound('item');
    const row = await store.findItemForActor(db, actor, id);
    if (!row?.visible) throw notFound('item');
    return row;
  }

  async reply(actor: Actor, itemId: string, body: string) {
    requirePermission(actor, 'items:write');
    const now = this.clock.now();
    const id = newId();
    const row = await this.db.transaction().execute(async (tx) => {
      const item = await this.requireVisible(actor, itemId, tx);
      await store.insertReply(tx, {
        id,
        item_id: itemId,
        author_id: actor.userId,
        org_id: actor.orgId,
        body,
        created_at: now,
      });
      await store.touchItem(tx, itemId, now);
      await this.audit.append(tx, subjectOf(actor), {
        action: 'alteration',
        objectType: 'item',
        objectId: itemId,
        details: { reply: id },
      });
      return item;
    });
    this.events.publish({
      type: 'request',
      itemId,
      title: row.title,
      personalData: row.personal_data,
      userIds: [row.author_id],
    });
    const names = await namesOf(this.db, [actor.userId], [actor.orgId]);
    return {
      id,
      body,
      bodyHtml: renderMarkdown(body),
      authorName: names.users.get(actor.userId)?.name ?? '—',
      orgName: names.orgs.get(actor.orgId) ?? '—',
      createdAt: now.toISOString(),
    };
  }

  async addSighting(
    actor: Actor,
    itemId: string,
    kind: 'seen' | 'false_positive' | 'acted_on' | 'seizure',
    note?: string,
  ) {
    requirePermission(actor, 'items:read');
    const now = this.clock.now();
    const id = newId();
    await this.db.transaction().execute(async (tx) => {
      await this.requireVisible(actor, itemId, tx);
      await store.insertSighting(tx, {
        id,
        item_id: itemId,
        user_id: actor.userId,
        org_id: actor.orgId,
        kind,
        note: note ?? null,
        created_at: now,
      });
      await this.audit.append(tx, subjectOf(actor), {
        action: 'alteration',
        objectType: 'item',
        objectId: itemId,
        details: { sighting: kind },
      });
    });
    const names = await namesOf(this.db, [actor.userId], [actor.orgId]);
    return {
      id,
      kind,
      note: note ?? null,
      authorName: names.users.get(actor.userId)?.name ?? '—',
      orgName: names.orgs.get(actor.orgId) ?? '—',
      createdAt: now.toISOString(),
    };
  }

  /** Widening: applied at once by the originator (their consent), otherwise filed as a request. */
  async widen(actor: Actor, itemId: string, next: Distribution, reason: string) {
    requirePermission(actor, 'items:write');
    return this.db.transaction().execute(async (tx) => {
      const row = await this.requireVisible(actor, itemId, tx);
      const o = { ownerOrgId: row.owner_org_id, authorId: row.author_id, tlp: row.tlp };
      checkDistribution(markingOf(row), next);
      const current = (await readDistributions(tx, [itemId])).get(itemId)!;
      const merged = unionDistribution(current, next);
      if (!isWider(current, merged)) return { status: 'applied' as const };
      const decision = wideningDecision(actor, o);
      if (decision === 'apply') {
        await store.setItemDistribution(tx, itemId, merged);
        await this.audit.append(tx, subjectOf(actor), {
          action: 'disclosure',
          objectType: 'item',
          objectId: itemId,
          justification: reason,
          recipients: recipientsOf(merged),
          details: { consent: 'originator' },
        });
        this.events.publish({
          type: 'item',
          itemId,
          title: row.title,
          personalData: row.personal_data,
          authorId: row.author_id,
        });
        return { status: 'applied' as const };
      }
      const id = newId();
      await store.insertWidening(tx, {
        id,
        item_id: itemId,
        requested_by: actor.userId,
        requester_org_id: actor.orgId,
        distribution: JSON.stringify(next),
        reason,
        status: 'pending',
        created_at: this.clock.now(),
        decided_by: null,
        decided_at: null,
      });
      return { status: 'requested' as const, requestId: id };
    });
  }

  async decideWidening(actor: Actor, requestId: string, approve: boolean) {
    requirePermission(actor, 'items:write');
    return this.db.transaction().execute(async (tx) => {
      const w = isUuid(requestId) ? await store.findWidening(tx, requestId) : undefined;
      if (!w) throw notFound('request');
      const row = await store.findItemForActor(tx, actor, w.item_id);
      if (!row?.visible || !isOriginator(actor, { ownerOrgId: row.owner_org_id, authorId: row.author_id })) {
        throw notFound('request');
      }
      if (w.status !== 'pending') throw new AppError('CONFLICT', 'This request was already decided');
      const now = this.clock.now();
      await store.updateWidening(tx, requestId, {
        status: approve ? 'approved' : 'declined',
        decided_by: actor.userId,
        decided_at: now,
      });
      if (approve) {
        const next = JSON.parse(
          typeof w.distribution === 'string' ? w.distribution : JSON.stringify(w.distribution),
        ) as Distribution;
        const current = (await readDistributions(tx, [w.item_id])).get(w.item_id)!;
        const merged = unionDistribution(current, next);
        checkDistribution(markingOf(row), merged);
        await store.setItemDistribution(tx, w.item_id, merged);
        await this.audit.append(tx, subjectOf(actor), {
          action: 'disclosure',
          objectType: 'item',
          objectId: w.item_id,
          justification: w.reason,
          recipients: recipientsOf(merged),
          details: { consent: 'originator', request: requestId },
        });
      }
      return { id: requestId, status: approve ? ('approved' as const) : ('declined' as const) };
    });
  }

  async inbox(actor: Actor) {
    const [alerts, requests] = [
      await store.listItems(this.db, actor, { kind: 'alert', limit: 20, offset: 0 }),
      await store.listItems(this.db, actor, { kind: 'rfi', addressedTo: actor.userId, limit: 20, offset: 0 }),
    ];
    const hits = await this.hits(actor);
    const widenings = actor.permissions.has('items:write')
      ? await store.pendingWideningsForOrg(this.db, actor.orgId)
      : [];
    const rows = [...alerts.rows, ...requests.rows];
    const names = await namesOf(
      this.db,
      [...new Set([...rows.map((r) => r.author_id), ...widenings.map((w) => w.requested_by)])],
      [...new Set(rows.map((r) => r.owner_org_id))],
    );
    return {
      alerts: alerts.rows.map((r) => toSummary(r, r.observable_count, names)),
      requests: requests.rows.map((r) => toSummary(r, r.observable_count, names)),
      hits,
      wideningRequests: widenings.map((w) => ({
        id: w.id,
        itemId: w.item_id,
        itemTitle: w.item_title,
        requesterName: names.users.get(w.requested_by)?.name ?? '—',
        distribution: (typeof w.distribution === 'string'
          ? JSON.parse(w.distribution)
          : w.distribution) as Distribution,
        reason: w.reason,
        status: w.status,
        createdAt: w.created_at.toISOString(),
      })),
    };
  }

  /**
   * Hits on my organisation's items (who asked, which observable, which of my items) and my own
   * searches' hits (never naming the hidden item or its owner).
   */
  async hits(actor: Actor): Promise<Hit[]> {
    if (!actor.permissions.has('items:read')) return [];
    const { owned, mine } = await store.hitsFor(this.db, actor);
    const names = await namesOf(
      this.db,
      [...new Set([...owned, ...mine].map((h) => h.requester_user_id))],
      [...new Set([...owned, ...mine].map((h) => h.requester_org_id))],
    );
    const base = (h: (typeof mine)[number]) => ({
      id: h.id,
      observableType: h.observable_type,
      normalized: h.normalized,
      requesterName: names.users.get(h.requester_user_id)?.name ?? '—',
      requesterOrgName: names.orgs.get(h.requester_org_id) ?? '—',
      status: h.status,
      justification: h.justification,
      createdAt: h.created_at.toISOString(),
    });
    return [
      ...owned.map((h) => ({ ...base(h), itemId: h.hidden_item_id, itemTitle: h.item_title, mine: false })),
      ...mine
        .filter((h) => h.owner_org_id !== actor.orgId)
        .map((h) => ({ ...base(h), itemId: null, itemTitle: null, mine: true })),
    ];
  }

  /** The searcher asks the hidden owner for contact, saying why. */
  async requestContact(actor: Actor, hitId: string, justification: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const h = isUuid(hitId) ? await store.findHit(tx, hitId) : undefined;
      if (!h || h.requester_user_id !== actor.userId) throw notFound('hit');
      if (h.status !== 'new') return;
      await store.updateHit(tx, hitId, { status: 'contact_requested', justification });
      await this.audit.append(tx, subjectOf(actor), {
        action: 'alteration',
        objectType: 'hit',
        objectId: hitId,
        justification,
      });
    });
    const h = await store.findHit(this.db, hitId);
    if (h)
      this.events.publish({ type: 'hit', hitId, ownerOrgId: h.owner_org_id, requesterUserId: actor.userId });
  }

  /** The owner decides: granting names the searcher on the hidden item (a disclosure, audited). */
  async decideHit(actor: Actor, hitId: string, grant: boolean): Promise<void> {
    requirePermission(actor, 'items:write');
    await this.db.transaction().execute(async (tx) => {
      const h = isUuid(hitId) ? await store.findHit(tx, hitId) : undefined;
      if (!h || h.owner_org_id !== actor.orgId) throw notFound('hit');
      if (h.status === 'granted' || h.status === 'declined')
        throw new AppError('CONFLICT', 'Already decided');
      const row = await store.findItemForActor(tx, actor, h.hidden_item_id);
      if (!row) throw notFound('hit');
      if (grant && row.tlp === 'RED' && row.author_id !== actor.userId) {
        throw new AppError('MARKING_VIOLATION', 'Only the author may name new readers of a TLP:RED item');
      }
      await store.updateHit(tx, hitId, {
        status: grant ? 'granted' : 'declined',
        decided_at: this.clock.now(),
        decided_by: actor.userId,
      });
      if (grant) {
        await store.addItemUserScope(tx, h.hidden_item_id, h.requester_user_id);
        await this.audit.append(tx, subjectOf(actor), {
          action: 'disclosure',
          objectType: 'item',
          objectId: h.hidden_item_id,
          justification: h.justification,
          recipients: [h.requester_user_id],
          details: { hit: hitId, consent: 'originator' },
        });
      } else {
        await this.audit.append(tx, subjectOf(actor), {
          action: 'alteration',
          objectType: 'hit',
          objectId: hitId,
          details: { declined: true },
        });
      }
    });
    const h = await store.findHit(this.db, hitId);
    if (h)
      this.events.publish({
        type: 'hit',
        hitId,
        ownerOrgId: h.owner_org_id,
        requesterUserId: h.requester_user_id,
      });
  }

  /** May this actor see this item now? For live events: the same condition as every list. */
  async canSee(actor: Actor, itemId: string): Promise<boolean> {
    const row = await store.findItemForActor(this.db, actor, itemId);
    return row?.visible === true;
  }

  /**
   * Read-only correlation for cargo scoring: for each observable, the number of items the actor
   * may see (the same visibility condition as every list) that carry it. Values that are not valid
   * identifiers of their type are skipped; nothing is written (no hits for hidden items).
   */
  async visibleObservableCounts(
    actor: Actor,
    list: { type: string; value: string }[],
  ): Promise<{ type: string; value: string; itemCount: number }[]> {
    const byForm = new Map<string, Map<string, { type: string; value: string }[]>>();
    for (const o of list) {
      const normalized = lookupForm(o.type, o.value);
      if (normalized === null) continue;
      let forms = byForm.get(o.type);
      if (forms === undefined) {
        forms = new Map();
        byForm.set(o.type, forms);
      }
      const values = forms.get(normalized);
      if (values) values.push(o);
      else forms.set(normalized, [o]);
    }
    const counts = await this.visibleCanonicalCounts(
      actor,
      new Map([...byForm].map(([type, forms]) => [type, forms.keys()])),
    );
    return counts.flatMap((c) =>
      (byForm.get(c.type)?.get(c.normalized) ?? []).map((o) => ({
        type: o.type,
        value: o.value,
        itemCount: c.itemCount,
      })),
    );
  }

  /**
   * The same correlation for values already in the canonical form of their type (as
   * `identifiers.normalizeObservable` gives it, which is how observables are stored): the caller
   * normalised them once, at ingest. A value in any other form simply matches nothing.
   */
  async visibleCanonicalCounts(
    actor: Actor,
    byType: ReadonlyMap<string, Iterable<string>>,
  ): Promise<{ type: string; normalized: string; itemCount: number }[]> {
    if (!actor.permissions.has('items:read')) return [];
    const rows = await store.visibleObservableCounts(this.db, actor, byType);
    return rows.map((r) => ({ type: r.type, normalized: r.normalized, itemCount: r.item_count }));
  }

  /**
   * Visible items naming any of these values (already normalised, e.g. a cluster's addresses) as
   * observables of `type`. Titles of personal-data items are left out: reading them needs a
   * justification, asked when the item is opened.
   */
  async itemsMentioning(actor: Actor, type: ObservableType, values: string[], limit = 50) {
    if (!actor.permissions.has('items:read')) return [];
    // The caller's form (e.g. a ledger's lower-case Ethereum address) may differ from the stored
    // normalised form (EIP-55): normalise the same way observables are.
    const normalized = values.flatMap((v) => {
      const form = lookupForm(type, v);
      return form === null ? [] : [form];
    });
    const rows = await store.visibleItemsWith(this.db, actor, type, [...new Set(normalized)], limit);
    return rows.map((r) => ({
      itemId: r.item_id,
      kind: r.kind,
      title: r.personal_data ? null : r.title,
      value: r.normalized,
      createdAt: r.created_at.toISOString(),
    }));
  }

  /** Owner organisation writers, data-protection officers and auditors of the owner read an item's trail. */
  async itemAuditAllowed(actor: Actor, itemId: string): Promise<boolean> {
    if (!isUuid(itemId)) throw notFound('item');
    const row = await store.findItemForActor(this.db, actor, itemId);
    // Node auditors read the whole log already (/api/audit); the trail of an item they were not sent
    // is theirs to read too, without its content.
    if (row && actor.permissions.has('audit:read:node')) return true;
    if (!row?.visible) throw notFound('item');
    return (
      row.owner_org_id === actor.orgId &&
      (actor.permissions.has('audit:read') || actor.permissions.has('items:write'))
    );
  }

  /**
   * Personal data past its review date: flag it to the owner; once the grace period is over,
   * erase it (with its observables, replies and sightings) and log the erasure.
   */
  async reviewSweep(): Promise<{ flagged: number; erased: number }> {
    const now = this.clock.now();
    const today = now.toISOString().slice(0, 10);
    const due = await store.itemsDueForReview(this.db, today);
    let flagged = 0;
    let erased = 0;
    for (const it of due) {
      if (!it.review_flagged_at) {
        await this.db.transaction().execute(async (tx) => {
          await store.flagForReview(tx, it.id, now);
          await this.audit.append(
            tx,
            { userId: null, orgId: it.owner_org_id },
            {
              action: 'alteration',
              objectType: 'item',
              objectId: it.id,
              details: { reviewFlagged: true },
            },
          );
        });
        this.events.publish({
          type: 'request',
          itemId: it.id,
          title: it.title,
          personalData: true, // only personal-data items have a review date
          userIds: await userIdsOfOrg(this.db, it.owner_org_id),
        });
        flagged++;
      } else if (now.getTime() - it.review_flagged_at.getTime() >= REVIEW_GRACE_DAYS * 86_400_000) {
        await this.db.transaction().execute(async (tx) => {
          await store.deleteItem(tx, it.id);
          await deleteDistribution(tx, it.id);
          await this.audit.append(
            tx,
            { userId: null, orgId: it.owner_org_id },
            {
              action: 'erasure',
              objectType: 'item',
              objectId: it.id,
              details: { reason: 'review date passed', reviewDate: String(it.review_date) },
            },
          );
        });
        erased++;
      }
    }
    return { flagged, erased };
  }

  /** The owner keeps a flagged item by setting a new review date (audited). */
  async extendReview(actor: Actor, itemId: string, reviewDate: string, reason: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const row = await this.requireVisible(actor, itemId, tx);
      if (!isOriginator(actor, { ownerOrgId: row.owner_org_id, authorId: row.author_id }))
        throw notFound('item');
      await store.setReviewDate(tx, itemId, reviewDate);
      await this.audit.append(tx, subjectOf(actor), {
        action: 'alteration',
        objectType: 'item',
        objectId: itemId,
        justification: reason,
        details: { reviewDate },
      });
    });
  }

  /**
   * Adds observables to an item the actor owns, one committed batch at a time: a batch is
   * acknowledged only after its transaction (with its audit record) commits, so a crash loses
   * no acknowledged batch and leaves no partial one.
   */
  /**
   * Appends observables to the originator's item in one transaction, and correlates them as a
   * publication would: visible matches are returned, hidden ones become hits for their owners.
   */
  async appendObservables(actor: Actor, itemId: string, list: { type: string; value: string }[]) {
    requirePermission(actor, 'items:write');
    const { good, bad } = normalizeObservables(list);
    const hits: store.SharingTables['hits'][] = [];
    const now = this.clock.now();
    const correlation = await this.db.transaction().execute(async (tx) => {
      const row = await this.requireVisible(actor, itemId, tx);
      if (!isOriginator(actor, { ownerOrgId: row.owner_org_id, authorId: row.author_id }))
        throw notFound('item');
      await store.insertObservables(
        tx,
        good.map((o) => ({
          item_id: itemId,
          type: o.type,
          value: o.value,
          normalized: o.normalized,
          subtype: o.subtype,
        })),
      );
      const corr = await this.correlateIn(tx, actor, itemId, good, hits, now);
      await store.insertHits(tx, hits);
      await store.touchItem(tx, itemId, now);
      await this.audit.append(tx, subjectOf(actor), {
        action: 'alteration',
        objectType: 'item',
        objectId: itemId,
        details: { observablesAdded: good.length, rejected: bad.length },
      });
      if (corr.visible.length || hits.length) {
        await this.audit.append(tx, subjectOf(actor), {
          action: 'combination',
          objectType: 'item',
          objectId: itemId,
          details: { visibleMatches: corr.visible.map((v) => v.itemId), restrictedMatches: hits.length },
        });
      }
      return corr;
    });
    this.announceHits(actor, hits);
    return { accepted: good.length, rejected: bad, correlation };
  }

  private announceHits(actor: Actor, hits: store.SharingTables['hits'][]): void {
    for (const h of hits) {
      this.events.publish({
        type: 'hit',
        hitId: h.id,
        ownerOrgId: h.owner_org_id,
        requesterUserId: actor.userId,
      });
    }
  }

  /** The originator attaches a file; its type is checked on its bytes (see attachments.ts). */
  async attach(
    actor: Actor,
    itemId: string,
    input: { filename: string; mediaType: string; contentBase64: string },
  ) {
    requirePermission(actor, 'items:write');
    const file = checkAttachment(input);
    const id = newId();
    const now = this.clock.now();
    await this.db.transaction().execute(async (tx) => {
      const row = await this.requireVisible(actor, itemId, tx);
      if (!isOriginator(actor, { ownerOrgId: row.owner_org_id, authorId: row.author_id }))
        throw notFound('item');
      await store.insertAttachment(tx, {
        id,
        item_id: itemId,
        filename: file.filename,
        media_type: file.mediaType,
        size: file.size,
        sha256: file.sha256,
        content: file.content,
        uploaded_by: actor.userId,
        created_at: now,
      });
      await store.touchItem(tx, itemId, now);
      await this.audit.append(tx, subjectOf(actor), {
        action: 'alteration',
        objectType: 'item',
        objectId: itemId,
        details: { attachment: id, sha256: file.sha256, size: file.size },
      });
    });
    return {
      id,
      filename: file.filename,
      mediaType: file.mediaType,
      size: file.size,
      sha256: file.sha256,
      createdAt: now.toISOString(),
    };
  }

  /** Downloads an attachment: the same visibility and justification rules as the item, and audited. */
  async download(actor: Actor, itemId: string, attachmentId: string, justification: string | null) {
    const row = isUuid(itemId) ? await store.findItemForActor(this.db, actor, itemId) : undefined;
    const file =
      row?.visible && isUuid(attachmentId)
        ? await store.findAttachment(this.db, itemId, attachmentId)
        : undefined;
    if (!row?.visible || !file) {
      await this.audit.append(this.db, subjectOf(actor), {
        action: 'access_denied',
        objectType: 'attachment',
        objectId: attachmentId,
      });
      throw notFound('attachment');
    }
    if (row.personal_data && (!justification || justification.trim().length < 3)) {
      throw new AppError('JUSTIFICATION_REQUIRED', 'This item holds personal data: state why you consult it');
    }
    await this.audit.append(this.db, subjectOf(actor), {
      action: 'consultation',
      objectType: 'attachment',
      objectId: attachmentId,
      justification: justification?.trim() ?? null,
      details: { item: itemId, sha256: file.sha256 },
    });
    return { filename: file.filename, mediaType: file.media_type, content: Buffer.from(file.content) };
  }

  async auditExport(actor: Actor, itemId: string, format: string): Promise<void> {
    await this.audit.append(this.db, subjectOf(actor), {
      action: 'disclosure',
      objectType: 'item',
      objectId: itemId,
      details: { export: format },
    });
  }
}

/** Visible matches listed; hidden ones only counted per observable. */
function splitMatches(matches: store.CorrelationMatch[], common: store.CommonValue[]): Correlation {
  const visible: Correlation['visible'] = [];
  const restricted = new Map<string, { observableType: string; normalized: string; count: number }>();
  for (const m of matches) {
    if (m.visible) {
      visible.push({
        itemId: m.item_id,
        title: m.title,
        kind: m.kind,
        observableType: m.type,
        normalized: m.normalized,
      });
      continue;
    }
    const key = `${m.type}\u0000${m.normalized}`;
    const r = restricted.get(key) ?? { observableType: m.type, normalized: m.normalized, count: 0 };
    r.count++;
    restricted.set(key, r);
  }
  return {
    visible,
    restricted: [...restricted.values()],
    common: common.map((c) => ({ observableType: c.type, normalized: c.normalized, count: c.item_count })),
  };
}

function uniquePairs(obs: { type: string; normalized: string }[]) {
  const seen = new Map<string, { type: string; normalized: string }>();
  for (const o of obs) seen.set(`${o.type}\u0000${o.normalized}`, { type: o.type, normalized: o.normalized });
  return [...seen.values()];
}

function hasRecipients(d: Distribution): boolean {
  return d.node || d.orgs.length > 0 || d.users.length > 0 || d.communities.length > 0;
}

function recipientsOf(d: Distribution): string[] {
  return [
    ...d.orgs.map((o) => `org:${o}`),
    ...d.users.map((u) => `user:${u}`),
    ...d.communities.map((c) => `community:${c}`),
    ...(d.node ? ['node'] : []),
  ];
}

function unionDistribution(a: Distribution, b: Distribution): Distribution {
  return {
    orgs: [...new Set([...a.orgs, ...b.orgs])],
    users: [...new Set([...a.users, ...b.users])],
    communities: [...new Set([...a.communities, ...b.communities])],
    node: a.node || b.node,
  };
}

function markingOf(row: store.ItemRow) {
  return {
    tlp: row.tlp,
    handlingCode: row.handling_code,
    sourceReliability: row.source_reliability,
    infoCredibility: row.info_credibility,
  };
}

function dateOnly(d: string | Date): string {
  return typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10);
}

function toSummary(
  r: store.ItemRow,
  observableCount: number,
  names: { users: Map<string, { name: string }>; orgs: Map<string, string> },
): ItemSummary {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    marking: markingOf(r),
    ownerOrgId: r.owner_org_id,
    ownerOrgName: names.orgs.get(r.owner_org_id) ?? '—',
    authorName: names.users.get(r.author_id)?.name ?? '—',
    createdAt: r.created_at.toISOString(),
    personalData: r.personal_data,
    observableCount: Number(observableCount),
  };
}

/** Every canonical form a searched value can take, so one search box finds a container, an IBAN or a name. */
export function observableCandidates(value: string): string[] {
  const out = new Set<string>([value.trim()]);
  for (const type of OBSERVABLE_TYPES) {
    const n = normalizeObservable(type, value);
    if (n.ok) out.add(n.value);
  }
  return [...out];
}
