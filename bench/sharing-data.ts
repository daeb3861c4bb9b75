/**
 * Data for the sharing benchmark: a larger world than the demo (more organisations and
 * communities on top of the demo world) and set-based SQL generators for items, distribution
 * scopes and observables, so millions of rows load in minutes through the real schema.
 *
 * Every generated observable is already in canonical form (`normalized = value`); a sample of
 * each type is checked against `normalizeObservable` before anything is measured.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { COMMUNITIES, communityId, demoOrgs, orgId } from '../src/demo/world.ts';
import { containerRemainder, normalizeObservable, type ObservableType } from '../src/identifiers/index.ts';
import type { OrgKind } from '../src/identity/index.ts';
import type { NodeContext } from '../src/server/context.ts';

// --- the world: demo organisations plus regional units, offices and private partners ----------------

export interface BenchOrg {
  n: number;
  id: string;
  name: string;
  country: string;
  sector: 'public' | 'private';
  kind: OrgKind;
}

const COUNTRIES = ['NL', 'BE', 'FR', 'DE', 'ES', 'IT'] as const;
const PORT_OF: Record<string, string> = {
  NL: 'NLRTM',
  BE: 'BEANR',
  FR: 'FRLEH',
  DE: 'DEHAM',
  ES: 'ESALG',
  IT: 'ITGIT',
};
const REGIONS: Record<string, string[]> = {
  NL: ['Rotterdam', 'Amsterdam', 'Den Haag', 'Zeeland-West-Brabant', 'Noord-Nederland', 'Oost-Brabant'],
  BE: ['Antwerpen', 'Brussel', 'Gent', 'Liège', 'Limburg', 'Charleroi'],
  FR: ['Le Havre', 'Marseille', 'Lille', 'Lyon', 'Bordeaux', 'Dunkerque'],
  DE: ['Hamburg', 'Bremen', 'Niedersachsen', 'Nordrhein-Westfalen', 'Bayern', 'Berlin'],
  ES: ['Algeciras', 'Valencia', 'Barcelona', 'Madrid', 'Galicia', 'Huelva'],
  IT: ['Gioia Tauro', 'Genova', 'Livorno', 'Napoli', 'Trieste', 'La Spezia'],
};
const PRIVATE_KINDS: OrgKind[] = [
  'terminal_operator',
  'terminal_operator',
  'shipping_line',
  'shipping_line',
  'forwarder',
  'forwarder',
  'haulier',
  'haulier',
];

/** Every organisation of the benchmark node, demo ones first (they publish most). */
export function benchOrgs(): BenchOrg[] {
  const out: BenchOrg[] = demoOrgs().map((o, i) => ({
    n: i,
    id: orgId(o.key),
    name: o.name,
    country: o.country,
    sector: o.sector,
    kind: o.kind,
  }));
  const add = (name: string, country: string, sector: 'public' | 'private', kind: OrgKind) =>
    out.push({ n: out.length, id: randomUUID(), name, country, sector, kind });
  for (const c of COUNTRIES) {
    for (const r of REGIONS[c] ?? []) add(`Police ${c} — regional unit ${r}`, c, 'public', 'police');
    for (const r of (REGIONS[c] ?? []).slice(0, 3)) add(`Customs ${c} — office ${r}`, c, 'public', 'customs');
    PRIVATE_KINDS.forEach((k, i) => {
      add(`${c} ${k.replace('_', ' ')} ${i + 1} (bench partner)`, c, 'private', k);
    });
  }
  return out;
}

export interface BenchCommunity {
  id: string;
  name: string;
  members: BenchOrg[];
}

/**
 * Communities: the three demo ones (extended to the new organisations by the same rule), one
 * national law-enforcement community per country, one port community per coalition port and a
 * few cross-border joint investigation teams.
 */
