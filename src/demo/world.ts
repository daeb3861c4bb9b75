import { createHash } from 'node:crypto';
import { containerCheckDigit, containerRemainder, imoCheckDigit } from '../identifiers/index.ts';
import type { OrgKind } from '../identity/index.ts';
import { uuidFromName } from '../platform/ids.ts';

/**
 * The demo world: the six coalition countries, the partners and the private companies of the
 * Ports Alliance, with deterministic ids so that tests, benchmarks and people see the same world.
 */
export interface DemoOrg {
  key: string;
  name: string;
  country: string;
  sector: 'public' | 'private';
  kind: OrgKind;
}

export interface DemoUser {
  username: string;
  displayName: string;
  orgKey: string;
  roles: ('analyst' | 'officer' | 'liaison' | 'dpo' | 'auditor' | 'org_admin' | 'node_admin')[];
  locale: 'en' | 'nl' | 'fr' | 'de' | 'es' | 'it';
}

export const DEMO_PASSWORD = 'portshield-demo';

const LOCALE: Record<string, DemoUser['locale']> = {
  NL: 'nl',
  BE: 'nl',
  FR: 'fr',
  DE: 'de',
  ES: 'es',
  IT: 'it',
  CO: 'es',
  PE: 'es',
  EC: 'es',
  EU: 'en',
};

const COUNTRY_AGENCIES: Record<string, { customs: string; police: string; fiu: string; judicial: string }> = {
  NL: {
    customs: 'Douane Nederland',
    police: 'Politie Nederland — Landelijke Eenheid',
    fiu: 'FIU-Nederland',
    judicial: 'Openbaar Ministerie — Landelijk Parket',
  },
  BE: {
    customs: 'Douane en Accijnzen België',
    police: 'Federale Gerechtelijke Politie Antwerpen',
    fiu: 'CFI-CTIF België',
    judicial: 'Federaal Parket België',
  },
  FR: {
    customs: 'Douane française — DNRED',
    police: 'OFAST',
    fiu: 'Tracfin',
    judicial: 'Parquet national — JUNALCO',
  },
  DE: {
    customs: 'Zollkriminalamt',
    police: 'Bundeskriminalamt',
    fiu: 'FIU Deutschland',
    judicial: 'Staatsanwaltschaft Hamburg',
  },
  ES: {
    customs: 'Vigilancia Aduanera',
    police: 'Policía Nacional — UDYCO',
    fiu: 'SEPBLAC',
    judicial: 'Fiscalía Especial Antidroga',
  },
  IT: {
    customs: 'Agenzia delle Dogane e dei Monopoli',
    police: 'Guardia di Finanza — SCICO',
    fiu: 'UIF Italia',
    judicial: 'Direzione Nazionale Antimafia',
  },
};

export const PORTS: { locode: string; country: string; authority: string }[] = [
  { locode: 'NLRTM', country: 'NL', authority: 'Port of Rotterdam Authority' },
  { locode: 'BEANR', country: 'BE', authority: 'Port of Antwerp-Bruges' },
  { locode: 'DEHAM', country: 'DE', authority: 'Hamburg Port Authority' },
  { locode: 'FRLEH', country: 'FR', authority: 'HAROPA Port Le Havre' },
  { locode: 'ESALG', country: 'ES', authority: 'Autoridad Portuaria Bahía de Algeciras' },
  { locode: 'ESVLC', country: 'ES', authority: 'Autoridad Portuaria de Valencia' },
  { locode: 'ITGIT', country: 'IT', authority: 'Autorità di Sistema Portuale Gioia Tauro' },
];

export const ORIGIN_PORTS = ['ECGYE', 'ECPBO', 'COCTG', 'COBUN', 'COTRB', 'PECLL', 'BRSSZ', 'CRMOB', 'PAONX'];

