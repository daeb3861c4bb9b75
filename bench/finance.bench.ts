/**
 * Finance core benchmarks: `npm run bench -- finance [--quick]`.
 *
 * 1. Synthetic ledger of 10 M transactions (1 M with --quick): generation time, multi-input clustering
 *    time and throughput, peak RSS of the process (goals: < 60 s, < 4 GB).
 * 2. Clustering throughput on a 1 M-transaction ledger, against a baseline measured in the same run:
 *    connected components by BFS over Map/array adjacency lists (what a general graph library does), and
 *    graphology's connected components (graphology-components) on the same address graph, graph build
 *    included.
 * 3. Three-hop forward haircut trace from a planted wallet, exchanges as stopping services (goal < 200 ms).
 * 4. Raw block parsing MB/s on the fixture blocks framed as a blk*.dat file and repeated (goal ≥ 50 MB/s),
 *    against bitcoinjs-lib Block.fromBuffer on the same bytes (which computes no txids) and
 *    Block.fromBuffer + getId() on every transaction (which computes what we compute).
 */
import { readFileSync } from 'node:fs';
import { Block } from 'bitcoinjs-lib';
import { UndirectedGraph } from 'graphology';
import { connectedComponents } from 'graphology-components';
import {
  blkMagic,
  clusterLedger,
  generateSyntheticLedger,
  isCoinJoinLike,
  PLANTED_ADDRESSES,
  readBlocksFromBlkFile,
  type SyntheticLedger,
  traceTaint,
  type UtxoLedger,
  utxoGraphFromLedger,
} from '../src/finance/index.ts';
import { type Figure, isQuick, percentile, printFigures } from './report.ts';

const figures: Figure[] = [];
const fig = (
  metric: string,
  value: number,
  unit: string,
  lowerIsBetter: boolean,
  peer: string | null = null,
  peerValue: number | null = null,
): void => {
  figures.push({ bench: 'finance', metric, value, unit, peer, peerValue, lowerIsBetter });
};
const seconds = (t0: number): number => (performance.now() - t0) / 1000;
const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
const round = (x: number, digits = 3): number => Number(x.toPrecision(digits));

// --- 1. the big ledger: generate, cluster, peak memory ---------------------------------------------
const bigN = isQuick ? 1_000_000 : 10_000_000;
const label = `${bigN / 1e6} M`;
let t0 = performance.now();
const big = generateSyntheticLedger({ transactions: bigN, seed: 2024 });
const genS = seconds(t0);
t0 = performance.now();
const bigClusters = clusterLedger(big);
const clusterS = seconds(t0);
console.log(
  `ledger ${label}: ${big.inputCount.toLocaleString('en-GB')} inputs, ${big.outputCount.toLocaleString('en-GB')} outputs, ` +
    `${big.addressCount.toLocaleString('en-GB')} addresses → ${bigClusters.clusterCount().toLocaleString('en-GB')} clusters, ` +
    `${bigClusters.mergeCount.toLocaleString('en-GB')} merges, ${bigClusters.coinJoinCount.toLocaleString('en-GB')} CoinJoins skipped`,
);
fig(`ledger ${label} tx: generate`, round(genS), 's', true);
fig(`ledger ${label} tx: cluster (multi-input)`, round(clusterS), 's', true);
fig(`ledger ${label} tx: generate + cluster`, round(genS + clusterS), 's', true);
fig(`ledger ${label} tx: clustering throughput`, round(big.inputCount / clusterS), 'inputs/s', false);
fig(`ledger ${label} tx: peak RSS (process)`, Math.round(peakRssMb()), 'MB', true);

// --- 2. clustering throughput vs a graph-library-style baseline (1 M transactions) -----------------
/**
 * Baseline: the same links (first input ↔ every other input, CoinJoins skipped) into Map<number, number[]>
 * adjacency, then BFS components with a Set, cluster id = smallest member. This is the work a general
 * graph library's connected-components does after building its graph.
 */