export function benchCommunities(orgs: BenchOrg[]): {
  extraDemo: Map<string, BenchOrg[]>;
  added: BenchCommunity[];
} {
  const demoKeys = new Set(demoOrgs().map((o) => orgId(o.key)));
  const synthetic = orgs.filter((o) => !demoKeys.has(o.id));
  const extraDemo = new Map<string, BenchOrg[]>();
  for (const c of COMMUNITIES) {
    extraDemo.set(
      communityId(c.key),
      synthetic.filter((o) =>
        c.members({ key: '', name: o.name, country: o.country, sector: o.sector, kind: o.kind }),
      ),
    );
  }
  const added: BenchCommunity[] = [];
  const le = new Set<OrgKind>(['customs', 'police', 'fiu', 'judicial']);
  for (const c of COUNTRIES) {
    added.push({
      id: randomUUID(),
      name: `${c} national law enforcement`,
      members: orgs.filter((o) => o.country === c && o.sector === 'public' && le.has(o.kind)),
    });
    added.push({
      id: randomUUID(),
      name: `${PORT_OF[c]} port community`,
      members: orgs.filter(
        (o) =>
          o.country === c && (o.sector === 'private' || o.kind === 'port_authority' || o.kind === 'customs'),
      ),
    });
  }
  const police = orgs.filter((o) => o.kind === 'police' || o.kind === 'judicial' || o.kind === 'eu_agency');
  for (let j = 0; j < 4; j++) {
    added.push({
      id: randomUUID(),
      name: `Joint investigation team ${j + 1}`,
      members: police.filter((_, i) => i % 7 === j),
    });
  }
  return { extraDemo, added };
}

/**
 * Seeds the extra organisations (through identity, audited), the extra communities and
 * memberships, and three author accounts per organisation (SQL; they cannot log in), then the
 * helper tables the generators join: bench_gen.orgs, bench_gen.org_comms, bench_gen.authors.
 */
export async function seedWorld(ctx: NodeContext, c: pg.ClientBase): Promise<{ orgs: BenchOrg[] }> {
  const orgs = benchOrgs();
  const demoIds = new Set(demoOrgs().map((o) => orgId(o.key)));
  for (const o of orgs) {
    if (demoIds.has(o.id)) continue;
    await ctx.identity.seedOrg({
      id: o.id,
      name: o.name,
      country: o.country,
      sector: o.sector,
      kind: o.kind,
    });
  }
  const { extraDemo, added } = benchCommunities(orgs);
  for (const [cid, members] of extraDemo) {
    for (const m of members) {
      await c.query('insert into community_members (community_id, org_id) values ($1, $2)', [cid, m.id]);
    }
  }
  for (const com of added) {
    await c.query('insert into communities (id, name, description) values ($1, $2, $3)', [
      com.id,
      com.name,
      'benchmark community',
    ]);
    for (const m of com.members) {
      await c.query('insert into community_members (community_id, org_id) values ($1, $2)', [com.id, m.id]);
    }
  }
  await c.query(`create table bench_gen.orgs (n int primary key, id uuid not null, sector text not null)`);
  await c.query(`insert into bench_gen.orgs select * from unnest($1::int[], $2::uuid[], $3::text[])`, [
    orgs.map((o) => o.n),
    orgs.map((o) => o.id),
    orgs.map((o) => o.sector),
  ]);
  await c.query(`create table bench_gen.org_comms as
    select o.n as org_n, array_agg(m.community_id order by m.community_id) as comms
    from bench_gen.orgs o join community_members m on m.org_id = o.id group by o.n`);
  await c.query('alter table bench_gen.org_comms add primary key (org_n)');
  const { rows } = await c.query<{ n: string }>(
    'select count(*) as n from bench_gen.orgs o where not exists (select 1 from bench_gen.org_comms c where c.org_n = o.n)',
  );
  if (Number(rows[0]?.n) !== 0) throw new Error('every benchmark organisation must belong to a community');
  await c.query(
    `create table bench_gen.authors (org_n int not null, k int not null, id uuid not null, primary key (org_n, k))`,
  );
  await c.query(
    `insert into bench_gen.authors select o.n, k, gen_random_uuid() from bench_gen.orgs o, generate_series(0, 2) k`,
  );
  await c.query(`insert into users (id, org_id, username, display_name, password_hash, roles, locale)
    select a.id, o.id, 'bench.' || a.org_n || '.' || a.k, 'Bench analyst ' || a.org_n || '.' || a.k, '!', '{analyst}', 'en'
    from bench_gen.authors a join bench_gen.orgs o on o.n = a.org_n`);
  return { orgs };
}

// --- SQL value generators -----------------------------------------------------------------------

