/**
 * Finance: the in-memory, database-free core for tracing crypto-currency flows. Raw Bitcoin blocks in,
 * address clusters, taint traces, flow paths and TagPack labels out. No I/O beyond the buffers given.
 * The Bitcoin address codec (btc-address.ts) is deliberately not exported: src/identifiers owns the
 * public one.
 */
export {
  type BlockHeader,
  blkMagic,
  hexToBuffer,
  iterateBlock,
  type ParsedBlock,
  type ParsedTransaction,
  type ParseOptions,
  parseBlock,
  parseBlockHeader,
  parseBlockHex,
  parseTransaction,
  readBlocksFromBlkFile,
  reversedHex,
  type TxInput,
  TxOutput,
} from './block-parser.ts';
export {
  AddressClusterer,
  CHANGE_CONFIDENCE_MANY_OUTPUTS,
  CHANGE_CONFIDENCE_TWO_OUTPUTS,
  type ChangeLink,
  type ClustererOptions,
  type ClusterOutput,
  type CoinJoinRule,
  clusterLedger,
  isCoinJoinLike,
  type MergeRecord,
  maxEqualValueCount,
  type TxVerdict,
} from './clustering.ts';
export { financeMigrations } from './finance.migrations.ts';
export { financeRoutes } from './finance.routes.ts';
export * from './finance.schema.ts';
export {
  addDecimal,
  type BlockImportReport,
  FinanceService,
  type LedgerBlock,
  type LedgerTx,
  ledgerBlockOf,
  parseBlockInputs,
  type TagImportReport,
} from './finance.ts';
export { type BlockInspection, bip34Height, checkWitnessCommitment, inspectBlock } from './inspect-block.ts';
export { computeMerkleRoot, hashBytes, type MerkleResult, merkleRootFromTxids } from './merkle-root.ts';
export { findPaths, type PathSearchOptions, type PathSearchResult, type PathStep } from './path-search.ts';
export {
  ENTITY_KIND,
  generateSyntheticLedger,
  PLANTED_ADDRESSES,
  Prng,
  type SyntheticLedger,
  type SyntheticLedgerOptions,
  TX_KIND,
} from './synthetic-ledger.ts';
export { parseTagPack, type TagPack, type TagPackHeader, type TagRecord, toTagPackYaml } from './tagpack.ts';
export {
  cutTape,
  type Runs,
  type TaintModel,
  type TraceDirection,
  type TraceEdge,
  type TraceNode,
  type TraceOptions,
  type TraceResult,
  type TraceSource,
  taintedAmount,
  traceTaint,
} from './taint.ts';
export { exposureScore, SERVICE_CATEGORIES, traceToCsv, traceToGraphml } from './tracing.ts';
export { parseCsv, parseTransfers, type TransferInput } from './transfers.ts';
export {
  AccountGraph,
  type AccountTransfer,
  buildAccountGraph,
  buildUtxoGraph,
  type TxGraph,
  UtxoGraph,
  type UtxoTransactionSpec,
  utxoGraphFromBlocks,
  utxoGraphFromLedger,
} from './tx-graph.ts';
export { assertLedgerShape, type UtxoLedger } from './utxo-ledger.ts';
