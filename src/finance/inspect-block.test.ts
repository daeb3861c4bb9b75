import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.ts';
import { blkMagic, parseBlock } from './block-parser.ts';
import { inspectBlock } from './inspect-block.ts';

const hexOf = (name: string): string =>
  readFileSync(`/work/shared/fixtures/bitcoin/${name}.hex`, 'utf8').trim();
const rawOf = (name: string): Buffer => Buffer.from(hexOf(name), 'hex');

describe('inspectBlock', () => {
  it('block 1: no BIP-34 height (version 1), merkle root matches', () => {
    const r = inspectBlock(hexOf('1'));
    expect(r).toMatchObject({
      hash: '00000000839a8e6886ab5951d76f411475428afc90947ee320161bbf18eb6048',
      height: null,
      txCount: 1,
      headerMerkleRoot: '0e3e2357e806b6cdb1f70b54c3a3a17b6714ee1f0e68bebb44a74b1efd512098',
      computedMerkleRoot: '0e3e2357e806b6cdb1f70b54c3a3a17b6714ee1f0e68bebb44a74b1efd512098',
      witnessCommitmentOk: null,
      proofOfWorkOk: true,
      coinbaseOk: true,
      ok: true,
    });
  });

  it('block 300025: BIP-34 height from the coinbase', () => {
    const r = inspectBlock(hexOf('300025'));
    expect(r.height).toBe(300025);
    expect(r.txCount).toBe(461);
    expect(r.computedMerkleRoot).toBe(r.headerMerkleRoot);
    expect(r.ok).toBe(true);
  });

  it('block 482683: height, and the segwit witness commitment checks out', () => {
    const r = inspectBlock(hexOf('482683'));
    expect(r.height).toBe(482683);
    expect(r.txCount).toBe(12);
    expect(r.weight).toBe(35715);
    expect(r.witnessCommitmentOk).toBe(true);
    expect(r.ok).toBe(true);
  });

  it('accepts raw bytes, a Buffer holding hex text (a .hex file), and a single blk record', () => {
    const want = inspectBlock(hexOf('482683'));
    expect(inspectBlock(rawOf('482683'))).toEqual(want);
    expect(inspectBlock(readFileSync('/work/shared/fixtures/bitcoin/482683.hex'))).toEqual(want);
    expect(inspectBlock(new Uint8Array(rawOf('482683')))).toEqual(want);
    const head = Buffer.alloc(8);
    head.writeUInt32LE(blkMagic(), 0);
    head.writeUInt32LE(9288, 4);
    expect(inspectBlock(Buffer.concat([head, rawOf('482683'), Buffer.alloc(64)]))).toEqual(want);
    const two = Buffer.concat([head, rawOf('482683'), head, rawOf('482683')]);
    expect(() => inspectBlock(two)).toThrow(/more than one block record/);
  });

  it('a flipped byte inside a transaction in the middle: parses, but the merkle root differs', () => {
    const raw = rawOf('300025');
    const block = parseBlock(raw);
    const tx = block.transactions[230]!;
    const out = tx.outputs[0]!;
    const corrupt = Buffer.from(raw);
    const at = out.scriptOffset + 5; // inside the pubkey hash of a P2PKH output
    corrupt[at] = corrupt[at]! ^ 0x01;
    const r = inspectBlock(corrupt);
    expect(r.hash).toBe('0000000000000000821c4e0acc40f88bedbce3b73ba2358b5ade58a9022cc78c'); // header untouched
    expect(r.computedMerkleRoot).not.toBe(r.headerMerkleRoot);
    expect(r.ok).toBe(false);
  });

  it('a flipped witness byte keeps the merkle root but breaks the witness commitment', () => {
    const raw = rawOf('482683');
    const block = parseBlock(raw);
    const tx = block.transactions.find((t) => t.txid.startsWith('dcb02876'))!;
    const input = tx.inputs[0]!;
    const corrupt = Buffer.from(raw);
    const at = input.witnessOffset + input.witnessLength - 3; // inside the last witness item
    corrupt[at] = corrupt[at]! ^ 0x80;
    const r = inspectBlock(corrupt);
    expect(r.computedMerkleRoot).toBe(r.headerMerkleRoot);
    expect(r.witnessCommitmentOk).toBe(false);
    expect(r.ok).toBe(false);
  });

  it('a flipped nonce fails proof of work but not the merkle check', () => {
    const corrupt = Buffer.from(rawOf('300025'));
    corrupt[76] = corrupt[76]! ^ 0xff;
    const r = inspectBlock(corrupt);
    expect(r.proofOfWorkOk).toBe(false);
    expect(r.ok).toBe(true);
  });

  it('truncated input throws IMPORT_FAILED with the offset', () => {
    const raw = rawOf('300025');
    try {
      inspectBlock(raw.subarray(0, 100_000));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('IMPORT_FAILED');
      expect((e as AppError).message).toMatch(/truncated .* at byte offset \d+/);
    }
    expect(() => inspectBlock(hexOf('300025').slice(0, 1001))).toThrow(/odd number of hex digits/);
  });

  it('a second coinbase in the block is flagged', () => {
    // Block 1's coinbase twice: the merkle root (of [cb, cb]) and the coinbase rule both fail.
    const one = rawOf('1');
    const tx = one.subarray(81);
    const twice = Buffer.concat([one.subarray(0, 80), Buffer.from([2]), tx, tx]);
    const r = inspectBlock(twice);
    expect(r.coinbaseOk).toBe(false);
    expect(r.merkleMutated).toBe(true);
    expect(r.ok).toBe(false);
  });
});