const SYLLABLES = [
  'ba',
  'be',
  'bi',
  'bo',
  'da',
  'de',
  'di',
  'do',
  'ka',
  'ke',
  'ki',
  'ko',
  'la',
  'le',
  'li',
  'lo',
  'ma',
  'me',
  'mi',
  'mo',
  'na',
  'ne',
  'ni',
  'no',
  'pa',
  'pe',
  'pi',
  'po',
  'ra',
  're',
  'ri',
  'ro',
  'sa',
  'se',
  'si',
  'so',
  'ta',
  'te',
  'ti',
  'to',
  'va',
  've',
  'vi',
  'vo',
  'za',
  'ze',
  'zi',
  'zo',
  'bar',
  'den',
  'kor',
  'lan',
  'mer',
  'nor',
  'par',
  'ros',
  'sel',
  'tor',
  'van',
  'wil',
  'ber',
  'dor',
  'gan',
  'hal',
];
const FIRST_NAMES = [
  'jan',
  'pieter',
  'lotte',
  'sanne',
  'camille',
  'claire',
  'lucas',
  'jonas',
  'lukas',
  'anna',
  'marco',
  'giulia',
  'lucia',
  'marta',
  'carlos',
  'jose',
  'maria',
  'juan',
  'luis',
  'diego',
  'andres',
  'felipe',
  'sofia',
  'elena',
  'thomas',
  'nicolas',
  'julien',
  'pierre',
  'hans',
  'stefan',
  'michael',
  'sabine',
  'paolo',
  'luca',
  'matteo',
  'chiara',
  'ahmed',
  'mohamed',
  'youssef',
  'karim',
  'ivan',
  'dmitri',
  'ana',
  'pedro',
  'miguel',
  'javier',
  'rosa',
  'carmen',
  'kevin',
  'dylan',
  'bram',
  'thijs',
  'wout',
  'bert',
  'joris',
  'koen',
  'emma',
  'julia',
  'lea',
  'ines',
  'noah',
  'liam',
  'milan',
  'sem',
];
const INDUSTRY = [
  'fruit',
  'logistics',
  'import',
  'export',
  'shipping',
  'foods',
  'cargo',
  'transport',
  'agro',
  'trading',
];
const CONTAINER_OWNERS = ['MSCU', 'MAEU', 'CMAU', 'HLXU', 'SUDU', 'ONEU', 'EGHU', 'CGMU', 'TGHU', 'SEGU'];
const SCACS = ['MAEU', 'MEDU', 'CMDU', 'HLCU', 'ONEY', 'EGLV', 'COSU', 'ZIMU'];
const EMAIL_DOMAINS = [
  'gmail.com',
  'outlook.com',
  'protonmail.com',
  'yahoo.es',
  'web.de',
  'orange.fr',
  'libero.it',
  'hotmail.nl',
];
const TLDS = ['com', 'net', 'org', 'nl', 'es', 'io'];
const IP_FIRST = [
  5, 31, 37, 45, 62, 77, 79, 80, 81, 85, 89, 91, 93, 94, 95, 176, 178, 185, 188, 193, 194, 195, 212, 213, 217,
];
/** Coalition ports and origin ports: the "hot" location values that thousands of items share. */
export const HOT_LOCATIONS = [
  'NLRTM',
  'BEANR',
  'DEHAM',
  'FRLEH',
  'ESALG',
  'ESVLC',
  'ITGIT',
  'ECGYE',
  'ECPBO',
  'COCTG',
  'COBUN',
  'COTRB',
  'PECLL',
  'BRSSZ',
  'CRMOB',
  'PAONX',
];

const lit = (xs: readonly (string | number)[]) =>
  `array[${xs.map((x) => (typeof x === 'number' ? String(x) : `'${x.replace(/'/g, "''")}'`)).join(',')}]`;

/** A letter string as ISO 13616 digits (A = 10 … Z = 35). */
function ibanDigits(s: string): string {
  return [...s].map((ch) => (/\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55))).join('');
}

export const TEXT = {
  commodities: [
    'bananas',
    'coffee',
    'shrimp',
    'fruit juice',
    'pineapples',
    'cocoa beans',
    'avocados',
    'frozen fish',
  ],
  ports: ['Rotterdam', 'Antwerp', 'Hamburg', 'Le Havre', 'Algeciras', 'Valencia', 'Gioia Tauro'],
  origins: [
    'Guayaquil',
    'Puerto Bolívar',
    'Cartagena',
    'Buenaventura',
    'Turbo',
    'Callao',
    'Santos',
    'Moín',
    'Colón',
  ],
  indicators: [
    'late consignee change',
    'new consignee',
    'unusual transshipment',
    'seal anomaly',
    'freight paid by third party',
    'route deviation',
    'low declared value',
    'reefer set to an odd temperature',
  ],
  concealment: [
    'rip-on/rip-off',
    'false wall',
    'reefer engine compartment',
    'hidden in the cargo',
    'parasitic hull compartment',
    'container roof',
  ],
};

