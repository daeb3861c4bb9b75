import { createHash } from 'node:crypto';
import { bech32 } from '@scure/base';
import { type Actor, createCommunity, type Distribution, type Marking } from '../access/index.ts';
import type { NodeContext } from '../server/context.ts';
import type { ItemInput } from '../sharing/index.ts';
import { seedCargoDemo } from './cargo-demo.ts';
import { seedFinanceDemo } from './finance-demo.ts';
import {
  COMMUNITIES,
  communityId,
  containerNumber,
  DEMO_PASSWORD,
  type DemoUser,
  demoOrgs,
  demoTotpSecret,
  demoUsers,
  imoNumber,
  ORIGIN_PORTS,
  orgId,
  PORTS,
  rng,
} from './world.ts';

/** The planted network that crosses every module (see DESIGN.md, "The demo world"). */
export function plantedNetwork() {
  const r = rng(20261121);
  return {
    container: containerNumber(r),
    secondContainer: containerNumber(r),
    vessel: imoNumber(r),
    shellConsignee: 'Frutas del Pacífico S.A.C.',
    transshipmentPort: 'PAONX',
    wallet: btcAddress('planted-wallet-1'),
    walletTwo: btcAddress('planted-wallet-2'),
    insiderPhone: '+31 6 41 87 22 90',
    brokerPhone: '+593 99 412 7731',
    iban: 'NL91ABNA0417164300',
  };
}

function btcAddress(seed: string): string {
  const program = createHash('sha256').update(seed).digest().subarray(0, 20);
  return bech32.encode('bc', [0, ...bech32.toWords(program)]);
}

export interface SeedReport {
  orgs: number;
  users: number;
  communities: number;
  items: number;
  logins: { username: string; org: string; totpSecret: string }[];
}

export interface SeedOptions {
  items?: number;
  seed?: number;
  onProgress?: (done: number, total: number) => void;
}

export async function seedDemo(ctx: NodeContext, opts: SeedOptions = {}): Promise<SeedReport> {
  const orgs = demoOrgs();
  const users = demoUsers(orgs);
  const logins = users.map((u) => ({
    username: u.username,
    org: orgs.find((o) => o.key === u.orgKey)!.name,
    totpSecret: demoTotpSecret(u.username),
  }));
  if (await ctx.identity.userExists('admin')) {
    return { orgs: orgs.length, users: users.length, communities: COMMUNITIES.length, items: 0, logins };
  }
  const total = orgs.length + users.length + (opts.items ?? 300);
  let done = 0;
  const tick = () => opts.onProgress?.(++done, total);
  for (const o of orgs) {
    await ctx.identity.seedOrg({
      id: orgId(o.key),
      name: o.name,
      country: o.country,
      sector: o.sector,
      kind: o.kind,
    });
    tick();
  }
  for (const c of COMMUNITIES) {
    await ctx.database.db.transaction().execute(async (tx) => {
      await createCommunity(
        tx,
        {
          name: c.name,
          description: c.description,
          memberOrgIds: orgs.filter(c.members).map((o) => orgId(o.key)),
        },
        communityId(c.key),
      );
      await ctx.audit.append(
        tx,
        { userId: null, orgId: null },
        {
          action: 'collection',
          objectType: 'community',
          objectId: communityId(c.key),
          details: { name: c.name, via: 'cli' },
        },
      );
    });
  }
  for (const u of users) {
    await ctx.identity.createUser(
      null,
      {
        username: u.username,
        displayName: u.displayName,
        orgId: orgId(u.orgKey),
        roles: u.roles,
        password: DEMO_PASSWORD,
        locale: u.locale,
      },
      { totpSecret: demoTotpSecret(u.username) },
    );
    tick();
  }
  const items = await seedItems(ctx, users, opts.items ?? 300, opts.seed ?? 7, tick);
  await seedFinanceDemo(ctx);
  await seedCargoDemo(ctx, plantedNetwork());
  return { orgs: orgs.length, users: users.length, communities: COMMUNITIES.length, items, logins };
}

