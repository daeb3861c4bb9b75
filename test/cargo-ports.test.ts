import { describe, expect, it } from 'vitest';
import { CALL_PORTS, DESTINATIONS, ORIGINS, ROUTINGS } from '../src/cargo/synthetic-data.ts';
import { portInfo } from '../web/src/cargo/ports.ts';

/**
 * The route map of the targeting queue places ports from the UI's own table; every port the demo
 * world's lanes use (loading, transshipment, calls, discharge) must be in it, or a demo route
 * would be drawn with a gap.
 */
describe('cargo route map and the demo world', () => {
  it('places every port of every demo lane', () => {
    const used = new Set<string>([
      ...ORIGINS.map((o) => o.port),
      ...Object.values(ROUTINGS).flatMap((r) => r.flatMap(([p]) => (p === null ? [] : [p]))),
      ...Object.values(CALL_PORTS).flat(),
      ...DESTINATIONS.map((d) => d.port),
    ]);
    expect(used.size).toBeGreaterThan(20);
    const missing = [...used].filter((p) => portInfo(p) === undefined);
    expect(missing).toEqual([]);
  });
});