/** A bigint SQL expression, wrapped so the generators below can repeat it safely. */
type Gen = (i: string) => string;

const word: Gen = (i) =>
  `(${lit(SYLLABLES)})[1 + ((${i}) % 64)::int] || (${lit(SYLLABLES)})[1 + (((${i}) / 64) % 64)::int] || (${lit(SYLLABLES)})[1 + (((${i}) / 4096) % 64)::int]`;
const ownerRem = CONTAINER_OWNERS.map((o) => containerRemainder(`${o}000000`));
const serialDigit = (i: string, div: number) => `((((${i}) / 10) % 1000000) / ${div} % 10)`;
const nlBanks = ['ABNA', 'INGB', 'RABO', 'TRIO'];
const acct = (i: string) => `lpad((((${i}) / 8) % 10000000000)::text, 10, '0')`;
const blz = (i: string) => `(10000000 + ((${i}) / 2) % 4 * 1000000 + 700)::text`;
const imoFirst6 = (i: string) => `(900000 + ((${i}) % 100000))`;

/**
 * SQL expressions for canonical observable values from a bigint index: plain expressions (no
 * function calls of our own), so PostgreSQL evaluates them inline at bulk-load speed. Each is
 * bijective on the index range the load uses, so distinct indexes give distinct values.
 */
export const GEN: Record<string, Gen> = {
  word,
  container: (i) =>
    `(${lit(CONTAINER_OWNERS)})[1 + ((${i}) % 10)::int] || lpad((((${i}) / 10) % 1000000)::text, 6, '0') || ` +
    `((((${lit(ownerRem)})[1 + ((${i}) % 10)::int] + ${serialDigit(i, 100000)} * 16 + ${serialDigit(i, 10000)} * 32 + ` +
    `${serialDigit(i, 1000)} * 64 + ${serialDigit(i, 100)} * 128 + ${serialDigit(i, 10)} * 256 + ${serialDigit(i, 1)} * 512) % 11) % 10)::text`,
  bl: (i) => `(${lit(SCACS)})[1 + ((${i}) % 8)::int] || lpad((((${i}) / 8) % 1000000000)::text, 9, '0')`,
  vessel: (i) => {
    const f = imoFirst6(i);
    return (
      `'IMO' || ${f}::text || ((7 * (${f} / 100000 % 10) + 6 * (${f} / 10000 % 10) + 5 * (${f} / 1000 % 10) + ` +
      `4 * (${f} / 100 % 10) + 3 * (${f} / 10 % 10) + 2 * (${f} % 10)) % 10)::text`
    );
  },
  company: (i) =>
    `${word(`(${i}) % 262144`)} || ' ' || (${lit(INDUSTRY)})[1 + (((${i}) / 262144) % 10)::int]`,
  person: (i) =>
    `(${lit(FIRST_NAMES)})[1 + ((${i}) % 64)::int] || ' ' || ${word(`((${i}) / 64) % 262144`)} || ` +
    `case when (${i}) >= 16777216 then 'sen' || ((${i}) / 16777216)::text else '' end`,
  // Dutch (+31 6 1…5) and Belgian (+32 4 6…9) mobile numbers.
  phone: (i) =>
    `case when (${i}) % 3 = 0 then '+324' || (6 + ((${i}) / 3 / 10000000) % 4)::text || lpad((((${i}) / 3) % 10000000)::text, 7, '0') ` +
    `else '+316' || (1 + ((${i}) / 10000000) % 5)::text || lpad(((${i}) % 10000000)::text, 7, '0') end`,
  email: (i) =>
    `(${lit(FIRST_NAMES)})[1 + ((${i}) % 64)::int] || '.' || ${word(`((${i}) / 64) % 262144`)} || '@' || ` +
    `(${lit(EMAIL_DOMAINS)})[1 + (((${i}) / 16777216) % 8)::int]`,
  // NL (bank code + 10-digit account) and DE (8-digit bank code + 10-digit account), MOD 97-10.
  iban: (i) =>
    `case when (${i}) % 2 = 0 then 'NL' || lpad((98 - (((${lit(nlBanks.map(ibanDigits))})[1 + (((${i}) / 2) % 4)::int] || ${acct(i)} || '232100')::numeric % 97))::text, 2, '0') ` +
    `|| (${lit(nlBanks)})[1 + (((${i}) / 2) % 4)::int] || ${acct(i)} ` +
    `else 'DE' || lpad((98 - ((${blz(i)} || ${acct(i)} || '131400')::numeric % 97))::text, 2, '0') || ${blz(i)} || ${acct(i)} end`,
  crypto: (i) => `'0x' || md5('w' || (${i})) || substr(md5('x' || (${i})), 1, 8)`,
  plate: (i) =>
    `chr(65 + ((${i}) % 26)::int) || chr(65 + (((${i}) / 26) % 26)::int) || lpad((((${i}) / 676) % 1000)::text, 3, '0') || ` +
    `chr(65 + (((${i}) / 676000) % 26)::int) || chr(65 + (((${i}) / 17576000) % 26)::int)`,
  domain: (i) =>
    `${word(`(${i}) % 262144`)} || '-' || (${lit(INDUSTRY)})[1 + (((${i}) / 262144) % 10)::int] || '.' || ` +
    `(${lit(TLDS)})[1 + (((${i}) / 2621440) % 6)::int]`,
  ip: (i) =>
    `(${lit(IP_FIRST)})[1 + ((${i}) % 25)::int]::text || '.' || (((${i}) / 25) % 256)::text || '.' || ` +
    `(((${i}) / 6400) % 256)::text || '.' || (1 + ((${i}) / 1638400) % 254)::text`,
  hash: (i) =>
    `case when (${i}) % 4 < 2 then md5('file:' || (${i})) else encode(sha256(convert_to('file:' || (${i}), 'UTF8')), 'hex') end`,
  location: (i) => `(${lit(HOT_LOCATIONS)})[1 + ((${i}) % ${HOT_LOCATIONS.length})::int]`,
};

