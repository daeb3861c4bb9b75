import { describe, expect, it } from 'vitest';
import {
  auc,
  explainSeizure,
  type OutcomeSample,
  predictSeizure,
  trainOutcomeModel,
} from './outcome-model.ts';

/** A deterministic pseudo-random sequence (the tests must not depend on Math.random). */
function rng(seed: number) {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

/** 600 inspections: `front-company` finds drugs 60 % of the time, `reefer` 5 %, neither 2 %. */
function inspections(): OutcomeSample[] {
  const r = rng(42);
  const out: OutcomeSample[] = [];
  for (let i = 0; i < 600; i++) {
    const reasons = new Map<string, number>();
    const front = r() < 0.3;
    const reefer = r() < 0.5;
    if (front) reasons.set('front-company', 40);
    if (reefer) reasons.set('reefer', 10);
    const p = front ? 0.6 : reefer ? 0.05 : 0.02;
    out.push({ reasons, seizure: r() < p });
  }
  return out;
}

describe('outcome model (second opinion)', () => {
  it('learns which reasons turned out right, and ranks held-out inspections well', () => {
    const model = trainOutcomeModel(inspections());
    expect(model).not.toBeNull();
    if (model === null) return;
    expect(model.trainedOn).toBe(600);
    expect(model.weights.get('front-company')).toBeGreaterThan(1);
    expect(Math.abs(model.weights.get('reefer') ?? 0)).toBeLessThan(model.weights.get('front-company') ?? 0);
    const front = predictSeizure(model, new Map([['front-company', 40]]));
    const none = predictSeizure(model, new Map());
    expect(front).toBeGreaterThan(0.4);
    expect(front).toBeLessThan(0.8);
    expect(none).toBeLessThan(0.1);
    expect(model.auc).toBeGreaterThan(0.8);
    expect(
      explainSeizure(
        model,
        new Map([
          ['reefer', 10],
          ['front-company', 40],
        ]),
      )[0]?.code,
    ).toBe('front-company');
  });

  it('is not offered until there are enough inspections of both outcomes', () => {
    expect(trainOutcomeModel(inspections().slice(0, 20))).toBeNull();
    const noSeizure = inspections().map((s) => ({ ...s, seizure: false }));
    expect(trainOutcomeModel(noSeizure)).toBeNull();
  });

  it('ignores reasons it never saw', () => {
    const model = trainOutcomeModel(inspections());
    if (model === null) throw new Error('no model');
    expect(predictSeizure(model, new Map([['unknown-rule', 80]]))).toBe(predictSeizure(model, new Map()));
  });

  it('computes the area under the ROC curve with ties counted half', () => {
    expect(
      auc([
        { p: 0.9, y: true },
        { p: 0.1, y: false },
      ]),
    ).toBe(1);
    expect(
      auc([
        { p: 0.1, y: true },
        { p: 0.9, y: false },
      ]),
    ).toBe(0);
    expect(
      auc([
        { p: 0.5, y: true },
        { p: 0.5, y: false },
      ]),
    ).toBe(0.5);
    // 2 positives × 2 negatives: pairs (0.8>0.3, 0.8>0.6, 0.4>0.3, 0.4<0.6) → 3/4.
    expect(
      auc([
        { p: 0.8, y: true },
        { p: 0.4, y: true },
        { p: 0.3, y: false },
        { p: 0.6, y: false },
      ]),
    ).toBe(0.75);
    expect(auc([{ p: 0.3, y: true }])).toBeNull();
  });
});
