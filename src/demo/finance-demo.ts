/**
 * The demo world's ledger: a small synthetic Bitcoin ledger (background: users, exchanges, a pool, a
 * CoinJoin coordinator, peel chains) followed by three blocks in which the planted network moves money:
 *
 *   customers ──(exchange withdrawal)──► 4 payments ──► planted wallet W
 *   W ──sweep──► broker wallet (walletTwo) ──peel──► supplier + broker change ──cash-out──► exchange hot wallet
 *
 * so a forward trace of three hops from W reaches the hot wallet, tagged `exchange` (TLP:GREEN, whole
 * node). A fifth customer coin is left unspent: the *next batch* (one raw block, demoNextBlocksHex) spends
 * it into W and sweeps it on to the broker, which raises inbound and outbound alerts for whoever watches W.
 *
 * Everything is deterministic; the wallets are the ones of seed.ts plantedNetwork() (same derivation).
 */
import { createHash } from 'node:crypto';
import { bech32 } from '@scure/base';
import {
  generateSyntheticLedger,
  type LedgerBlock,
  type LedgerTx,
  merkleRootFromTxids,
} from '../finance/index.ts';
import type { NodeContext } from '../server/context.ts';

/** The user who loads the demo ledger and owns the exchange tag: the Dutch FIU analyst. */
export const DEMO_FIU_USER = 'nl.fiu.analyst';

const sha = (s: string) => createHash('sha256').update(s).digest();
const id = (s: string) => sha(`portshield-demo-ledger:${s}`).toString('hex');

function p2wpkhAddress(seed: string): string {
  return bech32.encode('bc', [0, ...bech32.toWords(sha(seed).subarray(0, 20))]);
}

/** The planted network's addresses (wallets as in seed.ts plantedNetwork). */
export function demoLedgerAddresses() {
  return {
    wallet: p2wpkhAddress('planted-wallet-1'),
    broker: p2wpkhAddress('planted-wallet-2'),
    supplier: p2wpkhAddress('planted-supplier'),
    brokerChange: p2wpkhAddress('planted-broker-change'),
    exchangeHotWallet: p2wpkhAddress('demo-exchange-hot-wallet'),
    customers: [1, 2, 3, 4, 5].map((n) => p2wpkhAddress(`planted-customer-${n}`)),
    miner: p2wpkhAddress('demo-miner'),
  };
}

const BACKGROUND_TXS = 2000;
const TX_PER_BLOCK = 200;
const START = 1_767_225_600; // 2026-01-01T00:00:00Z
const ZERO = '0'.repeat(64);
const COINBASE_IN = [{ prevTxid: ZERO, vout: 0xffffffff }];

const out = (address: string, value: number) => ({ address, value, scriptType: 'p2wpkh' });

/** The synthetic background ledger as blocks, with addresses derived from their ids. */
function backgroundBlocks(): LedgerBlock[] {
  const l = generateSyntheticLedger({
    transactions: BACKGROUND_TXS,
    seed: 20261122,
    txPerBlock: TX_PER_BLOCK,
  });
  const addr = (a: number) => (a < 0 ? null : p2wpkhAddress(`demo-ledger-address-${a}`));
  const txid = (t: number) => id(`background-tx-${t}`);
  // Output index → (transaction, vout)
  const txOfOutput = new Int32Array(l.outputCount);
  for (let t = 0; t < l.txCount; t++)
    for (let o = l.txOutputStart[t]!; o < l.txOutputStart[t + 1]!; o++) txOfOutput[o] = t;
  const blocks: LedgerBlock[] = [];
  let prev = ZERO;
  for (let start = 0, h = 0; start < l.txCount; start += TX_PER_BLOCK, h++) {
    const txs: LedgerTx[] = [];
    for (let t = start; t < Math.min(l.txCount, start + TX_PER_BLOCK); t++) {
      const s = l.txInputStart[t]!;
      const e = l.txInputStart[t + 1]!;
      const inputs = [];
      for (let i = s; i < e; i++) {
        const o = l.inputPrevOut[i]!;
        if (o < 0) continue;
        const pt = txOfOutput[o]!;
        inputs.push({ prevTxid: txid(pt), vout: o - l.txOutputStart[pt]! });
      }
      const outputs = [];
      for (let o = l.txOutputStart[t]!; o < l.txOutputStart[t + 1]!; o++)
        outputs.push({ address: addr(l.outputAddress[o]!), value: l.outputValue[o]!, scriptType: 'p2wpkh' });
      txs.push({ txid: txid(t), coinbase: e === s, inputs: e === s ? COINBASE_IN : inputs, outputs });
    }
    const hash = id(`background-block-${h}`);
    blocks.push({
      hash,
      prevHash: prev,
      time: Math.floor(l.txTime?.[start] ?? START + h * 600),
      heightHint: h,
      size: 1000,
      weight: 4000,
      transactions: txs,
    });
    prev = hash;
  }
  return blocks;
}