/** Deterministic uniform [0, 1) from (seed, n), as an inline SQL expression. */
export const u = (seed: number, g: string): string =>
  `((hashint8extended(${g}, ${seed}) & 2147483647)::float8 / 2147483648.0)`;
const pick = (xs: readonly string[], seed: number, g: string) =>
  `(${lit(xs)})[1 + floor(${u(seed, g)} * ${xs.length})::int]`;
export const itemIdSql = (n: string): string => `md5('portshield-bench-item:' || (${n}))::uuid`;

/** Schema bench_gen with one SQL function per generator, for the few values made outside bulk loads. */
export async function createGenerators(c: pg.ClientBase): Promise<void> {
  await c.query('create schema bench_gen');
  for (const [name, gen] of Object.entries(GEN)) {
    await c.query(
      `create function bench_gen.${name}(i bigint) returns text language sql immutable parallel safe as $f$ select ${gen('i')} $f$`,
    );
  }
}

export interface TypeSpec {
  type: ObservableType;
  /** Share of all observables. */
  share: number;
  /** SQL for the subtype, given the value in column `v`. */
  subtype: string;
  /** Values drawn only from a fixed pool (vessels, ports) of this size for a run of `totalObs` observables. */
  pool?: (totalObs: number) => number;
  /** Fresh values of this type are safe to mint beyond the loaded range (bijective generator). */
  fresh: boolean;
}

export const TYPES: TypeSpec[] = [
  { type: 'container', share: 0.2, subtype: 'null', fresh: true },
  { type: 'bl', share: 0.05, subtype: 'null', fresh: true },
  {
    type: 'vessel',
    share: 0.03,
    subtype: 'null',
    pool: (n) => Math.max(1000, Math.round((60_000 * n) / 10_000_000)),
    fresh: false,
  },
  { type: 'company', share: 0.1, subtype: 'null', fresh: true },
  { type: 'person', share: 0.1, subtype: 'null', fresh: true },
  { type: 'phone', share: 0.12, subtype: `'mobile'`, fresh: true },
  { type: 'email', share: 0.07, subtype: 'null', fresh: true },
  { type: 'iban', share: 0.08, subtype: 'null', fresh: true },
  { type: 'crypto', share: 0.07, subtype: `'eth'`, fresh: true },
  { type: 'plate', share: 0.04, subtype: 'null', fresh: true },
  { type: 'domain', share: 0.04, subtype: 'null', fresh: true },
  { type: 'ip', share: 0.03, subtype: `'ipv4'`, fresh: true },
  {
    type: 'hash',
    share: 0.05,
    subtype: `case when length(v) = 32 then 'md5' else 'sha256' end`,
    fresh: true,
  },
  { type: 'location', share: 0.02, subtype: 'null', pool: () => HOT_LOCATIONS.length, fresh: false },
];

