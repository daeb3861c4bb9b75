import { readFileSync } from 'node:fs';
import { sha256 } from '@noble/hashes/sha2.js';
import { createBase58check } from '@scure/base';
import { address as btcAddress } from 'bitcoinjs-lib';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { fixturesDir } from '../../test/support/fixtures.ts';
import { bitcoinOutputScript, decodeSegwitAddress } from './bitcoin.ts';
import { validateCryptoAddress } from './crypto.ts';
import { eip55Checksum } from './ethereum.ts';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const base58check = createBase58check(sha256);

describe('Bitcoin Base58Check addresses', () => {
  it('accepts P2PKH and P2SH mainnet addresses, case preserved', () => {
    expect(validateCryptoAddress('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa')).toEqual({
      ok: true,
      value: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
      kind: 'btc-p2pkh',
    });
    expect(validateCryptoAddress(' 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy ')).toEqual({
      ok: true,
      value: '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy',
      kind: 'btc-p2sh',
    });
  });

  it('rejects garbage that merely looks like an address', () => {
    expect(validateCryptoAddress('1bacdeddg32dsfk5692dmn23')).toMatchObject({ ok: false });
    expect(validateCryptoAddress('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb')).toMatchObject({
      ok: false,
      code: 'BAD_CHECKSUM',
    });
    expect(validateCryptoAddress('1a1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa')).toMatchObject({ ok: false });
    expect(validateCryptoAddress('1A1zP1eP5QGefi2DMPTfTL5SLmv7Div0Na')).toMatchObject({
      ok: false,
      code: 'BAD_FORMAT',
    });
    expect(validateCryptoAddress('hello world')).toMatchObject({ ok: false, code: 'UNKNOWN_CHAIN' });
  });

  it('tells testnet and other chains apart from bad input', () => {
    const testnet = base58check.encode(Uint8Array.of(0x6f, ...new Uint8Array(20).fill(7)));
    expect(validateCryptoAddress(testnet)).toMatchObject({ ok: false, code: 'UNSUPPORTED_NETWORK' });
    const litecoin = base58check.encode(Uint8Array.of(0x30, ...new Uint8Array(20).fill(7)));
    expect(validateCryptoAddress(litecoin)).toMatchObject({ ok: false, code: 'UNKNOWN_CHAIN' });
  });

  it('property: any 20-byte hash with version 0x00/0x05 round-trips and matches bitcoinjs-lib', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0x00, 0x05),
        fc.uint8Array({ minLength: 20, maxLength: 20 }),
        (version, hash) => {
          const encoded = base58check.encode(Uint8Array.of(version, ...hash));
          const result = validateCryptoAddress(encoded);
          expect(result).toEqual({
            ok: true,
            value: encoded,
            kind: version === 0 ? 'btc-p2pkh' : 'btc-p2sh',
          });
          expect(hex(bitcoinOutputScript(encoded) ?? new Uint8Array())).toBe(
            hex(btcAddress.toOutputScript(encoded)),
          );
        },
      ),
    );
  });
});

// BIP-173 and BIP-350 "Test vectors for v0-v16 native segregated witness addresses".
const BIP350_VALID: ReadonlyArray<readonly [string, string]> = [
  ['BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', '0014751e76e8199196d454941c45d1b3a323f1433bd6'],
  [
    'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7',
    '00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262',
  ],
  [
    'bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y',
    '5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6',
  ],
  ['BC1SW50QGDZ25J', '6002751e'],
  ['bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs', '5210751e76e8199196d454941c45d1b3a323'],
  [
    'tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy',
    '0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433',
  ],
  [
    'tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c',
    '5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433',
  ],
  [
    'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
    '512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798',
  ],
];

const BIP350_INVALID: readonly string[] = [
  'tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut', // invalid HRP
  'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd', // Bech32 instead of Bech32m
  'tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf', // Bech32 instead of Bech32m
  'BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL', // Bech32 instead of Bech32m
  'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh', // Bech32m instead of Bech32
  'tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47', // Bech32m instead of Bech32
  'bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4', // invalid character in checksum
  'BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R', // invalid witness version
  'bc1pw5dgrnzv', // program length 1
  'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav', // program length 41
  'BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P', // v0 program length 16
  'tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq', // mixed case
  'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf', // more than 4 padding bits
  'tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j', // non-zero padding
  'bc1gmk9yu', // empty data section
];

