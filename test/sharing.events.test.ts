import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgs, type Person, person, publish, uniqueWord } from './support/api-client.ts';
import { type Engine, engines, type TestNode, testApp, testNode } from './support/node.ts';

/** What the live stream tells whom: recipients learn of new items, authors are not told of their own. */
describe.each(engines())('live events (%s)', (engine: Engine) => {
  let node: TestNode;
  let app: FastifyInstance;
  let baseUrl: string;

  beforeAll(async () => {
    node = await testNode(engine);
    app = await testApp(node.ctx);
    await app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
    await node.close();
  });

  function stream(who: Person) {
    let text = '';
    const req = http.get(`${baseUrl}/api/events`, { headers: { cookie: who.cookie } });
    const connected = new Promise<void>((resolve) => {
      req.on('response', (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          if (text.includes(': connected')) resolve();
        });
      });
    });
    const until = async (needle: string, ms: number) => {
      const end = Date.now() + ms;
      while (!text.includes(needle) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      return text.includes(needle);
    };
    return { connected, until, text: () => text, close: () => req.destroy() };
  }

  it('sends a personal-data item without its title, and nothing to its author', async () => {
    const o = await orgs(node.ctx);
    const [author, reader] = [await person(app, node.ctx, o.a), await person(app, node.ctx, o.b)];
    const [authorStream, readerStream] = [stream(author), stream(reader)];
    try {
      await Promise.all([authorStream.connected, readerStream.connected]);
      const everyone = { orgs: [o.a.id, o.b.id], users: [], communities: [], node: false };
      const personal = await publish(app, author, {
        title: `Suspect ${uniqueWord()} seen at the terminal`,
        distribution: everyone,
        personalData: { subjectCategory: 'suspect', reviewDate: '2027-01-31' },
      });
      const plain = await publish(app, author, { title: `Reefer ${uniqueWord()}`, distribution: everyone });
      expect(await readerStream.until(plain.id, 10_000)).toBe(true);
      expect(readerStream.text()).toContain(personal.id);
      expect(readerStream.text()).not.toContain(personal.title);
      expect(readerStream.text()).toContain(plain.title);
      // The author's stream saw the reader's events' turn pass (same bus) and got neither item.
      await authorStream.until('\u0000never', 300);
      expect(authorStream.text()).not.toContain(personal.id);
      expect(authorStream.text()).not.toContain(plain.id);
    } finally {
      authorStream.close();
      readerStream.close();
    }
  });
});