const COIN = 100_000_000;
const FEE = 10_000;
const PAYMENTS = [2_000_000, 3_000_000, 1_500_000, 2_500_000];
const NEXT_PAYMENT = 4_000_000;

/** The planted blocks after the background (heights follow it). */
function plantedBlocks(prevHash: string, firstHeight: number, time: number): LedgerBlock[] {
  const a = demoLedgerAddresses();
  const cb = (n: number, to: string): LedgerTx => ({
    txid: id(`planted-coinbase-${n}`),
    coinbase: true,
    inputs: COINBASE_IN,
    outputs: [out(to, 5 * COIN)],
  });
  const custValues = [...PAYMENTS, NEXT_PAYMENT];
  const withdrawal: LedgerTx = {
    txid: id('planted-exchange-withdrawal'),
    coinbase: false,
    inputs: [{ prevTxid: id('planted-coinbase-1'), vout: 0 }],
    outputs: [
      ...a.customers.map((c, i) => out(c, custValues[i]!)),
      out(a.exchangeHotWallet, 5 * COIN - custValues.reduce((x, y) => x + y, 0) - FEE),
    ],
  };
  const payments: LedgerTx[] = PAYMENTS.map((v, i) => ({
    txid: id(`planted-payment-${i + 1}`),
    coinbase: false,
    inputs: [{ prevTxid: withdrawal.txid, vout: i }],
    outputs: [out(a.wallet, v)],
  }));
  const total = PAYMENTS.reduce((x, y) => x + y, 0);
  const sweep: LedgerTx = {
    txid: id('planted-sweep'),
    coinbase: false,
    inputs: payments.map((p) => ({ prevTxid: p.txid, vout: 0 })),
    outputs: [out(a.broker, total - FEE)],
  };
  const peel: LedgerTx = {
    txid: id('planted-peel'),
    coinbase: false,
    inputs: [{ prevTxid: sweep.txid, vout: 0 }],
    outputs: [out(a.supplier, 1_000_000), out(a.brokerChange, total - 2 * FEE - 1_000_000)],
  };
  const cashOut: LedgerTx = {
    txid: id('planted-cash-out'),
    coinbase: false,
    inputs: [{ prevTxid: peel.txid, vout: 1 }],
    outputs: [out(a.exchangeHotWallet, total - 3 * FEE - 1_000_000)],
  };
  const txsPerBlock = [
    [cb(1, a.exchangeHotWallet), withdrawal],
    [cb(2, a.miner), ...payments],
    [cb(3, a.miner), sweep, peel, cashOut],
  ];
  let prev = prevHash;
  return txsPerBlock.map((transactions, k) => {
    const hash = id(`planted-block-${k + 1}`);
    const b: LedgerBlock = {
      hash,
      prevHash: prev,
      time: time + (k + 1) * 600,
      heightHint: firstHeight + k,
      size: 1000,
      weight: 4000,
      transactions,
    };
    prev = hash;
    return b;
  });
}

/** All blocks of the demo ledger, background first. */
export function demoLedgerBlocks(): LedgerBlock[] {
  const bg = backgroundBlocks();
  const last = bg[bg.length - 1]!;
  return [...bg, ...plantedBlocks(last.hash, bg.length, last.time)];
}

const NEXT_HEIGHT = BACKGROUND_TXS / TX_PER_BLOCK + 3;
const LAST_PLANTED = id('planted-block-3');

