/**
 * The cargo module's public face. Other modules import from here.
 */
export { cargoMigrations } from './cargo.migrations.ts';
export { cargoRoutes } from './cargo.routes.ts';
export {
  AMENDABLE_PARTS,
  type AmendablePart,
  type DeclarationInput,
  DeclarationSchema,
  type PartyInput,
  PartySchema,
  RuleEnvelopeSchema,
  RuleSetEnvelopeSchema,
  type WatchlistEntryInput,
  WatchlistEntrySchema,
} from './cargo.schema.ts';
export { CargoService } from './cargo.ts';
export {
  createNormalizeCache,
  DEFAULT_EUR_RATES,
  type Declaration,
  diffDeclarations,
  type NormalizeCache,
  type NormalizeOptions,
  normalizeDeclaration,
  normalizeParsedDeclaration,
  type Party,
  type PayerRole,
} from './declaration.ts';
export { compileDefaultRules, DEFAULT_RULES_YAML, defaultRuleSet } from './default-rules.ts';
export { FIELDS, type FieldDef, type FieldType } from './fields.ts';
export { type FileBatch, fileBatches } from './file-batches.ts';
export {
  type Features,
  History,
  type HistoryJSON,
  type HistoryOptions,
  type PartyStats,
  type QuartileView,
  sealProblem,
} from './history.ts';
export {
  BUILTIN_INDICATORS,
  DEFAULT_INDICATOR_CONFIG,
  type Fired,
  type Indicator,
  type IndicatorConfig,
  type IndicatorContext,
  type IntelHit,
  type IntelHits,
  type Observable,
  observablesOf,
  withWeights,
} from './indicators.ts';
export {
  csvRows,
  formatOfFile,
  type IngestFormat,
  jsonlRows,
  parseDeclarationFile,
  toCsv,
} from './ingest.ts';
export { type ObservableCounter, prefetchIntelHits, visitObservables } from './intel-hits.ts';
export {
  judgePrice,
  type PriceCheck,
  type PriceDirection,
  type PriceOutlierQuery,
  type PriceOutlierReport,
  type PriceParty,
} from './price-outliers.ts';
export { BUILTIN_LISTS, COVER_COMMODITIES, HIGH_RISK_PORTS, portLabel } from './reference.ts';
export {
  COMPARISON_OPS,
  type CompiledRule,
  type CompiledRuleSet,
  type Condition,
  compileRuleSet,
  parseRuleSet,
  type RuleDoc,
  type RuleSetDoc,
  type RuleSetRevision,
  reviseRuleSet,
  validateRuleSet,
} from './rules.ts';
export { unsafePatternReason } from './safe-regex.ts';
export {
  type Channel,
  createScoringContext,
  DEFAULT_THRESHOLDS,
  type HistoryReader,
  type QueueEntry,
  type QueueOptions,
  type Reason,
  rankQueue,
  type ScoreResult,
  type ScoringContext,
  type ScoringOptions,
  scoreDeclaration,
  type Thresholds,
} from './scoring.ts';
export { LogHistogram } from './sketch.ts';
export {
  createWorld,
  type PlantPattern,
  type PlantTruth,
  SyntheticWorld,
  type WorldOptions,
} from './synthetic.ts';
export {
  DEFAULT_NAME_THRESHOLD,
  type FtmImportResult,
  importFtm,
  transliterationSkeleton,
  Watchlist,
  type WatchlistHit,
  type Watchlists,
} from './watchlist.ts';
