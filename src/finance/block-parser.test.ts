import { readFileSync } from 'node:fs';
import { Block, address as btcAddress } from 'bitcoinjs-lib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.ts';
import {
  blkMagic,
  hexToBuffer,
  iterateBlock,
  type ParsedBlock,
  parseBlock,
  parseBlockHex,
  readBlocksFromBlkFile,
} from './block-parser.ts';

const FIXTURES = '/work/shared/fixtures/bitcoin';
const hexOf = (name: string): string => readFileSync(`${FIXTURES}/${name}.hex`, 'utf8').trim();
const rawOf = (name: string): Buffer => Buffer.from(hexOf(name), 'hex');

// Facts from /work/shared/fixtures/bitcoin/README.md.
const BLOCKS = {
  '1': {
    hash: '00000000839a8e6886ab5951d76f411475428afc90947ee320161bbf18eb6048',
    prev: '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f',
    merkle: '0e3e2357e806b6cdb1f70b54c3a3a17b6714ee1f0e68bebb44a74b1efd512098',
    txs: 1,
    size: 215,
    weight: 860,
    version: 1,
    time: 1231469665,
    bits: 0x1d00ffff,
    nonce: 2573394689,
  },
  '300025': {
    hash: '0000000000000000821c4e0acc40f88bedbce3b73ba2358b5ade58a9022cc78c',
    prev: '00000000000000005cbe0d56fc3714fdea1b542b848c9d9da8fdbd11441d83d1',
    merkle: 'af193f375fc1aeede6d781c0a563c1a66b4f69723d558438ba80f45ad3c1be28',
    txs: 461,
    size: 284231,
    weight: 1136924,
    version: 2,
    time: 1399713634,
    bits: 0x1900896c,
    nonce: 1186968784,
  },
  '482683': {
    hash: '000000000000000000c238240ef6dcb26c37e75e16514e6ffc0aef7eee73e747',
    prev: '0000000000000000004f8568aa0bc28c7ca94785da07a49272f7124516aaac87',
    merkle: '0888bc2983c7a07818586346a6da7b0596310166de538cfbcf2fe37694aecf9f',
    txs: 12,
    size: 9288,
    weight: 35715,
    version: 0x20000002,
    time: 1504119737,
    bits: 0x18013ce9,
    nonce: 1460289622,
  },
} as const;

function expectImportError(fn: () => unknown, pattern: RegExp): AppError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    const err = e as AppError;
    expect(err.code).toBe('IMPORT_FAILED');
    expect(err.message).toMatch(pattern);
    expect(err.message).toMatch(/at byte offset \d+/);
    return err;
  }
  throw new Error('expected an AppError');
}

const sumInputs = (b: ParsedBlock) => b.transactions.reduce((s, t) => s + t.inputs.length, 0);
const sumOutputs = (b: ParsedBlock) => b.transactions.reduce((s, t) => s + t.outputs.length, 0);

