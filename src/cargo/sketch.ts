/**
 * A streaming quantile sketch: a log-bucket histogram (the mapping of DDSketch, Masson, Rim &
 * Lee, "DDSketch: a fast and fully-mergeable quantile sketch with relative-error guarantees",
 * VLDB 2019), written here from the paper's idea.
 *
 * Accuracy: a positive value v falls in bucket i = ceil(log_γ v) with γ = (1+α)/(1−α); the
 * bucket's representative 2γ^i/(γ+1) is within relative error α of every value in it. Counts are
 * exact, so `quantile(q)` returns the representative of the bucket holding the exact rank
 * ⌊q·(n−1)⌋ sample: within ±α (default 2 %) of a true sample quantile. Values ≤ MIN are counted
 * in a zero bucket (reported as 0); values are clamped to MAX.
 *
 * Cost: `add` is one logarithm and an array increment. `quartiles()` is cached and recomputed
 * only when the count has grown by more than 1/64 (≈1.6 %) since the last computation, so a
 * scoring call costs O(1) amortised; the recomputation scans the occupied bucket range (a few
 * hundred buckets at most for three decades of values).
 */
const MIN = 1e-6;
const MAX = 1e12;

/** The value a bucket stands for: 2γ^i / (γ + 1). */
function representative(gamma: number, index: number): number {
  return (2 * gamma ** index) / (gamma + 1);
}

export interface LogHistogramJSON {
  alpha: number;
  /** Bucket index of `counts[0]`. */
  offset: number;
  counts: number[];
  zeros: number;
}

/**
 * γ and log γ of one accuracy, shared by every sketch of that accuracy. History keeps thousands
 * of sketches and updates a few of them per declaration; numbers kept in each sketch would be
 * separate heap cells, one more cache miss per update.
 */
interface Mapping {
  readonly alpha: number;
  readonly gamma: number;
  readonly logGamma: number;
}

const mappings = new Map<number, Mapping>();

function mappingOf(alpha: number): Mapping {
  let m = mappings.get(alpha);
  if (m === undefined) {
    const gamma = (1 + alpha) / (1 - alpha);
    m = { alpha, gamma, logGamma: Math.log(gamma) };
    mappings.set(alpha, m);
  }
  return m;
}

export class LogHistogram {
  private readonly mapping: Mapping;
  private counts: Uint32Array;
  private offset = 0;
  private used = false;
  private zeros = 0;
  private n = 0;
  /**
   * At most the lowest occupied bucket index (counts only grow, so nothing below it is
   * occupied); meaningless while no bucket is used. An integer, never infinite, so that it stays
   * a small integer field of the object.
   */
  private lowest = 0;
  private cachedAt = -1;
  private q1 = Number.NaN;
  private q3 = Number.NaN;

  constructor(alpha = 0.02) {
    if (!(alpha > 0 && alpha < 0.5)) throw new RangeError('alpha must be in (0, 0.5)');
    this.mapping = mappingOf(alpha);
    this.counts = new Uint32Array(16);
  }

  get alpha(): number {
    return this.mapping.alpha;
  }

  get count(): number {
    return this.n;
  }

  add(value: number): void {
    if (!(value >= 0)) return; // NaN and negatives carry no information here
    this.n++;
    if (value <= MIN) {
      this.zeros++;
      return;
    }
    const idx = Math.ceil(Math.log(Math.min(value, MAX)) / this.mapping.logGamma);
    if (!this.used) {
      this.used = true;
      this.lowest = idx;
      this.offset = idx - (this.counts.length >> 1);
    } else if (idx < this.lowest) this.lowest = idx;
    let pos = idx - this.offset;
    if (pos < 0 || pos >= this.counts.length) {
      this.grow(idx);
      pos = idx - this.offset;
    }
    this.counts[pos] = (this.counts[pos] ?? 0) + 1;
  }

