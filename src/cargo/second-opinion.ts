/**
 * The second opinion of CargoService: per organisation, the outcome model (outcome-model.ts)
 * trained on its own inspections, retrained when an inspection is added, and applied to the
 * reasons stored with each declaration. The rules' score and channel are never changed by it.
 */
import type { Db } from '../platform/database.ts';
import * as store from './cargo.store.ts';
import {
  explainSeizure,
  MIN_INSPECTIONS,
  MIN_PER_OUTCOME,
  type OutcomeModel,
  type OutcomeSample,
  predictSeizure,
  trainOutcomeModel,
} from './outcome-model.ts';

/** Inspections learned from at most (the most recent ones; training stays well under a second). */
const TRAINING_LIMIT = 50_000;

/** A stored reason, as the model reads it. */
interface StoredReason {
  code: string;
  label: string;
  contribution: number;
}

const reasonMap = (reasons: readonly StoredReason[]) => new Map(reasons.map((r) => [r.code, r.contribution]));

export class SecondOpinion {
  private readonly models = new Map<string, { state: string; model: OutcomeModel | null }>();

  constructor(private readonly db: Db) {}

  /** The organisation's model, or null while its inspections are too few to learn from. */
  async modelOf(orgId: string): Promise<OutcomeModel | null> {
    const state = await store.inspectionState(this.db, orgId);
    const cached = this.models.get(orgId);
    if (cached !== undefined && cached.state === state) return cached.model;
    const rows = await store.inspectedReasons(this.db, orgId, TRAINING_LIMIT);
    const samples: OutcomeSample[] = rows.map((r) => ({
      reasons: reasonMap(store.json<StoredReason[]>(r.reasons)),
      seizure: r.outcome === 'seizure',
    }));
    const model = trainOutcomeModel(samples);
    this.models.set(orgId, { state, model });
    return model;
  }

  /** Probability that inspecting a declaration with these reasons finds drugs (3 decimals). */
  static probability(model: OutcomeModel | null, reasons: readonly StoredReason[]): number | null {
    return model === null ? null : Math.round(predictSeizure(model, reasonMap(reasons)) * 1000) / 1000;
  }

  /** The probability and each reason's share of the model's log-odds, for one declaration. */
  static explain(model: OutcomeModel | null, reasons: readonly StoredReason[]) {
    if (model === null) return null;
    const labels = new Map(reasons.map((r) => [r.code, r.label]));
    return {
      probability: SecondOpinion.probability(model, reasons) ?? 0,
      trainedOn: model.trainedOn,
      reasons: explainSeizure(model, reasonMap(reasons)).map((x) => ({
        code: x.code,
        label: labels.get(x.code) ?? x.code,
        logOdds: Math.round(x.logOdds * 1000) / 1000,
      })),
    };
  }

  /** What the model learned, for the performance page. */
  async summary(orgId: string, labelOf: (code: string) => string) {
    const model = await this.modelOf(orgId);
    const minimum = { inspections: MIN_INSPECTIONS, perOutcome: MIN_PER_OUTCOME };
    if (model === null) return { available: false as const, minimum };
    return {
      available: true as const,
      minimum,
      trainedOn: model.trainedOn,
      seizures: model.seizures,
      auc: model.auc === null ? null : Math.round(model.auc * 1000) / 1000,
      baseProbability: Math.round(predictSeizure(model, new Map()) * 1000) / 1000,
      weights: [...model.weights]
        .map(([code, weight]) => ({ code, label: labelOf(code), weight: Math.round(weight * 1000) / 1000 }))
        .sort((a, b) => b.weight - a.weight),
    };
  }
}