/** Share of observables whose value recurs in a few other items; the rest are unique. */
export const SHARED_FRACTION = 0.15;
/** Mean number of occurrences of a recurring value. */
export const SHARED_REPEAT = 3;

// --- items and their distribution -------------------------------------------------------------

/**
 * Per item number g: owner organisation (skewed towards the first, the big demo agencies), TLP,
 * a uniform draw for the distribution class, creation time. A lateral subquery with these
 * columns (`offset 0` keeps it from being inlined and recomputed).
 */
function itemBasics(g: string, orgCount: number, totalItems: number): string {
  return `select floor(power(${u(1, g)}, 1.6) * ${orgCount})::int as owner_n,
      case when ${u(2, g)} < 0.03 then 'RED' when ${u(2, g)} < 0.15 then 'AMBER+STRICT' when ${u(2, g)} < 0.65 then 'AMBER'
           when ${u(2, g)} < 0.93 then 'GREEN' else 'CLEAR' end as tlp,
      ${u(3, g)} as ud,
      timestamptz '2023-01-02 00:00:00+00' + (${g}::float8 / ${totalItems}) * interval '1095 days' + ${u(6, g)} * interval '1 hour' as created
    offset 0`;
}

/**
 * Distribution class from TLP and a draw: owner (the owner organisation only), orgs (1–3 named
 * organisations), community (1, sometimes 2, of the owner's communities), node (every
 * organisation of the node), users (named users: TLP:RED).
 */
function dclass(tlp: string, ud: string): string {
  return `case ${tlp}
    when 'RED' then 'users'
    when 'AMBER+STRICT' then case when ${ud} < 0.5 then 'owner' else 'orgs' end
    when 'AMBER' then case when ${ud} < 0.2 then 'owner' when ${ud} < 0.3 then 'orgs' when ${ud} < 0.95 then 'community' else 'node' end
    when 'GREEN' then case when ${ud} < 0.1 then 'orgs' when ${ud} < 0.7 then 'community' else 'node' end
    else case when ${ud} < 0.2 then 'community' else 'node' end end`;
}

export async function insertItems(
  c: pg.ClientBase,
  from: number,
  to: number,
  orgCount: number,
  totalItems: number,
): Promise<void> {
  const t = TEXT;
  await c.query(
    `insert into items (id, kind, title, body, owner_org_id, author_id, tlp, handling_code, source_reliability,
        info_credibility, personal_data, subject_category, review_date, created_at, updated_at, search)
     select ${itemIdSql('g')}, f.kind, f.title, f.body, o.id, a.id, d.tlp,
        case when o.sector = 'public' then f.hc end, f.sr, f.ic, f.pd,
        case when f.pd then 'suspect' end, case when f.pd then (d.created + interval '3 years')::date end,
        d.created, d.created,
        setweight(to_tsvector('portshield', f.title), 'A') || setweight(to_tsvector('portshield', f.body), 'B')
     from generate_series($1::bigint, $2::bigint) g
     cross join lateral (${itemBasics('g', orgCount, totalItems)}) d
     cross join lateral (select ${dclass('d.tlp', 'd.ud')} as dc, floor(${u(4, 'g')} * 3)::int as author_k,
        ${u(5, 'g')} as uk, ${u(7, 'g')} as uh, ${u(8, 'g')} as up,
        ${pick(t.commodities, 10, 'g')} as commodity, ${pick(t.ports, 11, 'g')} as port, ${pick(t.origins, 12, 'g')} as origin,
        ${pick(t.indicators, 13, 'g')} as ind1, ${pick(t.indicators, 14, 'g')} as ind2, ${pick(t.concealment, 15, 'g')} as concealment,
        2 * floor(${u(16, 'g')} * $3::bigint * 2)::bigint + 1 as ci,
        2 * floor(${u(17, 'g')} * $3::bigint / 4)::bigint + 1 as coi,
        floor(${u(18, 'g')} * 60000)::bigint as vi
        offset 0) w
     cross join lateral (select ${GEN.container!('w.ci')} as container, initcap(${GEN.company!('w.coi')}) as company,
        ${GEN.vessel!('w.vi')} as vessel offset 0) x
     cross join lateral (select
        case when w.uk < 0.35 then 'alert' when w.uk < 0.85 or w.dc = 'owner' then 'report' else 'rfi' end as kind,
        case when w.uh < 0.1 then 'H0' when w.uh < 0.15 then 'H1' when w.uh < 0.27 then 'H2' when w.uh < 0.3 then 'H3' end as hc,
        (array['A','B','B','C','X'])[1 + floor(${u(19, 'g')} * 5)::int] as sr,
        (array['1','2','2','3','4'])[1 + floor(${u(20, 'g')} * 5)::int] as ic,
        w.up < 0.04 as pd,
        case when w.uk < 0.35 then 'Alert: ' || w.commodity || ' in ' || x.container || ' from ' || w.origin || ' to ' || w.port
             when w.uk < 0.85 or w.dc = 'owner' then 'Report: ' || w.concealment || ' suspected at ' || w.port || ' — ' || x.company
             else 'Request: information on ' || x.company || ' (' || w.origin || ')' end as title,
        'Reefer container ' || x.container || ' (' || w.commodity || ', consignee ' || x.company || ') routed '
          || w.origin || ' → ' || w.port || ' on vessel ' || x.vessel || '. Indicators: ' || w.ind1 || ', ' || w.ind2
          || '. Suspected concealment: ' || w.concealment || '.' as body) f
     join bench_gen.orgs o on o.n = d.owner_n
     join bench_gen.authors a on a.org_n = d.owner_n and a.k = w.author_k`,
    [from, to, totalItems],
  );
}