  private grow(idx: number): void {
    const lo = Math.min(idx, this.offset);
    const hi = Math.max(idx, this.offset + this.counts.length - 1);
    const span = hi - lo + 1;
    let size = this.counts.length;
    while (size < span + 8) size *= 2;
    const next = new Uint32Array(size);
    // Keep some slack on the side that grew, so a drifting distribution does not copy each time.
    const newOffset = idx < this.offset ? lo - (size - span) : lo;
    next.set(this.counts, this.offset - newOffset);
    this.counts = next;
    this.offset = newOffset;
  }

  /** Value at quantile q ∈ [0, 1]; NaN when empty. */
  quantile(q: number): number {
    if (this.n === 0) return Number.NaN;
    const rank = Math.floor(Math.min(1, Math.max(0, q)) * (this.n - 1));
    if (rank < this.zeros) return 0;
    let seen = this.zeros;
    const counts = this.counts;
    for (let i = 0; i < counts.length; i++) {
      seen += counts[i] ?? 0;
      if (seen > rank) return representative(this.mapping.gamma, i + this.offset);
    }
    return MAX;
  }

  /** [Q1, Q3] (cached, see the file comment). NaN when empty. */
  quartiles(): readonly [number, number] {
    this.refreshQuartiles();
    return [this.q1, this.q3];
  }

  /** Q1 of `quartiles()`, without the pair (scoring reads both for every declaration). */
  firstQuartile(): number {
    this.refreshQuartiles();
    return this.q1;
  }

  /** Q3 of `quartiles()`. */
  thirdQuartile(): number {
    this.refreshQuartiles();
    return this.q3;
  }

  private refreshQuartiles(): void {
    if (this.cachedAt < 0 || this.n - this.cachedAt > this.cachedAt >> 6) {
      this.computeQuartiles();
      this.cachedAt = this.n;
    }
  }

  /** `quantile(0.25)` and `quantile(0.75)` in one scan, from the lowest occupied bucket. */
  private computeQuartiles(): void {
    if (this.n === 0) {
      this.q1 = Number.NaN;
      this.q3 = Number.NaN;
      return;
    }
    const r1 = Math.floor(0.25 * (this.n - 1));
    const r3 = Math.floor(0.75 * (this.n - 1));
    let q1 = r1 < this.zeros ? 0 : Number.NaN;
    let q3 = r3 < this.zeros ? 0 : Number.NaN;
    let seen = this.zeros;
    const counts = this.counts;
    const gamma = this.mapping.gamma;
    const from = this.used ? Math.max(0, this.lowest - this.offset) : counts.length;
    for (let i = from; i < counts.length && Number.isNaN(q3); i++) {
      seen += counts[i] ?? 0;
      if (Number.isNaN(q1) && seen > r1) q1 = representative(gamma, i + this.offset);
      if (seen > r3) q3 = representative(gamma, i + this.offset);
    }
    this.q1 = Number.isNaN(q1) ? MAX : q1;
    this.q3 = Number.isNaN(q3) ? MAX : q3;
  }

  toJSON(): LogHistogramJSON {
    let first = 0;
    let last = this.counts.length - 1;
    while (first <= last && this.counts[first] === 0) first++;
    while (last >= first && this.counts[last] === 0) last--;
    return {
      alpha: this.alpha,
      offset: this.offset + first,
      counts: Array.from(this.counts.subarray(first, last + 1)),
      zeros: this.zeros,
    };
  }

  static fromJSON(json: LogHistogramJSON): LogHistogram {
    const h = new LogHistogram(json.alpha);
    h.zeros = json.zeros;
    h.n = json.zeros;
    if (json.counts.length > 0) {
      let size = 16;
      while (size < json.counts.length + 8) size *= 2;
      h.counts = new Uint32Array(size);
      h.counts.set(json.counts, 0);
      h.offset = json.offset;
      h.used = true;
      // No occupied bucket: beyond the last one (a lower bound of none).
      h.lowest = json.offset + json.counts.length;
      json.counts.forEach((c, i) => {
        h.n += c;
        if (c > 0 && json.offset + i < h.lowest) h.lowest = json.offset + i;
      });
    }
    return h;
  }
}