describe('parseBlock on real mainnet blocks', () => {
  for (const [name, facts] of Object.entries(BLOCKS)) {
    it(`block ${name}: header fields, hash, size, weight`, () => {
      const b = parseBlockHex(hexOf(name));
      expect(b.header).toEqual({
        version: facts.version,
        prevHash: facts.prev,
        merkleRoot: facts.merkle,
        time: facts.time,
        bits: facts.bits,
        nonce: facts.nonce,
        hash: facts.hash,
      });
      expect(b.transactions).toHaveLength(facts.txs);
      expect(b.size).toBe(facts.size);
      expect(b.weight).toBe(facts.weight);
    });

    it(`block ${name}: every txid, wtxid, size and weight equals bitcoinjs-lib's`, () => {
      const hex = hexOf(name);
      const ours = parseBlockHex(hex);
      const ref = Block.fromHex(hex);
      const refTxs = ref.transactions!;
      expect(ours.transactions).toHaveLength(refTxs.length);
      ours.transactions.forEach((tx, i) => {
        const r = refTxs[i]!;
        expect(tx.txid).toBe(r.getId());
        // bitcoinjs-lib returns zeros for the coinbase wtxid (the value BIP-141 substitutes in the witness
        // merkle tree); we report the real hash of the serialisation, as Core's `hash` field does.
        if (i > 0) expect(tx.wtxid).toBe(Buffer.from(r.getHash(true)).reverse().toString('hex'));
        expect(tx.size).toBe(r.byteLength());
        expect(tx.weight).toBe(r.weight());
        expect(tx.vsize).toBe(r.virtualSize());
        expect(tx.hasWitness).toBe(r.hasWitnesses());
        expect(tx.inputs.map((inp) => inp.vout)).toEqual(r.ins.map((inp) => inp.index));
        expect(tx.inputs.map((inp) => inp.sequence)).toEqual(r.ins.map((inp) => inp.sequence));
        expect(tx.outputs.map((o) => o.value)).toEqual(r.outs.map((o) => o.value));
        expect(tx.outputs.map((o) => o.scriptPubKey)).toEqual(
          r.outs.map((o) => Buffer.from(o.script).toString('hex')),
        );
      });
      expect(ours.weight).toBe(ref.weight());
    });

    it(`block ${name}: decoded addresses agree with bitcoinjs-lib fromOutputScript`, () => {
      const hex = hexOf(name);
      const ours = parseBlockHex(hex);
      let checked = 0;
      for (const tx of ours.transactions) {
        for (const o of tx.outputs) {
          let expected: string | null;
          try {
            expected = btcAddress.fromOutputScript(Buffer.from(o.scriptPubKey, 'hex'));
          } catch {
            expected = null;
          }
          // bitcoinjs-lib also names P2PK outputs by nothing; we agree on every script.
          expect(o.address).toBe(expected);
          if (expected) checked++;
        }
      }
      if (name !== '1') expect(checked).toBeGreaterThan(10);
    });
  }

  it('block 1: a coinbase-only block paying 50 BTC to a bare public key (no address)', () => {
    const b = parseBlockHex(hexOf('1'));
    const tx = b.transactions[0]!;
    expect(tx.txid).toBe(BLOCKS['1'].merkle);
    expect(tx.inputs).toHaveLength(1);
    expect(tx.inputs[0]!.coinbase).toBe(true);
    expect(tx.inputs[0]!.prevTxid).toBe('0'.repeat(64));
    expect(tx.inputs[0]!.vout).toBe(0xffffffff);
    expect(tx.outputs).toHaveLength(1);
    expect(tx.outputs[0]!.value).toBe(5_000_000_000n);
    expect(tx.outputs[0]!.scriptType).toBe('p2pk');
    expect(tx.outputs[0]!.address).toBeNull();
  });

  it('block 300025: 1428 inputs, 1226 outputs, output sum, known txids, no witness', () => {
    const b = parseBlockHex(hexOf('300025'));
    expect(sumInputs(b)).toBe(1428);
    expect(sumOutputs(b)).toBe(1226);
    const total = b.transactions.reduce((s, t) => s + t.outputs.reduce((x, o) => x + o.value, 0n), 0n);
    expect(total).toBe(513093575772n);
    expect(b.transactions[0]!.txid).toBe('13055be6d6784afa78ed08454651e4c81a03f96297b32f71992ef07e462b97f3');
    expect(b.transactions[0]!.outputs.map((o) => o.value)).toEqual([2507773345n]);
    expect(b.transactions[1]!.txid).toBe('a17cb56f386346017346398e9fe1b72a33e2a405fd1a8c826d3beb93e87521ef');
    expect(b.transactions.at(-1)!.txid).toBe(
      '9f7704a69ef678d08755f1aec2ee7d7517c4aa82525d8c926cdce523f9863c23',
    );
    expect(b.transactions.filter((t) => t.hasWitness)).toHaveLength(0);
    // Only the first input of the block is a coinbase input.
    expect(b.transactions.flatMap((t) => t.inputs).filter((i) => i.coinbase)).toHaveLength(1);
  });

  it('block 482683 (segwit): weight 35715, stripped 8809, exactly 2 txs with witnesses', () => {
    const b = parseBlockHex(hexOf('482683'));
    expect(b.weight).toBe(35715);
    expect(b.strippedSize).toBe(8809);
    const withWitness = b.transactions.filter((t) => t.hasWitness);
    expect(withWitness.map((t) => t.txid)).toEqual([
      'a08b40a5bc30b5538d51c6bf385b59bf8ae5dc8c151a772e9c25cd64547bb395',
      'dcb0287611afbbd267db95e975fcd75cc09363a8375fd4991a37c1b6a7eed466',
    ]);
    // txid excludes the witness, wtxid includes it.
    for (const t of withWitness) expect(t.wtxid).not.toBe(t.txid);
    expect(sumInputs(b)).toBe(52);
    expect(sumOutputs(b)).toBe(25);
    const total = b.transactions.reduce((s, t) => s + t.outputs.reduce((x, o) => x + o.value, 0n), 0n);
    expect(total).toBe(24529107298n);
    expect(b.transactions[1]!.txid).toBe('ef2346f36c2ddd6f54422bd400a417eb93b19f7a33a943ef2095da3f2acd46cb');
    expect(b.transactions.at(-1)!.txid).toBe(
      'b1595bdae2aa8ce10eaebb0bd483d6bbf4a8935d552ed0ef8d9c294fbe049c6a',
    );
    // The coinbase witness is the 32-byte reserved value: 1 item of 32 bytes = 34 bytes with prefixes.
    expect(b.transactions[0]!.inputs[0]!.witnessLength).toBe(34);
  });

  it('reads by offset without copying: output scripts point into the caller buffer', () => {
    const raw = rawOf('300025');
    const b = parseBlock(raw);
    expect(b.buffer).toBe(raw);
    const o = b.transactions[1]!.outputs[0]!;
    expect(raw.toString('hex', o.scriptOffset, o.scriptOffset + o.scriptLength)).toBe(o.scriptPubKey);
  });

  it('iterateBlock streams the header then the same transactions', () => {
    const raw = rawOf('482683');
    const items = [...iterateBlock(raw)];
    const first = items[0]!;
    expect(first.kind).toBe('header');
    if (first.kind === 'header') {
      expect(first.header.hash).toBe(BLOCKS['482683'].hash);
      expect(first.txCount).toBe(12);
    }
    const txids = items.flatMap((x) => (x.kind === 'tx' ? [x.tx.txid] : []));
    expect(txids).toEqual(parseBlock(raw).transactions.map((t) => t.txid));
  });
});