// BIP-173 vectors: v0 ones stay valid; its v1+ ones used Bech32 and are invalid since BIP-350.
const BIP173_V1_PLUS_WITH_BECH32: readonly string[] = [
  'bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx',
  'BC1SW50QA3JX3S',
  'bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj',
];
const BIP173_INVALID: readonly string[] = [
  'tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty',
  'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5',
  'BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2',
  'bc1rw5uspcuh',
  'bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90',
  'BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P',
  'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7',
  'bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du',
  'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv',
  'bc1gmk9yu',
];

describe('Bitcoin SegWit addresses (BIP-173, BIP-350)', () => {
  it('decodes every valid BIP-350 vector to the published scriptPubKey', () => {
    for (const [address, script] of BIP350_VALID) {
      const hrp = address.toLowerCase().startsWith('tb') ? 'tb' : 'bc';
      const decoded = decodeSegwitAddress(address, hrp);
      expect('ok' in decoded, address).toBe(false);
      if ('ok' in decoded) continue;
      const opcode = decoded.version === 0 ? 0 : 0x50 + decoded.version;
      expect(hex(Uint8Array.of(opcode, decoded.program.length, ...decoded.program)), address).toBe(script);
      if (hrp === 'bc') expect(hex(bitcoinOutputScript(address) ?? new Uint8Array()), address).toBe(script);
    }
  });

  it('gives mainnet vectors their kind and a lowercase canonical form', () => {
    expect(validateCryptoAddress('BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4')).toEqual({
      ok: true,
      value: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
      kind: 'btc-p2wpkh',
    });
    expect(
      validateCryptoAddress('bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0'),
    ).toMatchObject({
      ok: true,
      kind: 'btc-p2tr',
    });
    expect(
      validateCryptoAddress('bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3'),
    ).toMatchObject({
      ok: true,
      kind: 'btc-p2wsh',
    });
    expect(validateCryptoAddress('BC1SW50QGDZ25J')).toEqual({
      ok: true,
      value: 'bc1sw50qgdz25j',
      kind: 'btc-witness-unknown',
    });
    expect(validateCryptoAddress('bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs')).toMatchObject({
      ok: true,
      kind: 'btc-witness-unknown',
    });
  });

  it('refuses testnet addresses as UNSUPPORTED_NETWORK', () => {
    expect(
      validateCryptoAddress('tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7'),
    ).toMatchObject({
      ok: false,
      code: 'UNSUPPORTED_NETWORK',
    });
  });

  it('rejects every invalid BIP-350 and BIP-173 vector, on any network', () => {
    for (const address of [...BIP350_INVALID, ...BIP173_INVALID, ...BIP173_V1_PLUS_WITH_BECH32]) {
      expect(validateCryptoAddress(address).ok, address).toBe(false);
      expect(
        'ok' in decodeSegwitAddress(address, 'bc') && 'ok' in decodeSegwitAddress(address, 'tb'),
        address,
      ).toBe(true);
    }
  });

  it('rejects a v0 program in Bech32m and a v1 program in Bech32 with BAD_CHECKSUM', () => {
    expect(validateCryptoAddress('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh')).toMatchObject({
      code: 'BAD_CHECKSUM',
    });
    expect(
      validateCryptoAddress('bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd'),
    ).toMatchObject({
      code: 'BAD_CHECKSUM',
    });
  });

  it('rejects mixed case, wrong program lengths and a one-character typo with specific codes', () => {
    expect(validateCryptoAddress('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kV8F3T4')).toMatchObject({
      code: 'BAD_FORMAT',
    });
    expect(validateCryptoAddress('BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P')).toMatchObject({
      code: 'BAD_LENGTH',
    });
    expect(validateCryptoAddress('bc1pw5dgrnzv')).toMatchObject({ code: 'BAD_LENGTH' });
    expect(validateCryptoAddress('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5')).toMatchObject({
      code: 'BAD_CHECKSUM',
    });
    expect(validateCryptoAddress('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3tb')).toMatchObject({
      code: 'BAD_FORMAT',
    });
  });
});

const BINANCE = `${fixturesDir()}/tagpacks/binance_hack.yaml`;