export function demoOrgs(): DemoOrg[] {
  const orgs: DemoOrg[] = [];
  for (const [c, a] of Object.entries(COUNTRY_AGENCIES)) {
    const cc = c.toLowerCase();
    orgs.push({ key: `${cc}.customs`, name: a.customs, country: c, sector: 'public', kind: 'customs' });
    orgs.push({ key: `${cc}.police`, name: a.police, country: c, sector: 'public', kind: 'police' });
    orgs.push({ key: `${cc}.fiu`, name: a.fiu, country: c, sector: 'public', kind: 'fiu' });
    orgs.push({ key: `${cc}.judicial`, name: a.judicial, country: c, sector: 'public', kind: 'judicial' });
  }
  for (const p of PORTS) {
    orgs.push({
      key: `${p.locode.toLowerCase()}.port`,
      name: p.authority,
      country: p.country,
      sector: 'public',
      kind: 'port_authority',
    });
  }
  orgs.push(
    {
      key: 'eu.europol',
      name: 'Europol — European Serious Organised Crime Centre',
      country: 'NL',
      sector: 'public',
      kind: 'eu_agency',
    },
    {
      key: 'eu.secretariat',
      name: 'European Ports Alliance secretariat',
      country: 'BE',
      sector: 'public',
      kind: 'secretariat',
    },
    {
      key: 'co.police',
      name: 'Policía Nacional de Colombia — DIRAN',
      country: 'CO',
      sector: 'public',
      kind: 'partner_agency',
    },
    {
      key: 'co.customs',
      name: 'DIAN — Dirección de Impuestos y Aduanas Nacionales',
      country: 'CO',
      sector: 'public',
      kind: 'partner_agency',
    },
    {
      key: 'pe.police',
      name: 'Policía Nacional del Perú — DIRANDRO',
      country: 'PE',
      sector: 'public',
      kind: 'partner_agency',
    },
    {
      key: 'ec.police',
      name: 'Policía Nacional del Ecuador — Antinarcóticos',
      country: 'EC',
      sector: 'public',
      kind: 'partner_agency',
    },
    // Private partners of the Ports Alliance (fictitious companies).
    {
      key: 'nl.terminal',
      name: 'Maasvlakte Deepsea Terminal BV',
      country: 'NL',
      sector: 'private',
      kind: 'terminal_operator',
    },
    {
      key: 'be.terminal',
      name: 'Scheldt Container Terminal NV',
      country: 'BE',
      sector: 'private',
      kind: 'terminal_operator',
    },
    {
      key: 'de.line',
      name: 'Hanseatic Reefer Line GmbH',
      country: 'DE',
      sector: 'private',
      kind: 'shipping_line',
    },
    {
      key: 'fr.forwarder',
      name: 'Normandie Transit SAS',
      country: 'FR',
      sector: 'private',
      kind: 'forwarder',
    },
    {
      key: 'es.haulier',
      name: 'Transportes del Estrecho SL',
      country: 'ES',
      sector: 'private',
      kind: 'haulier',
    },
  );
  return orgs;
}

export function demoUsers(orgs: DemoOrg[]): DemoUser[] {
  const users: DemoUser[] = [];
  for (const o of orgs) {
    const locale = LOCALE[o.key.startsWith('eu.') ? 'EU' : o.country] ?? 'en';
    const role: DemoUser['roles'][number] =
      o.kind === 'partner_agency' || o.kind === 'eu_agency'
        ? 'liaison'
        : o.kind === 'port_authority'
          ? 'officer'
          : 'analyst';
    users.push({
      username: `${o.key}.analyst`,
      displayName: analystName(o),
      orgKey: o.key,
      roles: [role],
      locale,
    });
  }
  users.push(
    {
      username: 'admin',
      displayName: 'Node administrator',
      orgKey: 'eu.secretariat',
      roles: ['node_admin'],
      locale: 'en',
    },
    {
      username: 'be.customs.dpo',
      displayName: 'An Peeters (DPO)',
      orgKey: 'be.customs',
      roles: ['dpo'],
      locale: 'nl',
    },
    {
      username: 'nl.police.dpo',
      displayName: 'Sanne de Vries (DPO)',
      orgKey: 'nl.police',
      roles: ['dpo'],
      locale: 'nl',
    },
    {
      username: 'auditor',
      displayName: 'Node auditor',
      orgKey: 'eu.secretariat',
      roles: ['auditor'],
      locale: 'en',
    },
  );
  return users;
}

