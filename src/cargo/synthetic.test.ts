import { describe, expect, it } from 'vitest';
import { validateContainerNumber, validateImo } from '../identifiers/index.ts';
import type { DeclarationInput } from './cargo.schema.ts';
import { normalizeDeclaration } from './declaration.ts';
import { HIGH_RISK_PORTS } from './reference.ts';
import { createWorld } from './synthetic.ts';

function take(iter: Iterable<DeclarationInput>, n: number): DeclarationInput[] {
  const out: DeclarationInput[] = [];
  for (const d of iter) {
    out.push(d);
    if (out.length >= n) break;
  }
  return out;
}

describe('synthetic world', () => {
  const world = createWorld({ seed: 7, declarations: 6000, warmupDays: 60, contaminationRate: 0.01 });
  const all = [...world.declarations()];

  it('generates exactly the requested volume, in filing-time order', () => {
    expect(all).toHaveLength(world.totalDeclarations);
    const measured = all.filter((d) => world.isMeasured(Date.parse(d.times.filedAt)));
    expect(measured).toHaveLength(6000);
    for (let i = 1; i < all.length; i++) {
      expect(Date.parse(all[i]?.times.filedAt ?? '')).toBeGreaterThanOrEqual(
        Date.parse(all[i - 1]?.times.filedAt ?? ''),
      );
    }
  });

  it('produces declarations that pass the schema and the identifier checks', () => {
    for (const d of all) normalizeDeclaration(d);
    expect(validateContainerNumber(all[0]?.container.number ?? '').ok).toBe(true);
    expect(validateImo(all[0]?.vessel.imo ?? '').ok).toBe(true);
    expect(new Set(all.map((d) => d.id)).size).toBe(all.length);
  });

  it('covers the seven EU ports and both risky and ordinary origins', () => {
    expect(new Set(all.map((d) => d.route.discharge))).toEqual(
      new Set(['NLRTM', 'BEANR', 'DEHAM', 'FRLEH', 'ESALG', 'ESVLC', 'ITGIT']),
    );
    const origins = new Set(all.map((d) => d.route.loading));
    for (const p of ['ECGYE', 'COTRB', 'BRSSZ', 'CNSHA', 'USNYC']) expect(origins).toContain(p);
  });

  it('is deterministic for a seed and different for another seed', () => {
    const again = [
      ...createWorld({ seed: 7, declarations: 6000, warmupDays: 60, contaminationRate: 0.01 }).declarations(),
    ];
    expect(JSON.stringify(again.slice(0, 300))).toBe(JSON.stringify(all.slice(0, 300)));
    expect(again.length).toBe(all.length);
    const other = take(createWorld({ seed: 8, declarations: 6000 }).declarations(), 50);
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(all.slice(0, 50)));
    // A second pass over the same world object gives the same declarations and ground truth.
    const truthBefore = JSON.stringify([...world.truth]);
    const second = [...world.declarations()];
    expect(second.map((d) => d.id)).toEqual(all.map((d) => d.id));
    expect(JSON.stringify([...world.truth])).toBe(truthBefore);
  });

  it('keeps ground truth apart, with every pattern, some plants carrying no signal at all', () => {
    const ids = new Set(all.map((d) => d.id));
    const plants = [...world.truth.values()];
    expect(plants.length).toBeGreaterThan(40);
    for (const p of plants) expect(ids.has(p.declarationId)).toBe(true);
    expect(new Set(plants.map((p) => p.pattern))).toEqual(
      new Set(['front-company', 'identity-misuse', 'rip-on-rip-off', 'route-masking']),
    );
    expect(plants.some((p) => p.pattern === 'rip-on-rip-off' && p.signals.length === 0)).toBe(true);
    // Nothing in a declaration names its ground truth (the schema is strict, so no extra field).
    for (const d of all) expect(Object.keys(d).some((k) => /truth|plant|contamin/i.test(k))).toBe(false);
  });

  it('keeps most cover-commodity shipments from high-risk ports clean', () => {
    const risky = new Set(HIGH_RISK_PORTS);
    const bananas = all.filter((d) => d.goods.hsCode.startsWith('0803') && risky.has(d.route.loading));
    const dirty = bananas.filter((d) => world.truth.has(d.id));
    expect(bananas.length).toBeGreaterThan(200);
    expect(dirty.length / bananas.length).toBeLessThan(0.1);
    // Regular importers ship the same commodity again and again.
    const perConsignee = new Map<string, number>();
    for (const d of bananas)
      perConsignee.set(d.consignee.name, (perConsignee.get(d.consignee.name) ?? 0) + 1);
    expect(Math.max(...perConsignee.values())).toBeGreaterThan(20);
  });

  it('shares intelligence and a watchlist built from the world', () => {
    expect(world.watchlist.length).toBeGreaterThan(40);
    expect(world.watchlist.some((e) => e.kind === 'vessel')).toBe(true);
    for (const [value, hit] of world.intel) {
      expect(validateContainerNumber(value).ok).toBe(true);
      expect(hit.itemCount).toBeGreaterThan(0);
    }
  });

  it('generates lazily: a multi-million world starts streaming at once', () => {
    const t = performance.now();
    const big = createWorld({ seed: 1, declarations: 3_000_000 });
    const first = take(big.declarations(), 1000);
    expect(first).toHaveLength(1000);
    expect(big.totalDeclarations).toBe(3_000_000);
    expect(performance.now() - t).toBeLessThan(20_000);
  });
});
