/**
 * Cargo scoring throughput (one core, one thread):
 * 1. declarations scored per second with the built-in indicators, the built-in rule set, history
 *    features, the world's watchlist and shared-intelligence lookups (goal ≥ 200,000/s);
 * 2. the cost of scoring one declaration against JSON.parse of the same declaration (goal: scoring
 *    costs less);
 * 3. a year of Antwerp-scale traffic (~7 M declarations; 300 k with --quick) streamed through
 *    normalise → score → add to history (goal: scoring < 60 s).
 * 4. Peer, when installed: the built-in rule set evaluated by json-rules-engine on the same facts
 *    (the package is not a dependency; `npm i -D json-rules-engine` to measure it).
 */

import type { Subject } from '../src/cargo/fields.ts';
import {
  compileDefaultRules,
  createNormalizeCache,
  createScoringContext,
  createWorld,
  type Declaration,
  defaultRuleSet,
  FIELDS,
  History,
  type IntelHits,
  normalizeParsedDeclaration,
  type RuleDoc,
  scoreDeclaration,
  Watchlist,
} from '../src/cargo/index.ts';
import { type Figure, isQuick, machineDescription, printFigures } from './report.ts';

const BENCH = 'cargo-scoring';
const SCORED = isQuick ? 50_000 : 200_000;
const YEAR = isQuick ? 300_000 : 7_000_000;
const figures: Figure[] = [];

function intelFrom(map: ReadonlyMap<string, { observableType: string; itemCount: number }>): IntelHits {
  return (observables) => {
    const out: Array<{ observableType: string; value: string; itemCount: number }> = [];
    for (const o of observables) {
      const hit = map.get(o.value);
      if (hit !== undefined && hit.observableType === o.observableType) {
        out.push({ observableType: o.observableType, value: o.value, itemCount: hit.itemCount });
      }
    }
    return out;
  };
}

/* 1 + 2: throughput against a warm history -------------------------------------------------- */

console.log(
  `# ${machineDescription()}; ${SCORED.toLocaleString('en-GB')} declarations scored against a year of history`,
);
const world = createWorld({ seed: 20240101, declarations: SCORED, warmupDays: 365 });
const cache = createNormalizeCache();
const history = new History();
const decls: Declaration[] = [];
const jsons: string[] = [];
for (const raw of world.declarations()) {
  const d = normalizeParsedDeclaration(raw, { cache });
  if (world.isMeasured(d.filedAt)) {
    decls.push(d);
    jsons.push(JSON.stringify(raw));
  } else history.observe(d);
}
const watchlist = new Watchlist(world.watchlist);
const rules = compileDefaultRules();
const ctx = createScoringContext({ history, rules, watchlists: watchlist, intel: intelFrom(world.intel) });

function scorePass(): number {
  const t = performance.now();
  let sink = 0;
  for (const d of decls) {
    ctx.now = d.filedAt;
    sink += scoreDeclaration(d, ctx).score;
  }
  if (sink < 0) console.log(sink);
  return performance.now() - t;
}