const FIRST = [
  'Lotte',
  'Jan',
  'Camille',
  'Lukas',
  'Lucía',
  'Giulia',
  'Pieter',
  'Claire',
  'Jonas',
  'Marta',
  'Marco',
  'Sofie',
];
const LAST = [
  'Jansen',
  'Peeters',
  'Martin',
  'Schmidt',
  'García',
  'Rossi',
  'Bakker',
  'Dubois',
  'Müller',
  'López',
  'Bianchi',
  'Claes',
];

function analystName(o: DemoOrg): string {
  const h = createHash('sha256').update(o.key).digest();
  return `${FIRST[h[0]! % FIRST.length]} ${LAST[h[1]! % LAST.length]}`;
}

export function orgId(key: string): string {
  return uuidFromName(`portshield-demo-org:${key}`);
}

/** Deterministic TOTP secret (base32) per demo user, so a demo login can be scripted. */
export function demoTotpSecret(username: string): string {
  const bytes = createHash('sha256').update(`portshield-demo-totp:${username}`).digest().subarray(0, 20);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

export interface DemoCommunity {
  key: string;
  name: string;
  description: string;
  members: (o: DemoOrg) => boolean;
}

export const COMMUNITIES: DemoCommunity[] = [
  {
    key: 'coalition-le',
    name: 'Coalition law enforcement',
    description:
      'Customs, police, judicial and financial-intelligence services of the six coalition countries and Europol.',
    members: (o) =>
      o.sector === 'public' && ['customs', 'police', 'judicial', 'fiu', 'eu_agency'].includes(o.kind),
  },
  {
    key: 'ports-alliance',
    name: 'Ports Alliance (public–private)',
    description: 'Port authorities, customs and the private partners of the European Ports Alliance.',
    members: (o) =>
      [
        'port_authority',
        'customs',
        'terminal_operator',
        'shipping_line',
        'forwarder',
        'haulier',
        'secretariat',
      ].includes(o.kind),
  },
  {
    key: 'latam',
    name: 'Latin America cooperation',
    description: 'Partner agencies of Colombia, Peru and Ecuador with coalition police and customs.',
    members: (o) =>
      o.kind === 'partner_agency' ||
      (o.sector === 'public' && ['customs', 'police', 'eu_agency'].includes(o.kind)),
  },
];

export function communityId(key: string): string {
  return uuidFromName(`portshield-demo-community:${key}`);
}

/** A small seeded PRNG (mulberry32): the same seed gives the same world on every machine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OWNERS = ['MSCU', 'MAEU', 'CMAU', 'HLXU', 'SUDU', 'ONEU', 'EGHU', 'CGMU', 'TGHU', 'SEGU'];

/** A valid ISO 6346 container number (serials whose remainder is 10 are skipped, as the standard advises). */
export function containerNumber(r: () => number): string {
  for (;;) {
    const owner = OWNERS[Math.floor(r() * OWNERS.length)]!;
    const serial = String(Math.floor(r() * 1_000_000)).padStart(6, '0');
    const first10 = `${owner}${serial}`;
    if (containerRemainder(first10) === 10) continue;
    return `${first10}${containerCheckDigit(first10)}`;
  }
}

export function imoNumber(r: () => number): string {
  const first6 = String(9_000_000 + Math.floor(r() * 999_999)).slice(0, 6);
  return `IMO${first6}${imoCheckDigit(first6)}`;
}