function baselineComponents(ledger: UtxoLedger): number {
  const adj = new Map<number, number[]>();
  const neighbours = (a: number): number[] => {
    let list = adj.get(a);
    if (!list) {
      list = [];
      adj.set(a, list);
    }
    return list;
  };
  const link = (a: number, b: number): void => {
    neighbours(a).push(b);
    neighbours(b).push(a);
  };
  for (let t = 0; t < ledger.txCount; t++) {
    const s = ledger.txInputStart[t]!;
    const e = ledger.txInputStart[t + 1]!;
    if (e - s < 2) continue;
    if (isCoinJoinLike(e - s, ledger.outputValue, ledger.txOutputStart[t]!, ledger.txOutputStart[t + 1]!))
      continue;
    const first = ledger.inputAddress[s]!;
    for (let i = s + 1; i < e; i++)
      if (ledger.inputAddress[i] !== first) link(first, ledger.inputAddress[i]!);
  }
  const component = new Map<number, number>();
  let components = 0;
  for (const start of adj.keys()) {
    if (component.has(start)) continue;
    const members = [start];
    const seen = new Set([start]);
    let min = start;
    for (let k = 0; k < members.length; k++) {
      for (const n of adj.get(members[k]!)!) {
        if (!seen.has(n)) {
          seen.add(n);
          members.push(n);
          if (n < min) min = n;
        }
      }
    }
    for (const m of members) component.set(m, min);
    components++;
  }
  return components;
}

const mid: SyntheticLedger = isQuick ? big : generateSyntheticLedger({ transactions: 1_000_000, seed: 2024 });
const runs = 5;
const ours: number[] = [];
const base: number[] = [];
for (let r = 0; r < runs; r++) {
  t0 = performance.now();
  clusterLedger(mid);
  ours.push(seconds(t0));
  t0 = performance.now();
  baselineComponents(mid);
  base.push(seconds(t0));
}
ours.sort((a, b) => a - b);
base.sort((a, b) => a - b);
fig(
  'clustering 1 M tx (median of 5)',
  round(mid.inputCount / percentile(ours, 50)),
  'inputs/s',
  false,
  'BFS over Map adjacency',
  round(mid.inputCount / percentile(base, 50)),
);

// graphology's connected components (graphology-components) on the same address graph: the literal peer.
// Timed as the work a user of the library does: build the graph from the ledger, then the components.
function graphologyComponents(ledger: UtxoLedger): number {
  const g = new UndirectedGraph();
  for (let t = 0; t < ledger.txCount; t++) {
    const s = ledger.txInputStart[t]!;
    const e = ledger.txInputStart[t + 1]!;
    if (e - s < 2) continue;
    if (isCoinJoinLike(e - s, ledger.outputValue, ledger.txOutputStart[t]!, ledger.txOutputStart[t + 1]!))
      continue;
    const first = ledger.inputAddress[s]!;
    for (let i = s + 1; i < e; i++) {
      const other = ledger.inputAddress[i]!;
      if (other !== first) g.mergeEdge(first, other);
    }
  }
  return connectedComponents(g).length;
}
const gRuns = 3;
const gTimes: number[] = [];
const oTimes: number[] = [];
let gCount = 0;
for (let r = 0; r < gRuns; r++) {
  t0 = performance.now();
  clusterLedger(mid);
  oTimes.push(seconds(t0));
  t0 = performance.now();
  gCount = graphologyComponents(mid);
  gTimes.push(seconds(t0));
}
if (gCount !== baselineComponents(mid))
  throw new Error('graphology and the baseline disagree on the components');
gTimes.sort((a, b) => a - b);
oTimes.sort((a, b) => a - b);
fig(
  'clustering 1 M tx vs graphology (median of 3)',
  round(mid.inputCount / percentile(oTimes, 50)),
  'inputs/s',
  false,
  'graphology + graphology-components',
  round(mid.inputCount / percentile(gTimes, 50)),
);

