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
 * The correlation limit: a value carried by more items than the limit is reported as common (a
 * count) and not matched item by item, so it raises no hits. Pinned with a limit of 2.
 */
describe.each(engines())('correlation limit (%s)', (engine: Engine) => {
  let node: TestNode;
  let author: Actor;
  let reader: Actor;

  const publish = async (observables: { type: string; value: string }[]) =>
    (
      await node.ctx.sharing.publish(author, {
        kind: 'report',
        title: 'Port call report',
        body: '',
        marking: { tlp: 'AMBER', handlingCode: null, sourceReliability: null, infoCredibility: null },
        distribution: { orgs: [author.orgId], users: [], communities: [], node: false },
        personalData: null,
        observables,
        addressees: [],
        deadline: null,
      })
    ).item.id;

  beforeAll(async () => {
    node = await testNode(engine);
    author = (await buildUser(node.ctx, { orgId: (await buildOrg(node.ctx)).id })).actor;
    reader = (await buildUser(node.ctx)).actor;
    for (let k = 0; k < 3; k++) await publish([{ type: 'location', value: 'NLRTM' }]);
    await publish([{ type: 'vessel', value: 'IMO 9074729' }]);
  });
  afterAll(() => node.close());

  const pairs = [
    { type: 'location', normalized: 'NLRTM' },
    { type: 'vessel', normalized: 'IMO9074729' },
  ];

  it('matches rare values item by item and only counts common ones', async () => {
    const { matches, common } = await store.correlate(node.ctx.database.db, author, pairs, null, 2);
    expect(common).toEqual([{ type: 'location', normalized: 'NLRTM', item_count: 3 }]);
    expect(matches.map((m) => [m.type, m.normalized, m.visible])).toEqual([['vessel', 'IMO9074729', true]]);
  });

  it('for another organisation: the rare value is a hidden match, the common one still only a count', async () => {
    const { matches, common } = await store.correlate(node.ctx.database.db, reader, pairs, null, 2);
    expect(common).toEqual([{ type: 'location', normalized: 'NLRTM', item_count: 3 }]);
    expect(matches.map((m) => [m.type, m.visible])).toEqual([['vessel', false]]);
  });

  it('at the limit a value is still correlated', async () => {
    const { matches, common } = await store.correlate(node.ctx.database.db, author, pairs, null, 3);
    expect(common).toEqual([]);
    expect(matches.filter((m) => m.type === 'location')).toHaveLength(3);
  });
});