export async function insertScopes(
  c: pg.ClientBase,
  from: number,
  to: number,
  orgCount: number,
  totalItems: number,
): Promise<void> {
  const base = `from generate_series($1::bigint, $2::bigint) g
    cross join lateral (${itemBasics('g', orgCount, totalItems)}) d
    cross join lateral (select ${dclass('d.tlp', 'd.ud')} as dc offset 0) k`;
  const run = (select: string, joins: string, where: string) =>
    c.query(
      `insert into distribution_scopes (object_id, kind, ref) select ${itemIdSql('g')}, ${select} ${base} ${joins} where ${where} on conflict do nothing`,
      [from, to],
    );
  await run(`'node', '00000000-0000-0000-0000-000000000000'::uuid`, '', `k.dc = 'node'`);
  await run(
    `'community', oc.comms[1 + floor(${u(30, 'g')} * cardinality(oc.comms))::int]`,
    'join bench_gen.org_comms oc on oc.org_n = d.owner_n',
    `k.dc = 'community'`,
  );
  await run(
    `'community', oc.comms[1 + floor(${u(31, 'g')} * cardinality(oc.comms))::int]`,
    'join bench_gen.org_comms oc on oc.org_n = d.owner_n',
    `k.dc = 'community' and ${u(32, 'g')} < 0.2`,
  );
  await run(
    `'org', o.id`,
    `cross join generate_series(1, 3) j join bench_gen.orgs o on o.n = floor(${u(40, 'g + 7919 * j')} * ${orgCount})::int`,
    `k.dc = 'orgs' and j <= 1 + floor(${u(33, 'g')} * 3)`,
  );
  await run(
    `'user', a.id`,
    `cross join generate_series(1, 2) j join bench_gen.authors a on a.k = 0 and a.org_n = floor(${u(50, 'g + 7919 * j')} * ${orgCount})::int`,
    `k.dc = 'users' and j <= 1 + floor(${u(34, 'g')} * 2)`,
  );
  // The row-local copy of the scopes that the access condition reads for items (sharing keeps both
  // in the same transaction; here one set-based update per stage).
  await c.query(
    `update items i set scope_keys = k.keys
     from (select object_id,
             array_agg(case kind when 'node' then 'n' else left(kind, 1) || ':' || ref::text end) as keys
           from distribution_scopes
           where object_id in (select ${itemIdSql('g')} from generate_series($1::bigint, $2::bigint) g)
           group by object_id) k
     where k.object_id = i.id`,
    [from, to],
  );
}

/** Per-type observable counters: rows [from, to) of the run's sequence for this type. */
export function typeRange(spec: TypeSpec, obsFrom: number, obsTo: number): [number, number] {
  return [Math.round(obsFrom * spec.share), Math.round(obsTo * spec.share)];
}