// --- 3. three-hop haircut trace on the big ledger --------------------------------------------------
t0 = performance.now();
const graph = utxoGraphFromLedger(big);
graph.prepare();
const buildS = seconds(t0);
const exchanges = new Set(big.exchangeEntities);
const isService = (_name: string, id: number): boolean => exchanges.has(big.addressOwner[id]!);
const tagOf = (_name: string, id: number): string | null =>
  exchanges.has(big.addressOwner[id]!)
    ? 'exchange'
    : big.addressOwner[id] === PLANTED_ADDRESSES.supplier
      ? 'supplier'
      : null;
const traceMs: number[] = [];
let lastEdges = 0;
let lastExposure: Record<string, number> = {};
for (let r = 0; r < 7; r++) {
  t0 = performance.now();
  const res = traceTaint(
    graph,
    { address: graph.addressName(PLANTED_ADDRESSES.distributors[0]) },
    { model: 'haircut', direction: 'forward', maxHops: 3, isService, tagOf },
  );
  traceMs.push(performance.now() - t0);
  lastEdges = res.edges.length;
  lastExposure = res.exposure;
}
traceMs.sort((a, b) => a - b);
console.log(
  `trace: ${lastEdges} edges; exposure (BTC) ${JSON.stringify(
    Object.fromEntries(Object.entries(lastExposure).map(([k, v]) => [k, round(v / 1e8, 4)])),
  )}`,
);
fig(`tx graph from ${label}-tx ledger (spent-by + address indexes)`, round(buildS), 's', true);
fig('3-hop haircut trace from a planted wallet (median of 7)', round(percentile(traceMs, 50)), 'ms', true);

// --- 4. raw block parsing ---------------------------------------------------------------------------
const blocks = ['1', '300025', '482683'].map((n) =>
  Buffer.from(readFileSync(`/work/shared/fixtures/bitcoin/${n}.hex`, 'utf8').trim(), 'hex'),
);
const records: Buffer[] = [];
for (const b of blocks) {
  const head = Buffer.alloc(8);
  head.writeUInt32LE(blkMagic(), 0);
  head.writeUInt32LE(b.length, 4);
  records.push(head, b);
}
const unit = Buffer.concat(records);
const repeat = Math.ceil(((isQuick ? 8 : 32) * 2 ** 20) / unit.length);
const blk = Buffer.concat(Array.from({ length: repeat }, () => unit));
const slices: Buffer[] = [];
for (let off = 0; off < blk.length; ) {
  const len = blk.readUInt32LE(off + 4);
  slices.push(blk.subarray(off + 8, off + 8 + len));
  off += 8 + len;
}
const mbPerS = (fn: () => void, minSeconds: number): number => {
  fn(); // warm-up
  let n = 0;
  const start = performance.now();
  do {
    fn();
    n++;
  } while (seconds(start) < minSeconds);
  return (n * blk.length) / 2 ** 20 / seconds(start);
};
const minS = isQuick ? 1 : 3;
let txCount = 0;
const oursMb = mbPerS(() => {
  for (const b of readBlocksFromBlkFile(blk)) txCount += b.transactions.length;
}, minS);
const peerMb = mbPerS(() => {
  for (const s of slices) Block.fromBuffer(s);
}, minS);
const peerIdMb = mbPerS(() => {
  for (const s of slices) for (const tx of Block.fromBuffer(s).transactions!) tx.getId();
}, minS);
console.log(`block parsing: ${(blk.length / 2 ** 20).toFixed(1)} MiB blk buffer, ${slices.length} blocks`);
fig(
  'parse blk file: header, txs, txids, wtxids',
  round(oursMb),
  'MB/s',
  false,
  'bitcoinjs-lib Block.fromBuffer',
  round(peerMb),
);
fig(
  'parse blk file: header, txs, txids, wtxids',
  round(oursMb),
  'MB/s',
  false,
  'bitcoinjs-lib fromBuffer + getId',
  round(peerIdMb),
);

printFigures(figures);
if (txCount === 0) console.log('(no transactions parsed)');
