/**
 * Identifiers: validation and canonical forms for the observables PortShield correlates
 * (containers, vessels, bank accounts, wallets, names, …). Pure functions, no I/O.
 */
export { validateBillOfLading } from './bl.ts';
export { containerCheckDigit, containerRemainder, validateContainerNumber } from './container.ts';
export { validateCryptoAddress } from './crypto.ts';
export { validateDomain } from './domain.ts';
export { validateEmail } from './email.ts';
export { validateEori } from './eori.ts';
export { validateFilename } from './filename.ts';
export { validateHash } from './hash.ts';
export { validateHsCode } from './hs.ts';
export { validateIban } from './iban.ts';
export { imoCheckDigit, validateImo } from './imo.ts';
export { validateIp } from './ip.ts';
export { validateLei } from './lei.ts';
export { foldName, nameTokens, normalizeCompanyName, normalizePersonName, stripLegalForms } from './names.ts';
export {
  isObservableType,
  normalizeObservable,
  OBSERVABLE_TYPES,
  type ObservableType,
} from './observable.ts';
export { validatePhone } from './phone.ts';
export { validatePlate } from './plate.ts';
export { type ErrorCode, MAX_INPUT_LENGTH, type Normalized } from './result.ts';
export { jaroWinkler, TOKEN_MATCH_THRESHOLD, tokenSimilarity } from './similarity.ts';
export { validateFreeText } from './text.ts';
export { validateUnLocode } from './unlocode.ts';
export { validateUrl } from './url.ts';
