/**
 * A declaration's stored body — its JSON, exactly as `JSON.stringify` writes it — encoded straight
 * into a COPY buffer as one text field. Ingest stores every declaration it scores; building the
 * 1.6 KB string first cost a tenth of the node's work per declaration and as much again in garbage
 * collection. The fields are written in the order normalisation creates them; the parties, which
 * recur declaration after declaration as the same objects (the normalisation memo hands them
 * out), are encoded once each. A test compares the bytes with `JSON.stringify`, so a field added
 * to `Declaration` and not here fails it.
 */
import type { BinaryCopyWriter } from '../platform/pg-copy.ts';
import type { Declaration, Party } from './declaration.ts';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

const NULL = bytes('null');
const TRUE = bytes('true');
const FALSE = bytes('false');
const COMMA = bytes(',');
const OPEN = bytes('[');
const CLOSE = bytes(']');
const EMPTY = bytes('[]');
const END = bytes('}');

/** `{"id":`, `,"version":` …: the key before each field, with its punctuation. */
const KEYS = Object.fromEntries(
  [
    'id',
    'version',
    'carrier',
    'vesselImo',
    'vesselName',
    'voyage',
    'loading',
    'loadingCountry',
    'callPorts',
    'transshipment',
    'discharge',
    'dischargeCountry',
    'firstEntryOffice',
    'lane',
    'deepSea',
    'bookedAt',
    'filedAt',
    'etd',
    'eta',
    'container',
    'containerOwner',
    'sizeType',
    'reefer',
    'seals',
    'masterBl',
    'houseBl',
    'shipper',
    'consignee',
    'notify',
    'description',
    'hs',
    'hsChapter',
    'hsHeading',
    'hsLane',
    'packages',
    'grossKg',
    'weightPerPackage',
    'valueAmount',
    'currency',
    'valueEur',
    'valuePerKg',
    'freightTerms',
    'payer',
    'payerRole',
    'amendments',
  ].map((k, i) => [k, bytes(`${i === 0 ? '{' : ','}"${k}":`)]),
) as Record<keyof Declaration, Uint8Array>;

/** Parties already encoded, by identity (memoised parties are shared; others are simply not found). */
const parties = new WeakMap<Party, Uint8Array>();

function partyBytes(p: Party): Uint8Array {
  let b = parties.get(p);
  if (b === undefined) {
    b = new Uint8Array(Buffer.from(JSON.stringify(p), 'utf8'));
    parties.set(p, b);
  }
  return b;
}

type W = BinaryCopyWriter;
type Key = keyof Declaration;

function str(w: W, k: Key, s: string): void {
  w.raw(KEYS[k]);
  w.jsonString(s);
}

function strOrNull(w: W, k: Key, s: string | null): void {
  w.raw(KEYS[k]);
  if (s === null) w.raw(NULL);
  else w.jsonString(s);
}

function num(w: W, k: Key, n: number | null): void {
  w.raw(KEYS[k]);
  if (n === null) w.raw(NULL);
  else w.jsonNumber(n);
}

function bool(w: W, k: Key, b: boolean): void {
  w.raw(KEYS[k]);
  w.raw(b ? TRUE : FALSE);
}

function list(w: W, k: Key, xs: readonly string[]): void {
  w.raw(KEYS[k]);
  if (xs.length === 0) {
    w.raw(EMPTY);
    return;
  }
  w.raw(OPEN);
  for (let i = 0; i < xs.length; i++) {
    if (i > 0) w.raw(COMMA);
    w.jsonString(xs[i] as string);
  }
  w.raw(CLOSE);
}

function party(w: W, k: Key, p: Party | null): void {
  w.raw(KEYS[k]);
  w.raw(p === null ? NULL : partyBytes(p));
}

/** Writes `d` as one text field of the row being encoded. */
export function writeDeclarationJson(w: BinaryCopyWriter, d: Declaration): void {
  w.beginText();
  str(w, 'id', d.id);
  num(w, 'version', d.version);
  str(w, 'carrier', d.carrier);
  str(w, 'vesselImo', d.vesselImo);
  strOrNull(w, 'vesselName', d.vesselName);
  str(w, 'voyage', d.voyage);
  str(w, 'loading', d.loading);
  str(w, 'loadingCountry', d.loadingCountry);
  list(w, 'callPorts', d.callPorts);
  list(w, 'transshipment', d.transshipment);
  str(w, 'discharge', d.discharge);
  str(w, 'dischargeCountry', d.dischargeCountry);
  str(w, 'firstEntryOffice', d.firstEntryOffice);
  str(w, 'lane', d.lane);
  bool(w, 'deepSea', d.deepSea);
  num(w, 'bookedAt', d.bookedAt);
  num(w, 'filedAt', d.filedAt);
  num(w, 'etd', d.etd);
  num(w, 'eta', d.eta);
  str(w, 'container', d.container);
  str(w, 'containerOwner', d.containerOwner);
  str(w, 'sizeType', d.sizeType);
  bool(w, 'reefer', d.reefer);
  list(w, 'seals', d.seals);
  str(w, 'masterBl', d.masterBl);
  strOrNull(w, 'houseBl', d.houseBl);
  party(w, 'shipper', d.shipper);
  party(w, 'consignee', d.consignee);
  party(w, 'notify', d.notify);
  str(w, 'description', d.description);
  str(w, 'hs', d.hs);
  str(w, 'hsChapter', d.hsChapter);
  str(w, 'hsHeading', d.hsHeading);
  str(w, 'hsLane', d.hsLane);
  num(w, 'packages', d.packages);
  num(w, 'grossKg', d.grossKg);
  num(w, 'weightPerPackage', d.weightPerPackage);
  num(w, 'valueAmount', d.valueAmount);
  strOrNull(w, 'currency', d.currency);
  num(w, 'valueEur', d.valueEur);
  num(w, 'valuePerKg', d.valuePerKg);
  str(w, 'freightTerms', d.freightTerms);
  party(w, 'payer', d.payer);
  str(w, 'payerRole', d.payerRole);
  w.raw(KEYS.amendments);
  w.raw(
    d.amendments.length === 0 ? EMPTY : new Uint8Array(Buffer.from(JSON.stringify(d.amendments), 'utf8')),
  );
  w.raw(END);
  w.endText();
}