/**
 * Observables of one type for items [itemFrom, itemTo]. Value index: unique values at even
 * indexes (2g), recurring ones at odd indexes drawn from a pool that grows with the data, so a
 * recurring value appears in about SHARED_REPEAT items; vessels and ports come from fixed pools.
 */
export async function insertObservables(
  c: pg.ClientBase,
  spec: TypeSpec,
  gFrom: number,
  gTo: number,
  itemFrom: number,
  itemTo: number,
  totalObs: number,
): Promise<void> {
  if (gTo <= gFrom) return;
  const seed = 100 + TYPES.indexOf(spec) * 10;
  const pool = spec.pool ? spec.pool(totalObs) : null;
  const idx = pool
    ? `floor(${u(seed + 1, 'g')} * ${pool})::bigint`
    : `case when ${u(seed + 1, 'g')} < ${SHARED_FRACTION}
         then 2 * floor(${u(seed + 2, 'g')} * greatest(1, g * ${SHARED_FRACTION / SHARED_REPEAT}))::bigint + 1
         else 2 * g end`;
  await c.query(
    `insert into observables (item_id, type, value, normalized, subtype)
     select ${itemIdSql(`$3::bigint + floor(${u(seed, 'g')} * ($4::bigint - $3::bigint + 1))::bigint`)}, $5, y.v, y.v, ${spec.subtype.replace(/\bv\b/g, 'y.v')}
     from generate_series($1::bigint, $2::bigint - 1) g
     cross join lateral (select ${idx} as i offset 0) x
     cross join lateral (select ${GEN[spec.type]!('x.i')} as v offset 0) y`,
    [gFrom, gTo, itemFrom, itemTo, spec.type],
  );
}

/** A value of this type that no loaded observable has: beyond the loaded range of unique indexes. */
export function freshValueSql(spec: TypeSpec, k: number, totalObs: number): string {
  const beyond = Math.round(totalObs * spec.share) + 10 + k;
  return `bench_gen.${spec.type}(${2 * beyond})`;
}

/** Checks that every generated type is in canonical form: normalizing it again changes nothing. */
export async function verifyCanonical(
  c: pg.ClientBase,
  perType = 300,
): Promise<{ checked: number; bad: string[] }> {
  const bad: string[] = [];
  let checked = 0;
  for (const spec of TYPES) {
    const { rows } = await c.query<{ value: string; normalized: string; subtype: string | null }>(
      `select value, normalized, subtype from observables where type = $1 order by random() limit $2`,
      [spec.type, perType],
    );
    for (const r of rows) {
      checked++;
      const n = normalizeObservable(spec.type, r.value);
      if (!n.ok || n.value !== r.normalized || (n.kind ?? null) !== r.subtype) {
        bad.push(`${spec.type} ${r.value}: ${n.ok ? `${n.value} ${n.kind ?? ''}` : n.message}`);
      }
    }
  }
  return { checked, bad };
}

// --- bulk-load helpers: drop secondary indexes and foreign keys, load, rebuild from their own DDL -----

export interface SavedDdl {
  indexes: { name: string; table: string; def: string }[];
  fks: { name: string; table: string; def: string }[];
}

export async function dropForLoad(c: pg.ClientBase, tables: string[]): Promise<SavedDdl> {
  const { rows: idx } = await c.query<{ name: string; table: string; def: string }>(
    `select i.indexrelid::regclass::text as name, i.indrelid::regclass::text as table, pg_get_indexdef(i.indexrelid) as def
     from pg_index i where i.indrelid = any($1::regclass[]) and not i.indisprimary
       and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)`,
    [tables],
  );
  const { rows: fks } = await c.query<{ name: string; table: string; def: string }>(
    `select conname as name, conrelid::regclass::text as table, pg_get_constraintdef(oid) as def
     from pg_constraint where contype = 'f' and conrelid = any($1::regclass[])`,
    [tables],
  );
  for (const f of fks) await c.query(`alter table ${f.table} drop constraint ${f.name}`);
  for (const i of idx) await c.query(`drop index ${i.name}`);
  return { indexes: idx, fks };
}

export async function restoreAfterLoad(c: pg.ClientBase, saved: SavedDdl): Promise<void> {
  for (const i of saved.indexes) await c.query(i.def);
  for (const f of saved.fks) await c.query(`alter table ${f.table} add constraint ${f.name} ${f.def}`);
}