describe('readBlocksFromBlkFile', () => {
  const frame = (block: Buffer, magic = blkMagic()): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt32LE(magic, 0);
    head.writeUInt32LE(block.length, 4);
    return Buffer.concat([head, block]);
  };

  it('reads consecutive records and stops at the zero padding', () => {
    const file = Buffer.concat([
      frame(rawOf('1')),
      frame(rawOf('300025')),
      frame(rawOf('482683')),
      Buffer.alloc(4096),
    ]);
    expect(file.subarray(0, 4).toString('hex')).toBe('f9beb4d9');
    const blocks = [...readBlocksFromBlkFile(file)];
    expect(blocks.map((b) => b.header.hash)).toEqual([
      BLOCKS['1'].hash,
      BLOCKS['300025'].hash,
      BLOCKS['482683'].hash,
    ]);
    expect(blocks[1]!.offset).toBe(8 + 215 + 8);
  });

  it('an empty or all-zero file holds no blocks', () => {
    expect([...readBlocksFromBlkFile(Buffer.alloc(0))]).toEqual([]);
    expect([...readBlocksFromBlkFile(Buffer.alloc(100))]).toEqual([]);
  });

  it('rejects a bad magic, a truncated record, and garbage after the padding, with offsets', () => {
    const one = frame(rawOf('1'));
    const bad = Buffer.from(one);
    bad.writeUInt32LE(0x12345678, 0);
    expectImportError(() => [...readBlocksFromBlkFile(bad)], /bad network magic 0x12345678 at byte offset 0/);
    const cut = Buffer.concat([one, frame(rawOf('482683')).subarray(0, 500)]);
    const err = expectImportError(
      () => [...readBlocksFromBlkFile(cut)],
      /truncated block: record says 9288 bytes/,
    );
    expect(err.message).toContain(`at byte offset ${one.length + 8}`);
    const garbage = Buffer.concat([one, Buffer.alloc(16), Buffer.from([1])]);
    expectImportError(() => [...readBlocksFromBlkFile(garbage)], /bad network magic|truncated blk record/);
  });

  it('reads testnet framing when asked', () => {
    const file = frame(rawOf('1'), blkMagic('testnet'));
    expect([...readBlocksFromBlkFile(file, { network: 'testnet' })]).toHaveLength(1);
    expectImportError(() => [...readBlocksFromBlkFile(file)], /bad network magic/);
  });
});

