import { readFileSync } from 'node:fs';
import { bech32, bech32m } from '@scure/base';
import { address as btcAddress } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { classifyScript, decodeBtcAddress, isValidBtcAddress, scriptToAddress } from './btc-address.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const script = (h: string): Buffer => Buffer.from(h, 'hex');
const toAddress = (h: string): string | null => {
  const s = script(h);
  return scriptToAddress(s, 0, s.length);
};

describe('btc-address', () => {
  it('decodes the fixture README examples to their scriptPubKey', () => {
    expect(hex(decodeBtcAddress('14QZ2wB8b8ZQNgb978Lwptdc8Vhv5aZQM2')!.scriptPubKey)).toBe(
      '76a914255caf3f81c736471cb688aed1e03c6431ab0bd388ac',
    );
    expect(hex(decodeBtcAddress('bc1q3ldtrr6xtpx8jam5gw68aaexz2wtluj0qullvr')!.scriptPubKey)).toBe(
      '00148fdab18f46584c79777443b47ef726129cbff24f',
    );
    expect(decodeBtcAddress('3M8XGFBKwkf7miBzpkU3x2DoWwAVrD1mhk')!.type).toBe('p2sh');
  });

  it('all 44 Binance-hack addresses: valid, and the same scripts as bitcoinjs-lib, round-tripping', () => {
    const pack = parse(readFileSync('/work/shared/fixtures/tagpacks/binance_hack.yaml', 'utf8')) as {
      tags: { address: string }[];
    };
    expect(pack.tags).toHaveLength(44);
    for (const { address } of pack.tags) {
      const d = decodeBtcAddress(address);
      expect(d, address).not.toBeNull();
      expect(hex(d!.scriptPubKey)).toBe(hex(btcAddress.toOutputScript(address)));
      expect(toAddress(hex(d!.scriptPubKey))).toBe(address);
    }
  });

  it('BIP-173/BIP-350 rules: case, versions, checksums, program lengths', () => {
    // Uppercase is valid; mixed case is not.
    expect(decodeBtcAddress('BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4')?.type).toBe('p2wpkh');
    expect(isValidBtcAddress('bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4')).toBe(false);
    // P2WSH (32-byte program) and taproot (v1, 32 bytes, bech32m), cross-checked with bitcoinjs-lib.
    const p2wsh = 'bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3';
    expect(decodeBtcAddress(p2wsh)?.type).toBe('p2wsh');
    const xonly = script('79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798');
    const taproot = btcAddress.toBech32(xonly, 1, 'bc');
    expect(toAddress(`5120${xonly.toString('hex')}`)).toBe(taproot);
    expect(decodeBtcAddress(taproot)?.type).toBe('p2tr');
    expect(classifyScript(script(`5120${xonly.toString('hex')}`), 0, 34)).toBe('p2tr');
    // Wrong checksum variant for the version: v0 in bech32m, v1 in bech32.
    const prog20 = new Uint8Array(20).fill(7);
    expect(isValidBtcAddress(bech32m.encode('bc', [0, ...bech32m.toWords(prog20)]))).toBe(false);
    expect(isValidBtcAddress(bech32.encode('bc', [1, ...bech32.toWords(xonly)]))).toBe(false);
    expect(isValidBtcAddress(bech32.encode('bc', [0, ...bech32.toWords(prog20)]))).toBe(true);
    // v0 programs must be 20 or 32 bytes; any version needs 2..40 bytes.
    expect(isValidBtcAddress(bech32.encode('bc', [0, ...bech32.toWords(new Uint8Array(25))]))).toBe(false);
    expect(isValidBtcAddress(bech32m.encode('bc', [2, ...bech32m.toWords(new Uint8Array(1))]))).toBe(false);
    expect(decodeBtcAddress(bech32m.encode('bc', [2, ...bech32m.toWords(new Uint8Array(16))]))?.type).toBe(
      'witness_unknown',
    );
  });

  it('rejects bad base58check, wrong networks and junk', () => {
    expect(isValidBtcAddress('1bacdeddg32dsfk5692dmn23')).toBe(false); // the synthetic TagPack address
    expect(isValidBtcAddress('14QZ2wB8b8ZQNgb978Lwptdc8Vhv5aZQM3')).toBe(false); // checksum
    expect(isValidBtcAddress('')).toBe(false);
    expect(isValidBtcAddress('bc1')).toBe(false);
    const testnet = btcAddress.toBase58Check(new Uint8Array(20), 0x6f);
    expect(isValidBtcAddress(testnet)).toBe(false);
    expect(decodeBtcAddress(testnet, 'testnet')?.type).toBe('p2pkh');
    const tb = btcAddress.toBech32(new Uint8Array(20), 0, 'tb');
    expect(isValidBtcAddress(tb)).toBe(false);
    expect(isValidBtcAddress(tb, 'testnet')).toBe(true);
  });

  it('classifies non-address scripts and gives them no address', () => {
    expect(classifyScript(script('6a0401020304'), 0, 6)).toBe('nulldata');
    const multisig = `5121${'02'.padEnd(66, '1')}21${'03'.padEnd(66, '2')}52ae`;
    expect(classifyScript(script(multisig), 0, multisig.length / 2)).toBe('multisig');
    expect(toAddress(multisig)).toBeNull();
    expect(toAddress('6a0401020304')).toBeNull();
    expect(toAddress('')).toBeNull();
  });
});