const marking = (tlp: Marking['tlp'], handlingCode: Marking['handlingCode'] = null): Marking => ({
  tlp,
  handlingCode,
  sourceReliability: 'B',
  infoCredibility: '2',
});
const dist = (d: Partial<Distribution>): Distribution => ({
  orgs: [],
  users: [],
  communities: [],
  node: false,
  ...d,
});

async function seedItems(ctx: NodeContext, users: DemoUser[], count: number, seed: number, tick: () => void) {
  const actors = new Map<string, Actor>();
  const actor = async (username: string) => {
    let a = actors.get(username);
    if (!a) {
      a = await ctx.identity.actorForUsername(username);
      actors.set(username, a);
    }
    return a;
  };
  const p = plantedNetwork();
  const le = communityId('coalition-le');
  const ports = communityId('ports-alliance');
  const latam = communityId('latam');
  const today = ctx.clock.now();
  const inDays = (d: number) => new Date(today.getTime() + d * 86_400_000).toISOString().slice(0, 10);

  // The planted network, told from several agencies' side.
  const planted: [string, ItemInput][] = [
    [
      'nl.police.analyst',
      {
        kind: 'report',
        title: `Rip-on/rip-off suspected on reefer ${p.container} via Panama`,
        body: `Informant reporting (B2): container **${p.container}** (bananas, ${p.shellConsignee}) expected at Rotterdam via ${p.transshipmentPort}. Pick-up planned by an unknown haulier with a release code obtained from a terminal insider.`,
        marking: marking('AMBER', 'H2'),
        distribution: dist({ orgs: [orgId('nl.customs'), orgId('nl.judicial')] }),
        personalData: null,
        observables: [
          { type: 'container', value: p.container },
          { type: 'company', value: p.shellConsignee },
          { type: 'location', value: p.transshipmentPort },
          { type: 'vessel', value: p.vessel },
        ],
        addressees: [],
        deadline: null,
      },
    ],
    [
      'nl.police.analyst',
      {
        kind: 'report',
        title: 'Terminal insider approached by a broker',
        body: 'A terminal planner was approached to sell release codes. Contact by phone with a broker in Ecuador.',
        marking: marking('AMBER+STRICT', 'H1'),
        distribution: dist({ orgs: [orgId('nl.judicial')] }),
        personalData: { subjectCategory: 'suspect', reviewDate: inDays(365) },
        observables: [
          { type: 'phone', value: p.insiderPhone },
          { type: 'phone', value: p.brokerPhone },
        ],
        addressees: [],
        deadline: null,
      },
    ],
    [
      'ec.police.analyst',
      {
        kind: 'alert',
        title: `Pre-departure alert: ${p.shellConsignee} shipment from Guayaquil`,
        body: `Consignee registered four months ago; freight paid by a third party. Container ${p.secondContainer} loaded at ECGYE.`,
        marking: marking('AMBER'),
        distribution: dist({ communities: [latam] }),
        personalData: null,
        observables: [
          { type: 'company', value: p.shellConsignee },
          { type: 'container', value: p.secondContainer },
          { type: 'location', value: 'ECGYE' },
          { type: 'phone', value: p.brokerPhone },
        ],
        addressees: [],
        deadline: null,
      },
    ],
    [
      'nl.fiu.analyst',
      {
        kind: 'report',
        title: 'Crypto payments linked to a banana importer',
        body: `Unusual transactions: ${p.shellConsignee} paid through wallets cashed out at an exchange.`,
        marking: marking('AMBER', 'H2'),
        distribution: dist({ communities: [le] }),
        personalData: null,
        observables: [
          { type: 'crypto', value: p.wallet },
          { type: 'crypto', value: p.walletTwo },
          { type: 'iban', value: p.iban },
          { type: 'company', value: p.shellConsignee },
        ],
        addressees: [],
        deadline: null,
      },
    ],
    [
      'be.customs.analyst',
      {
        kind: 'rfi',
        title: `Request for information on ${p.shellConsignee}`,
        body: 'Do you hold data on this consignee or its directors? Needed for a targeting decision at Antwerp.',
        marking: marking('GREEN'),
        distribution: dist({ communities: [le] }),
        personalData: null,
        observables: [{ type: 'company', value: p.shellConsignee }],
        addressees: users
          .filter((u) => ['nl.customs.analyst', 'es.customs.analyst'].includes(u.username))
          .map(() => '')
          .filter(Boolean),
        deadline: new Date(today.getTime() + 7 * 86_400_000).toISOString(),
      },
    ],
  ];
  for (const [username, input] of planted) {
    if (input.kind === 'rfi') {
      const ids = await Promise.all(
        ['nl.customs.analyst', 'es.customs.analyst'].map(async (u) => (await actor(u)).userId),
      );
      input.addressees = ids;
    }
    await ctx.sharing.publish(await actor(username), input);
    tick();
  }

  // Background traffic: alerts, reports and requests with observables drawn from shared pools,
  // so that ordinary items correlate with each other as real ones do.
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const containers = Array.from({ length: 120 }, () => containerNumber(r));
  const vessels = Array.from({ length: 25 }, () => imoNumber(r));
  const companies = [
    'Agroexportadora Costa Verde S.A.',
    'Bananera del Oro Cía. Ltda.',
    'Café Andino S.A.S.',
    'Camarones del Golfo S.A.',
    'Tropical Juice Trading BV',
    'Fruchtimport Nord GmbH',
    'Primeurs du Havre SARL',
    'Frutta Mediterranea S.r.l.',
    'Importaciones Levante S.L.',
  ];
  const authors = users.filter(
    (u) =>
      u.roles.some((x) => ['analyst', 'officer', 'liaison'].includes(x)) && !u.orgKey.endsWith('.terminal'),
  );
  const kinds = ['alert', 'report', 'report', 'alert', 'rfi'] as const;
  const tlps: Marking['tlp'][] = ['GREEN', 'AMBER', 'AMBER', 'AMBER', 'AMBER+STRICT', 'CLEAR'];
  for (let i = planted.length; i < count; i++) {
    const author = pick(authors);
    const a = await actor(author.username);
    const kind = pick(kinds);
    const tlp = pick(tlps);
    const port = pick(PORTS);
    const origin = pick(ORIGIN_PORTS);
    const container = pick(containers);
    const company = pick(companies);
    const observables = [
      { type: 'container', value: container },
      { type: 'location', value: origin },
      ...(r() < 0.5 ? [{ type: 'company', value: company }] : []),
      ...(r() < 0.3 ? [{ type: 'vessel', value: pick(vessels) }] : []),
    ];
    const community = a.orgSector === 'private' ? ports : r() < 0.7 ? le : r() < 0.5 ? ports : latam;
    const d = r() < 0.15 ? dist({}) : dist({ communities: [community] });
    const handling = a.orgSector === 'public' && r() < 0.2 ? ('H2' as const) : null;
    await ctx.sharing.publish(a, {
      kind: kind === 'rfi' && d.communities.length === 0 ? 'report' : kind,
      title: `${kind === 'alert' ? 'Alert' : kind === 'rfi' ? 'Request' : 'Report'}: ${container} from ${origin} to ${port.locode}`,
      body: `Reefer container ${container} (${company}) routed ${origin} → ${port.locode}. Indicators: ${pick(['late consignee change', 'new consignee', 'unusual transshipment', 'seal anomaly', 'freight paid by third party'])}.`,
      marking: marking(tlp, handling),
      distribution: d,
      personalData: null,
      observables,
      addressees: [],
      deadline: null,
    });
    tick();
  }
  return count;
}