function parsePass(): number {
  const t = performance.now();
  let sink = 0;
  for (const s of jsons) sink += (JSON.parse(s) as { version: number }).version;
  if (sink < 0) console.log(sink);
  return performance.now() - t;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
scorePass(); // warm-up: JIT, inline caches, quartile caches
parsePass();
const scoreMs = median([scorePass(), scorePass(), scorePass()]);
const parseMs = median([parsePass(), parsePass(), parsePass()]);
const avgBytes = jsons.reduce((s, j) => s + j.length, 0) / jsons.length;

figures.push({
  bench: BENCH,
  metric: 'declarations scored per second (indicators + rules + history + watchlist + intel)',
  value: (decls.length / scoreMs) * 1000,
  unit: 'decl/s',
  peer: null,
  peerValue: null,
  lowerIsBetter: false,
});
figures.push({
  bench: BENCH,
  metric: `µs per declaration: scoring vs JSON.parse of its ${Math.round(avgBytes)}-byte JSON`,
  value: (scoreMs * 1000) / decls.length,
  unit: 'µs',
  peer: 'JSON.parse',
  peerValue: (parseMs * 1000) / decls.length,
  lowerIsBetter: true,
});

/* 4: json-rules-engine peer (optional) ------------------------------------------------------- */

interface RulesEngine {
  addRule(rule: unknown): void;
  run(facts: Record<string, unknown>): Promise<{ events: Array<{ type: string }> }>;
}
const engineModule = 'json-rules-engine';
const jre = (await import(engineModule).catch(() => null)) as { Engine: new () => RulesEngine } | null;
if (jre === null) {
  console.log(
    '# peer json-rules-engine: not installed (npm i -D json-rules-engine to add it to this benchmark)',
  );
} else {
  const fieldsUsed = new Set<string>();
  const toJre = (c: unknown): unknown => {
    const n = c as Record<string, unknown>;
    if (Array.isArray(n.all)) return { all: n.all.map(toJre) };
    if (Array.isArray(n.any)) return { any: n.any.map(toJre) };
    if (n.not !== undefined) return { not: toJre(n.not) };
    const field = String(n.field);
    fieldsUsed.add(field);
    const [op, value] = Object.entries(n).find(([k]) => k !== 'field') as [string, unknown];
    const ops: Record<string, string> = {
      eq: 'equal',
      ne: 'notEqual',
      in: 'in',
      notIn: 'notIn',
      gt: 'greaterThan',
    };
    Object.assign(ops, { gte: 'greaterThanInclusive', lt: 'lessThan', lte: 'lessThanInclusive' });
    if (op === 'inList') return { fact: field, operator: 'intersects', value };
    return { fact: field, operator: ops[op] ?? 'equal', value };
  };
  const doc = defaultRuleSet();
  const engine = new jre.Engine();
  const lists: Record<string, readonly string[]> = (await import('../src/cargo/reference.ts')).BUILTIN_LISTS;
  (engine as unknown as { addOperator(n: string, f: (a: unknown, b: unknown) => boolean): void }).addOperator(
    'intersects',
    (a, b) => {
      const list = new Set(lists[String(b)] ?? []);
      return Array.isArray(a) ? a.some((x) => list.has(String(x))) : list.has(String(a));
    },
  );
  for (const r of doc.rules as RuleDoc[])
    engine.addRule({ conditions: toJre(r.when), event: { type: r.id } });
  const ids = rules.indicatorIds;
  const sample = decls.slice(0, Math.min(decls.length, 20_000));
  const t = performance.now();
  for (const d of sample) {
    const strengths = new Float64Array(ids.length);
    const s: Subject = { d, f: history.features(d), now: d.filedAt, strengths, indicatorPoints: 0 };
    const facts: Record<string, unknown> = {};
    for (const f of fieldsUsed) {
      facts[f] = f.startsWith('indicator.') ? false : (FIELDS[f]?.get(s) ?? null);
    }
    await engine.run(facts);
  }
  const peerUs = ((performance.now() - t) * 1000) / sample.length;
  figures.push({
    bench: BENCH,
    metric: 'µs per declaration: full scoring vs json-rules-engine evaluating the rule set alone',
    value: (scoreMs * 1000) / decls.length,
    unit: 'µs',
    peer: 'json-rules-engine',
    peerValue: peerUs,
    lowerIsBetter: true,
  });
}

/* 3: a year of Antwerp-scale traffic, streamed ------------------------------------------------ */

console.log(
  `# year of traffic: ${YEAR.toLocaleString('en-GB')} declarations, generated, normalised, scored, added to history`,
);
const year = createWorld({ seed: 20230101, declarations: YEAR });
const yearHistory = new History();
const yearCtx = createScoringContext({
  history: yearHistory,
  rules,
  watchlists: new Watchlist(year.watchlist),
  intel: intelFrom(year.intel),
});
const yearCache = createNormalizeCache();
let scoring = 0;
let n = 0;
let reds = 0;
const wall = performance.now();
// Normalise in chunks (untimed), then score and add the chunk to history (timed), in time order.
const chunk: Declaration[] = [];
const flush = () => {
  const t = performance.now();
  for (const d of chunk) {
    yearCtx.now = d.filedAt;
    if (scoreDeclaration(d, yearCtx).channel === 'red') reds++;
    yearHistory.observe(d);
  }
  scoring += performance.now() - t;
  n += chunk.length;
  chunk.length = 0;
};
for (const raw of year.declarations()) {
  chunk.push(normalizeParsedDeclaration(raw, { cache: yearCache }));
  if (chunk.length === 4096) flush();
}
flush();
const wallS = (performance.now() - wall) / 1000;
console.log(
  `# ${n.toLocaleString('en-GB')} declarations, ${reds.toLocaleString('en-GB')} red by threshold; wall ${wallS.toFixed(1)} s`,
);
figures.push({
  bench: BENCH,
  metric: `year of traffic (${(YEAR / 1e6).toFixed(1)} M decl): scoring + history upkeep`,
  value: scoring / 1000,
  unit: 's',
  peer: null,
  peerValue: null,
  lowerIsBetter: true,
});
figures.push({
  bench: BENCH,
  metric: `year of traffic (${(YEAR / 1e6).toFixed(1)} M decl): generate + normalise + score, end to end`,
  value: wallS,
  unit: 's',
  peer: null,
  peerValue: null,
  lowerIsBetter: true,
});

printFigures(figures);