describe('corrupt input', () => {
  it('truncation anywhere fails with IMPORT_FAILED and the offset (never a RangeError)', () => {
    const raw = rawOf('482683');
    for (const cut of [0, 40, 79, 80, 81, 200, 1000, 5000, raw.length - 1]) {
      expectImportError(() => parseBlock(raw.subarray(0, cut)), /truncated/);
    }
  });

  it('property: every truncation of a real block is reported as IMPORT_FAILED', () => {
    const raw = rawOf('482683');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: raw.length - 1 }), (cut) => {
        expectImportError(() => parseBlock(raw.subarray(0, cut)), /./);
      }),
      { numRuns: 300 },
    );
  });

  it('property: a random byte flip either parses or fails with IMPORT_FAILED', () => {
    const raw = rawOf('482683');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: raw.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (at, mask) => {
          const copy = Buffer.from(raw);
          copy[at] = copy[at]! ^ mask;
          try {
            parseBlock(copy);
          } catch (e) {
            expect(e).toBeInstanceOf(AppError);
            expect((e as AppError).code).toBe('IMPORT_FAILED');
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('trailing bytes after the last transaction', () => {
    const raw = Buffer.concat([rawOf('1'), Buffer.from([0])]);
    expectImportError(
      () => parseBlock(raw),
      /1 trailing bytes after the last transaction at byte offset 215/,
    );
  });

  it('non-canonical CompactSize (1 written as fd 01 00)', () => {
    const raw = rawOf('1');
    const patched = Buffer.concat([raw.subarray(0, 80), Buffer.from([0xfd, 0x01, 0x00]), raw.subarray(81)]);
    expectImportError(
      () => parseBlock(patched),
      /bad CompactSize for transaction count: non-canonical.* at byte offset 80/,
    );
  });

  it('CompactSize counts that cannot fit in the bytes left', () => {
    const raw = Buffer.from(rawOf('1'));
    // The input count of the coinbase is at offset 80 (tx count) + 1 + 4 (version) = 85.
    raw[85] = 0xfc;
    expectImportError(
      () => parseBlock(raw),
      /bad CompactSize for input count \(or truncated data\): 252 items cannot fit/,
    );
    const huge = Buffer.concat([raw.subarray(0, 80), Buffer.from([0xfe, 0xff, 0xff, 0xff, 0x7f])]);
    expectImportError(() => parseBlock(huge), /bad CompactSize for transaction count: .*exceeds/);
  });

  it('a block with zero transactions', () => {
    const raw = Buffer.concat([rawOf('1').subarray(0, 80), Buffer.from([0])]);
    expectImportError(() => parseBlock(raw), /block without transactions at byte offset 80/);
  });

  it('an unknown segwit flag and a superfluous witness record', () => {
    const raw = rawOf('482683');
    const b = parseBlock(raw);
    const segwitTx = b.transactions[0]!; // coinbase, serialized with marker/flag
    const flagged = Buffer.from(raw);
    flagged[segwitTx.offset + 5] = 0x02;
    expectImportError(
      () => parseBlock(flagged),
      new RegExp(`unknown segwit flag 0x2 at byte offset ${segwitTx.offset + 5}`),
    );

    // Block 1's coinbase re-serialized with marker/flag but an empty witness stack (BIP-144 forbids it).
    const one = rawOf('1');
    const tx = one.subarray(81);
    const body = tx.subarray(4, tx.length - 4);
    const superfluous = Buffer.concat([
      one.subarray(0, 81),
      tx.subarray(0, 4),
      Buffer.from([0x00, 0x01]),
      body,
      Buffer.from([0x00]),
      tx.subarray(tx.length - 4),
    ]);
    const bodyEnd = 81 + 4 + 2 + body.length;
    expectImportError(
      () => parseBlock(superfluous),
      new RegExp(`superfluous witness record.* at byte offset ${bodyEnd}`),
    );
  });

  it('hex input: odd length and non-hex characters are rejected with their position', () => {
    expectImportError(() => parseBlockHex('abc'), /odd number of hex digits/);
    expectImportError(() => hexToBuffer('00zz'), /not a hex digit "z" at byte offset 2/);
  });
});