describe('GraphSense tagpack: Binance hack addresses', () => {
  const pack = parse(readFileSync(BINANCE, 'utf8')) as { tags: { address: string }[] };
  const addresses = pack.tags.map((tag) => tag.address);

  it('has 44 addresses, all valid Bitcoin addresses', () => {
    expect(addresses).toHaveLength(44);
    for (const address of addresses) {
      const result = validateCryptoAddress(address);
      expect(result.ok, address).toBe(true);
      if (result.ok) expect(result.kind, address).toMatch(/^btc-/);
    }
  });

  it('agrees with bitcoinjs-lib address.toOutputScript wherever bitcoinjs accepts the address', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    let compared = 0;
    const all = [...addresses, ...BIP350_VALID.map(([address]) => address).filter((a) => /^bc1/i.test(a))];
    for (const address of all) {
      let expected: string;
      try {
        expected = hex(btcAddress.toOutputScript(address));
      } catch {
        continue; // e.g. Taproot needs an ECC library bitcoinjs-lib is not given here
      }
      expect(hex(bitcoinOutputScript(address) ?? new Uint8Array()), address).toBe(expected);
      compared++;
    }
    warn.mockRestore();
    expect(compared).toBeGreaterThanOrEqual(44);
  });
});

// EIP-55 test vectors (all caps, all lower, normal).
const EIP55 = [
  '0x52908400098527886E0F7030069857D2E4169EE7',
  '0x8617E340B3D01FA5F11F306F4090FD50E238070D',
  '0xde709f2102306220921060314715629080e2fb77',
  '0x27b1fdb04752bbc536007a920d24acb045561c26',
  '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
  '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
  '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
];

describe('Ethereum addresses (EIP-55)', () => {
  it('accepts the EIP-55 vectors, canonical lowercase', () => {
    for (const address of EIP55) {
      expect(validateCryptoAddress(address)).toEqual({ ok: true, value: address.toLowerCase(), kind: 'eth' });
    }
  });

  it('reproduces the checksummed spelling of the mixed-case vectors', () => {
    for (const address of EIP55.slice(4)) expect(`0x${eip55Checksum(address.slice(2))}`).toBe(address);
  });

  it('rejects a case-flipped letter, bad hex and wrong lengths', () => {
    expect(validateCryptoAddress('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD')).toMatchObject({
      code: 'BAD_CHECKSUM',
    });
    expect(validateCryptoAddress('0xfb6916095ca1df60bB79Ce92cE3Ea74c37c5d359')).toMatchObject({
      code: 'BAD_CHECKSUM',
    });
    expect(validateCryptoAddress('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe')).toMatchObject({
      code: 'BAD_LENGTH',
    });
    expect(validateCryptoAddress('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg')).toMatchObject({
      code: 'BAD_FORMAT',
    });
    expect(validateCryptoAddress('0X5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED')).toMatchObject({
      code: 'BAD_FORMAT',
    });
  });

  it('property: flipping the case of one letter of a checksummed address is detected', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.nat(), (bytes, pick) => {
        const checksummed = eip55Checksum(hex(bytes));
        expect(validateCryptoAddress(`0x${checksummed}`).ok).toBe(true);
        const letters = [...checksummed].flatMap((ch, i) => (/[a-fA-F]/.test(ch) ? [i] : []));
        if (letters.length === 0) return;
        const at = letters[pick % letters.length] ?? 0;
        const ch = checksummed[at] ?? '';
        const flipped = `${checksummed.slice(0, at)}${ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase()}${checksummed.slice(at + 1)}`;
        const stillMixed = flipped !== flipped.toLowerCase() && flipped !== flipped.toUpperCase();
        expect(validateCryptoAddress(`0x${flipped}`).ok).toBe(!stillMixed);
      }),
    );
  });
});

describe('TRON addresses', () => {
  it('accepts the USDT-TRC20 contract address', () => {
    expect(validateCryptoAddress('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t')).toEqual({
      ok: true,
      value: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
      kind: 'tron',
    });
  });

  it('rejects typos, wrong lengths and non-TRON payloads', () => {
    expect(validateCryptoAddress('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u')).toMatchObject({
      code: 'BAD_CHECKSUM',
    });
    expect(validateCryptoAddress('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6')).toMatchObject({ code: 'BAD_LENGTH' });
    expect(validateCryptoAddress('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj0t')).toMatchObject({ code: 'BAD_FORMAT' });
  });

  it('reads a TRON address that begins like a testnet SegWit one (TB1…) as TRON', () => {
    expect(validateCryptoAddress('TB11114N7qVgW51NfYBV6LfAcqZWPBT93r')).toEqual({
      ok: true,
      value: 'TB11114N7qVgW51NfYBV6LfAcqZWPBT93r',
      kind: 'tron',
    });
  });

  it('property: any 20-byte account with prefix 0x41 encodes to a valid T… address', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), (account) => {
        const encoded = base58check.encode(Uint8Array.of(0x41, ...account));
        expect(validateCryptoAddress(encoded)).toEqual({ ok: true, value: encoded, kind: 'tron' });
      }),
    );
  });
});
