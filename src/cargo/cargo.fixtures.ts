/**
 * Test factories: a valid raw declaration (an unremarkable import of machinery parts from
 * Shanghai into Rotterdam) that each test bends to its case, and helpers to score one
 * declaration against a given history. Used by tests only.
 */
import type { DeclarationInput, PartyInput } from './cargo.schema.ts';
import { type Declaration, normalizeDeclaration } from './declaration.ts';
import { History } from './history.ts';

export const PARTIES = {
  shipper: {
    name: 'Shanghai Precision Valves Co., Ltd.',
    address: 'Industrial Road 8, Shanghai',
    country: 'CN',
  },
  consignee: {
    name: 'Van der Berg Techniek B.V.',
    address: 'Havenweg 12, Rotterdam',
    country: 'NL',
    eori: 'NL123456789',
  },
  notify: { name: 'Kuehne + Nagel', address: 'Logistics Centre 1, Rotterdam', country: 'NL' },
} satisfies Record<string, PartyInput>;

/** A fresh valid raw declaration; `patch` may change anything (it receives a deep copy). */
export function buildInput(patch?: (d: DeclarationInput) => void): DeclarationInput {
  const d: DeclarationInput = {
    id: 'MAEU0000000001',
    version: 1,
    carrier: { scac: 'MAEU' },
    vessel: { imo: '9074729', name: 'MAERSK ORION' },
    voyage: '412W',
    route: {
      loading: 'CNSHA',
      callPorts: ['SGSIN'],
      transshipment: [],
      discharge: 'NLRTM',
      firstEntryOffice: 'NL000396',
    },
    times: {
      bookedAt: '2024-03-01',
      filedAt: '2024-03-10T08:00:00Z',
      etd: '2024-03-12T08:00:00Z',
      eta: '2024-04-12T06:00:00Z',
    },
    container: { number: 'CSQU3054383', sizeType: '45G1', seals: ['ML-1234567'] },
    transportDocuments: { masterBl: 'MAEU240312345', houseBl: 'HB0001' },
    shipper: { ...PARTIES.shipper },
    consignee: { ...PARTIES.consignee },
    notify: { ...PARTIES.notify },
    goods: {
      description: 'VALVES AND TAPS',
      hsCode: '8481.80',
      packages: 400,
      grossKg: 18_000,
      value: { amount: 270_000, currency: 'EUR' },
    },
    freight: { terms: 'prepaid', payer: { ...PARTIES.shipper } },
  };
  patch?.(d);
  return d;
}

export function buildDeclaration(patch?: (d: DeclarationInput) => void): Declaration {
  return normalizeDeclaration(buildInput(patch));
}

/** A banana shipment from Guayaquil to Antwerp in a reefer (the cover-load baseline). */
export function bananaInput(patch?: (d: DeclarationInput) => void): DeclarationInput {
  return buildInput((d) => {
    d.id = 'MSCU0000000001';
    d.carrier = { scac: 'MSCU' };
    d.route = {
      loading: 'ECGYE',
      callPorts: [],
      transshipment: [],
      discharge: 'BEANR',
      firstEntryOffice: 'BE101000',
    };
    d.container = { number: 'CSQU3054383', sizeType: '45R1', seals: ['FX1234567'] };
    d.shipper = { name: 'Frutas del Pacífico S.A.', address: 'Av. Principal 1, Machala', country: 'EC' };
    d.consignee = {
      name: 'Schelde Fruit Import NV',
      address: 'Haven 100, Antwerpen',
      country: 'BE',
      eori: 'BE0123456789',
    };
    d.goods = {
      description: 'FRESH BANANAS',
      hsCode: '080390',
      packages: 1080,
      grossKg: 21_060,
      value: { amount: 14_000, currency: 'USD' },
    };
    d.freight = { terms: 'prepaid', payer: { ...d.shipper } };
    patch?.(d);
  });
}

/** A history in which `d`'s parties, pair and lane are long established (n shipments a week apart). */
export function establishedHistory(d: Declaration, n = 60): History {
  const h = new History();
  const weekMs = 7 * 86_400_000;
  for (let i = n; i >= 1; i--) {
    h.observe({
      ...d,
      id: `${d.id}-past-${i}`,
      filedAt: d.filedAt - i * weekMs,
      seals: [`PAST${1000000 + i}`],
    });
  }
  return h;
}
