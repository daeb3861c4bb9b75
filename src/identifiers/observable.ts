import { validateBillOfLading } from './bl.ts';
import { validateContainerNumber } from './container.ts';
import { validateCryptoAddress } from './crypto.ts';
import { validateDomain } from './domain.ts';
import { validateEmail } from './email.ts';
import { validateEori } from './eori.ts';
import { validateFilename } from './filename.ts';
import { validateHash } from './hash.ts';
import { validateHsCode } from './hs.ts';
import { validateIban } from './iban.ts';
import { validateImo } from './imo.ts';
import { validateIp } from './ip.ts';
import { validateLei } from './lei.ts';
import { normalizeCompanyName, normalizePersonName } from './names.ts';
import { validatePhone } from './phone.ts';
import { validatePlate } from './plate.ts';
import { fail, type Normalized } from './result.ts';
import { validateFreeText } from './text.ts';
import { validateUnLocode } from './unlocode.ts';
import { validateUrl } from './url.ts';

export type ObservableType =
  | 'container'
  | 'bl'
  | 'vessel'
  | 'company'
  | 'person'
  | 'phone'
  | 'email'
  | 'iban'
  | 'crypto'
  | 'plate'
  | 'location'
  | 'lei'
  | 'eori'
  | 'hs'
  | 'url'
  | 'domain'
  | 'ip'
  | 'hash'
  | 'filename'
  | 'other';

/**
 * One normaliser per observable type. A vessel is identified by its IMO number (names and
 * flags change, the IMO number stays with the hull); a location by its UN/LOCODE.
 */
const NORMALIZERS: Readonly<Record<ObservableType, (raw: string) => Normalized>> = {
  container: validateContainerNumber,
  bl: validateBillOfLading,
  vessel: validateImo,
  company: normalizeCompanyName,
  person: normalizePersonName,
  phone: (raw) => validatePhone(raw),
  email: validateEmail,
  iban: validateIban,
  crypto: validateCryptoAddress,
  plate: validatePlate,
  location: validateUnLocode,
  lei: validateLei,
  eori: validateEori,
  hs: validateHsCode,
  url: validateUrl,
  domain: validateDomain,
  ip: validateIp,
  hash: validateHash,
  filename: validateFilename,
  other: validateFreeText,
};

export const OBSERVABLE_TYPES: readonly ObservableType[] = Object.freeze(
  Object.keys(NORMALIZERS) as ObservableType[],
);

export function isObservableType(value: unknown): value is ObservableType {
  return typeof value === 'string' && Object.hasOwn(NORMALIZERS, value);
}

/**
 * Validates and canonicalises an observable so that two spellings of the same thing
 * ('CSQU 305438-3' and 'csqu3054383') correlate. Never throws: an unknown type (possible
 * when the value comes from an untyped client) is answered with UNKNOWN_TYPE.
 */
export function normalizeObservable(type: ObservableType, raw: string): Normalized {
  if (!isObservableType(type)) return fail('UNKNOWN_TYPE', `Unknown observable type ${JSON.stringify(type)}`);
  return NORMALIZERS[type](raw);
}
