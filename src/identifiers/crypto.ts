import { looksLikeSegwit, validateBitcoinAddress } from './bitcoin.ts';
import { validateEthereumAddress } from './ethereum.ts';
import { fail, type Normalized, prepare } from './result.ts';
import { validateTronAddress } from './tron.ts';

/**
 * Cryptocurrency addresses of three families: Bitcoin, Ethereum (and the EVM chains that
 * share its address format) and TRON (home of most USDT-TRC20 transfers). The chain is detected
 * from the address itself: '0x' → Ethereum, 'bc1'/'tb1' → SegWit Bitcoin, 'T' → TRON,
 * '1'/'3' and other Base58 → legacy Bitcoin (the version byte decides). The kind says
 * which: 'btc-p2pkh', 'btc-p2sh', 'btc-p2wpkh', 'btc-p2wsh', 'btc-p2tr',
 * 'btc-witness-unknown', 'eth' or 'tron'.
 */
export function validateCryptoAddress(raw: string): Normalized {
  const text = prepare(raw);
  if (typeof text !== 'string') return text;
  if (/^0x/i.test(text)) return validateEthereumAddress(text);
  if (looksLikeSegwit(text)) {
    // A TRON address can begin with 'TB1' too (Base58 after the 'T'): when the SegWit
    // reading fails, the TRON reading decides, and the SegWit error stands if both fail.
    const segwit = validateBitcoinAddress(text);
    if (segwit.ok || !text.startsWith('T')) return segwit;
    const tron = validateTronAddress(text);
    return tron.ok ? tron : segwit;
  }
  if (text.startsWith('T')) return validateTronAddress(text);
  if (/^[13]/.test(text)) return validateBitcoinAddress(text);
  if (/^[1-9A-HJ-NP-Za-km-z]+$/.test(text)) {
    // Well-formed Base58 still might be a testnet or another chain's address: let the
    // version byte say so rather than answering a generic BAD_FORMAT.
    const result = validateBitcoinAddress(text);
    return result.ok || result.code !== 'BAD_LENGTH'
      ? result
      : fail('UNKNOWN_CHAIN', 'Not a recognised address');
  }
  return fail('UNKNOWN_CHAIN', 'Not a Bitcoin, Ethereum or TRON address');
}
