/**
 * Building blocks of the synthetic world: a seeded random generator, valid container and IMO
 * numbers (check digits from the identifiers module), company names, addresses, EORI and
 * phone numbers.
 */
import { containerCheckDigit, imoCheckDigit } from '../identifiers/index.ts';
import type { PartyInput } from './cargo.schema.ts';
import { COUNTRY_LANGUAGE, NAME_PARTS } from './synthetic-data.ts';

/** xoshiro128** (Blackman & Vigna), seeded through splitmix32: fast, 2¹²⁸ period, deterministic. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** Uniform in [0, 1). */
  next(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9);
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return (r >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  range(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let x = this.next() * total;
    for (const [item, w] of items) {
      x -= w;
      if (x < 0) return item;
    }
    return (items[items.length - 1] as readonly [T, number])[0];
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(10));
    return s;
  }

  /** A child generator (independent stream) derived from this one. */
  fork(): Rng {
    return new Rng(Math.floor(this.next() * 4294967296));
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

export function containerNumber(prefix: string, serial: string): string {
  const base = `${prefix}${serial}`;
  return `${base}${containerCheckDigit(base)}`;
}

export function imoNumber(rng: Rng): string {
  const six = `9${rng.digits(5)}`;
  return `${six}${imoCheckDigit(six)}`;
}

const EXTRA = [
  'International',
  'Export',
  'Group',
  'Premium',
  'Trading',
  'Fresh',
  'Farms',
  'Holding',
  'Global',
  'Naturals',
];

/** Company-name generator that never repeats a name (compared without legal form, case-insensitive). */
export class NameFactory {
  private used = new Set<string>();

  constructor(private readonly rng: Rng) {}

  /** Marks a name as taken (e.g. forwarders). */
  reserve(base: string): void {
    this.used.add(base.toLowerCase());
  }

  company(country: string, style?: string): { name: string; city: string } {
    const lang = style ?? COUNTRY_LANGUAGE[country] ?? 'en';
    const p = NAME_PARTS[lang] ?? (NAME_PARTS.en as NonNullable<(typeof NAME_PARTS)['en']>);
    const r = this.rng;
    const city = r.pick(p.cities);
    for (let attempt = 0; attempt < 50; attempt++) {
      const shape = attempt < 20 ? r.int(4) : 4 + r.int(2);
      let base: string;
      switch (shape) {
        case 0:
          base = `${r.pick(p.a)} ${r.pick(p.b)}`;
          break;
        case 1:
          base = `${r.pick(p.s)} ${r.pick(p.b)}`;
          break;
        case 2:
          base = `${r.pick(p.a)} ${r.pick(p.s)}`;
          break;
        case 3:
          base = `${r.pick(p.s)} & ${r.pick(p.s)}`;
          break;
        case 4:
          base = `${r.pick(p.a)} ${r.pick(p.b)} ${r.pick(EXTRA)}`;
          break;
        default:
          base = `${r.pick(p.s)} ${r.pick(p.cities)} ${r.pick(p.b)} ${r.pick(EXTRA)}`;
      }
      if (this.used.has(base.toLowerCase())) continue;
      this.used.add(base.toLowerCase());
      return { name: `${base} ${r.pick(p.forms)}`, city };
    }
    const base = `${r.pick(p.s)} ${r.pick(p.b)} ${r.digits(4)}`;
    this.used.add(base.toLowerCase());
    return { name: `${base} ${r.pick(p.forms)}`, city };
  }
}

const STREET: Readonly<Record<string, readonly string[]>> = {
  es: ['Av. Principal', 'Calle', 'Km', 'Av. de la República', 'Carrera'],
  pt: ['Rua', 'Avenida', 'Rodovia'],
  nl: ['Havenweg', 'Industrieweg', 'Handelsweg', 'Kade'],
  be: ['Haven', 'Industriepark', 'Noorderlaan', 'Kaai'],
  de: ['Hafenstraße', 'Industriestraße', 'Am Kai', 'Großmarkt'],
  fr: ['Rue du Port', 'Quai', 'Avenue de la Gare', 'Zone Industrielle'],
  it: ['Via del Porto', 'Via Roma', 'Zona Industriale'],
  en: ['Industrial Road', 'Harbour Street', 'Trade Avenue', 'Export Zone'],
};

const CALLING: Readonly<Record<string, string>> = {
  EC: '593',
  CO: '57',
  PE: '51',
  BR: '55',
  CR: '506',
  PA: '507',
  DO: '1809',
  MX: '52',
  CL: '56',
  AR: '54',
  UY: '598',
  NL: '31',
  BE: '32',
  DE: '49',
  FR: '33',
  ES: '34',
  IT: '39',
  PT: '351',
  PL: '48',
  CZ: '420',
  AT: '43',
  CH: '41',
  CN: '86',
  KR: '82',
  SG: '65',
  VN: '84',
  TH: '66',
  IN: '91',
  LK: '94',
  US: '1',
  CA: '1',
  TR: '90',
  EG: '20',
  IL: '972',
  MA: '212',
  ZA: '27',
  CI: '225',
  GH: '233',
  KE: '254',
  AU: '61',
  AE: '971',
  HK: '852',
  GB: '44',
  DK: '45',
  JP: '81',
  LU: '352',
  CY: '357',
};

/** EORI-like numbers in each member state's usual shape. */
export function eoriFor(country: string, rng: Rng): string | undefined {
  switch (country) {
    case 'NL':
      return `NL${rng.digits(9)}`;
    case 'BE':
      return `BE0${rng.digits(9)}`;
    case 'DE':
      return `DE${rng.digits(12)}`;
    case 'FR':
      return `FR${rng.digits(14)}`;
    case 'ES':
      return `ESB${rng.digits(8)}`;
    case 'IT':
      return `IT${rng.digits(11)}`;
    case 'PT':
      return `PT${rng.digits(9)}`;
    case 'PL':
      return `PL${rng.digits(10)}`;
    case 'CZ':
      return `CZ${rng.digits(8)}`;
    case 'AT':
      return `ATEOS${rng.digits(10)}`;
    default:
      return undefined;
  }
}

export function makeParty(
  names: NameFactory,
  rng: Rng,
  country: string,
  options: { style?: string; phone?: number; eori?: boolean } = {},
): PartyInput {
  const { name, city } = names.company(country, options.style);
  const lang = options.style ?? COUNTRY_LANGUAGE[country] ?? 'en';
  const street = rng.pick(STREET[lang] ?? (STREET.en as readonly string[]));
  const party: PartyInput = { name, address: `${street} ${1 + rng.int(400)}, ${city}`, country };
  const eori = options.eori === false ? undefined : eoriFor(country, rng);
  if (eori !== undefined) party.eori = eori;
  if (rng.chance(options.phone ?? 0.4))
    party.phone = `+${CALLING[country] ?? '1'} ${rng.digits(3)} ${rng.digits(6)}`;
  return party;
}
