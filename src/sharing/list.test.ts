import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildOrg,
  buildUser,
  type Engine,
  engines,
  type TestNode,
  testNode,
} from '../../test/support/node.ts';
import type { Actor } from '../platform/actor.ts';
import * as store from './sharing.store.ts';

/**
 * The list query counts up to a cap and ranks a text query among the newest matches only: both
 * bounds are what keeps a broad search fast on a million items, so their behaviour is pinned here
 * with a small cap.
 */
describe.each(engines())('item list with a capped count (%s)', (engine: Engine) => {
  let node: TestNode;
  let author: Actor;
  let outsider: Actor;
  const ids: string[] = [];

  beforeAll(async () => {
    node = await testNode(engine);
    const org = await buildOrg(node.ctx);
    author = (await buildUser(node.ctx, { orgId: org.id })).actor;
    outsider = (await buildUser(node.ctx)).actor;
    // Eight items a minute apart; the text of the oldest matches 'cocaine' best (title weight A,
    // word repeated), the newer ones mention it once in the body.
    for (let k = 0; k < 8; k++) {
      const title = k === 0 ? 'Cocaine cocaine cocaine in bananas' : `Report number ${k}`;
      const { item } = await node.ctx.sharing.publish(author, {
        kind: 'report',
        title,
        body:
          k === 0 ? 'cocaine' : k === 6 ? 'Cocaine cocaine in the reefer unit' : 'Traces of cocaine found.',
        marking: { tlp: 'AMBER', handlingCode: null, sourceReliability: null, infoCredibility: null },
        distribution: { orgs: [org.id], users: [], communities: [], node: false },
        personalData: null,
        observables: [],
        addressees: [],
        deadline: null,
      });
      ids.push(item.id);
      node.clock.advance(60_000);
    }
  });
  afterAll(() => node.close());

  const list = (actor: Actor, f: Partial<store.ListFilter>) =>
    store.listItems(node.ctx.database.db, actor, { limit: 3, offset: 0, countCap: 5, ...f });

  it('counts up to the cap and says when there are more', async () => {
    const all = await list(author, {});
    expect(all).toMatchObject({ total: 5, totalCapped: true });
    expect(all.rows.map((r) => r.id)).toEqual([ids[7], ids[6], ids[5]]);
    const exact = await list(author, { countCap: 8 });
    expect(exact).toMatchObject({ total: 8, totalCapped: false });
  });

  it('pages by date beyond the counted window for an unqueried list', async () => {
    const far = await list(author, { offset: 6, limit: 3 });
    expect(far.rows.map((r) => r.id)).toEqual([ids[1], ids[0]]);
    const near = await list(author, { offset: 3, limit: 3 });
    expect(near.rows.map((r) => r.id)).toEqual([ids[4], ids[3], ids[2]]);
  });

  it('ranks a text query among the newest matches only', async () => {
    // Window of 6 newest matches (ids 7..2): the best of them (id 6) comes first; the oldest item,
    // the best match overall, is outside the window.
    const ranked = await list(author, { q: 'cocaine', limit: 8 });
    expect(ranked.rows[0]?.id).toBe(ids[6]);
    expect(ranked.rows.map((r) => r.id)).not.toContain(ids[0]);
    expect(ranked).toMatchObject({ total: 5, totalCapped: true });
    // With a window large enough, the oldest item ranks first.
    const wide = await list(author, { q: 'cocaine', limit: 8, countCap: 100 });
    expect(wide.rows[0]?.id).toBe(ids[0]);
    expect(wide).toMatchObject({ total: 8, totalCapped: false });
  });

  it('counts and ranks only what the actor may see', async () => {
    expect(await list(outsider, {})).toEqual({ rows: [], total: 0, totalCapped: false });
    expect(await list(outsider, { q: 'cocaine' })).toEqual({ rows: [], total: 0, totalCapped: false });
  });
});