// ---------------------------------------------------------------------------------------------------
// The next batch: real serialized blocks (legacy transaction format), as a node would receive them.

function varint(n: number): Buffer {
  if (n < 0xfd) return Buffer.from([n]);
  const b = Buffer.alloc(3);
  b[0] = 0xfd;
  b.writeUInt16LE(n, 1);
  return b;
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};
const u64 = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
};
const internal = (displayHex: string) => Buffer.from(displayHex, 'hex').reverse();

function p2wpkhScript(address: string): Buffer {
  const { words } = bech32.decode(address as `bc1${string}`);
  return Buffer.concat([Buffer.from([0x00, 0x14]), Buffer.from(bech32.fromWords(words.slice(1)))]);
}

function serializeTx(
  inputs: { prevTxid: string; vout: number; script: Buffer }[],
  outputs: { address: string; value: number }[],
): { raw: Buffer; txid: string } {
  const parts: Buffer[] = [u32(1), varint(inputs.length)];
  for (const i of inputs)
    parts.push(internal(i.prevTxid), u32(i.vout), varint(i.script.length), i.script, u32(0xffffffff));
  parts.push(varint(outputs.length));
  for (const o of outputs) {
    const s = p2wpkhScript(o.address);
    parts.push(u64(o.value), varint(s.length), s);
  }
  parts.push(u32(0));
  const raw = Buffer.concat(parts);
  const hash = createHash('sha256').update(createHash('sha256').update(raw).digest()).digest();
  return { raw, txid: Buffer.from(hash).reverse().toString('hex') };
}

/**
 * The next batch of the demo ledger: one raw block, hex, that pays the last customer's coin into the
 * planted wallet and sweeps it on to the broker. Import it (POST /api/finance/blocks, or
 * `portshield finance import-blocks`) after the demo world is seeded.
 */
export function demoNextBlocksHex(): string[] {
  const a = demoLedgerAddresses();
  const height = NEXT_HEIGHT;
  const heightPush = Buffer.from([0x03, height & 0xff, (height >> 8) & 0xff, (height >> 16) & 0xff]);
  const coinbase = serializeTx(
    [
      {
        prevTxid: ZERO,
        vout: 0xffffffff,
        script: Buffer.concat([heightPush, Buffer.from('portshield demo')]),
      },
    ],
    [{ address: a.miner, value: 5 * COIN }],
  );
  const pay = serializeTx(
    [{ prevTxid: id('planted-exchange-withdrawal'), vout: 4, script: Buffer.alloc(0) }],
    [{ address: a.wallet, value: NEXT_PAYMENT }],
  );
  const sweep = serializeTx(
    [{ prevTxid: pay.txid, vout: 0, script: Buffer.alloc(0) }],
    [{ address: a.broker, value: NEXT_PAYMENT - FEE }],
  );
  const txs = [coinbase, pay, sweep];
  const header = Buffer.concat([
    u32(2),
    internal(LAST_PLANTED),
    internal(merkleRootFromTxids(txs.map((t) => t.txid))),
    u32(START + 86_400),
    u32(0x1d00ffff),
    u32(0),
  ]);
  const block = Buffer.concat([header, varint(txs.length), ...txs.map((t) => t.raw)]);
  return [block.toString('hex')];
}

/**
 * Loads the demo ledger as the demo FIU analyst and tags the exchange hot wallet (TLP:GREEN, whole node).
 * Returns the number of blocks stored (0 when the ledger was already there).
 */
export async function seedFinanceDemo(ctx: NodeContext): Promise<number> {
  const actor = await ctx.identity.actorForUsername(DEMO_FIU_USER);
  const report = await ctx.finance.importLedgerBlocks(actor, demoLedgerBlocks());
  if (report.blocks > 0) {
    await ctx.finance.addTag(actor, {
      address: demoLedgerAddresses().exchangeHotWallet,
      label: 'Demo exchange hot wallet',
      category: 'exchange',
      source: 'PortShield demo world',
      confidence: 'high',
      marking: { tlp: 'GREEN', handlingCode: null, sourceReliability: 'B', infoCredibility: '2' },
      distribution: { orgs: [], users: [], communities: [], node: true },
    });
  }
  return report.blocks;
}
