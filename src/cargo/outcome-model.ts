/**
 * A second opinion learned from inspection outcomes: logistic regression of "the inspection found
 * drugs" on the reasons a declaration was scored with (each reason's contribution, per indicator or
 * rule). It is shown beside the rules' score, never instead of it: the rules decide the channel.
 *
 * Why this model: the reasons are the only inputs (the model sees what the rules saw, nothing of
 * the data generator), a weight per reason can be read and argued with, and training on tens of
 * thousands of inspections takes well under a second. Known bias, stated wherever it is shown:
 * inspections are mostly of containers the rules selected, so the model learns which selected
 * reasons turned out right, and says little about containers unlike any inspected one.
 */

/** One inspected declaration: its reasons (code → contribution) and whether drugs were found. */
export interface OutcomeSample {
  reasons: ReadonlyMap<string, number>;
  seizure: boolean;
}

export interface OutcomeModel {
  /** Inspections learned from, and how many of them found drugs. */
  trainedOn: number;
  seizures: number;
  /** Reason codes in feature order, with their learned weights (log-odds per 50 score points). */
  weights: ReadonlyMap<string, number>;
  intercept: number;
  /**
   * Area under the ROC curve of five-fold cross-validated predictions: 0.5 is no better than
   * chance, 1 is perfect. Null when there are too few inspections of either outcome to test.
   */
  auc: number | null;
}

/** Inspections needed before the model is offered (and of each outcome). */
export const MIN_INSPECTIONS = 30;
export const MIN_PER_OUTCOME = 5;

/** Contributions are divided by this, so that weights are log-odds per 50 score points. */
const SCALE = 50;
/** L2 penalty: keeps weights of rare reasons near zero instead of fitting a handful of cases. */
const LAMBDA = 1;
const ITERATIONS = 300;
const FOLDS = 5;

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Trains the model, or returns null when the inspections are too few to learn from. */
export function trainOutcomeModel(samples: readonly OutcomeSample[]): OutcomeModel | null {
  const seizures = samples.filter((s) => s.seizure).length;
  if (
    samples.length < MIN_INSPECTIONS ||
    seizures < MIN_PER_OUTCOME ||
    samples.length - seizures < MIN_PER_OUTCOME
  ) {
    return null;
  }
  const codes = [...new Set(samples.flatMap((s) => [...s.reasons.keys()]))].sort();
  const fit = fitLogistic(samples, codes);
  return {
    trainedOn: samples.length,
    seizures,
    weights: new Map(codes.map((c, i) => [c, fit.w[i] ?? 0])),
    intercept: fit.b,
    auc: crossValidatedAuc(samples, codes),
  };
}

/** Probability that an inspection of a declaration with these reasons finds drugs. */
export function predictSeizure(model: OutcomeModel, reasons: ReadonlyMap<string, number>): number {
  let z = model.intercept;
  for (const [code, contribution] of reasons) z += (model.weights.get(code) ?? 0) * (contribution / SCALE);
  return sigmoid(z);
}

/** Each reason's share of the log-odds for this declaration, largest first (the explanation). */
export function explainSeizure(
  model: OutcomeModel,
  reasons: ReadonlyMap<string, number>,
): Array<{ code: string; logOdds: number }> {
  return [...reasons]
    .map(([code, contribution]) => ({
      code,
      logOdds: (model.weights.get(code) ?? 0) * (contribution / SCALE),
    }))
    .filter((x) => x.logOdds !== 0)
    .sort((a, b) => Math.abs(b.logOdds) - Math.abs(a.logOdds));
}

/** Full-batch gradient descent on the L2-penalised log-loss (convex: the result is deterministic). */
function fitLogistic(
  samples: readonly OutcomeSample[],
  codes: readonly string[],
): { w: Float64Array; b: number } {
  const index = new Map(codes.map((c, i) => [c, i]));
  const rows = samples.map((s) => {
    const idx: number[] = [];
    const val: number[] = [];
    for (const [code, contribution] of s.reasons) {
      const i = index.get(code);
      if (i === undefined) continue;
      idx.push(i);
      val.push(contribution / SCALE);
    }
    return { idx, val, y: s.seizure ? 1 : 0 };
  });
  const n = rows.length;
  const w = new Float64Array(codes.length);
  const grad = new Float64Array(codes.length);
  // Start from the base rate, so that few iterations already give calibrated probabilities.
  const rate = rows.reduce((a, r) => a + r.y, 0) / n;
  let b = Math.log(rate / (1 - rate));
  // Step 1/L, L bounding the curvature of the mean log-loss (¼·max‖x‖², the intercept's 1
  // included): gradient descent then never overshoots.
  const maxNorm = rows.reduce(
    (m, r) =>
      Math.max(
        m,
        r.val.reduce((a, v) => a + v * v, 1),
      ),
    1,
  );
  const step = 1 / (0.25 * maxNorm + LAMBDA / n);
  for (let it = 0; it < ITERATIONS; it++) {
    grad.fill(0);
    let gb = 0;
    for (const r of rows) {
      let z = b;
      for (let k = 0; k < r.idx.length; k++) z += (w[r.idx[k] as number] as number) * (r.val[k] as number);
      const err = sigmoid(z) - r.y;
      gb += err;
      for (let k = 0; k < r.idx.length; k++) {
        const i = r.idx[k] as number;
        grad[i] = (grad[i] as number) + err * (r.val[k] as number);
      }
    }
    for (let i = 0; i < w.length; i++) {
      w[i] = (w[i] as number) - step * (((grad[i] as number) + LAMBDA * (w[i] as number)) / n);
    }
    b -= (step * gb) / n;
  }
  return { w, b };
}

/** AUC of predictions made for each fold by a model trained on the other folds. */
function crossValidatedAuc(samples: readonly OutcomeSample[], codes: readonly string[]): number | null {
  const scored: Array<{ p: number; y: boolean }> = [];
  for (let f = 0; f < FOLDS; f++) {
    const train = samples.filter((_, i) => i % FOLDS !== f);
    const test = samples.filter((_, i) => i % FOLDS === f);
    if (!train.some((s) => s.seizure) || train.every((s) => s.seizure)) return null;
    const fit = fitLogistic(train, codes);
    const model: OutcomeModel = {
      trainedOn: train.length,
      seizures: 0,
      weights: new Map(codes.map((c, i) => [c, fit.w[i] ?? 0])),
      intercept: fit.b,
      auc: null,
    };
    for (const s of test) scored.push({ p: predictSeizure(model, s.reasons), y: s.seizure });
  }
  return auc(scored);
}

/** Probability that a random positive is ranked above a random negative (ties count half). */
export function auc(scored: ReadonlyArray<{ p: number; y: boolean }>): number | null {
  const pos = scored.filter((s) => s.y).length;
  const neg = scored.length - pos;
  if (pos === 0 || neg === 0) return null;
  const sorted = [...scored].sort((a, b) => a.p - b.p);
  // Rank-sum (Mann–Whitney U), with average ranks for ties.
  let rankSum = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1]?.p === sorted[i]?.p) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (sorted[k]?.y) rankSum += avg;
    i = j + 1;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}
