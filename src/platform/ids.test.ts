import { describe, expect, it } from 'vitest';
import { isUuid, newSortableId } from './ids.ts';

describe('newSortableId', () => {
  it('makes version-7 UUIDs that carry the time and sort in the order they were made', () => {
    const at = Date.parse('2026-12-06T10:00:00.123Z');
    const ids = [
      ...Array.from({ length: 50_000 }, () => newSortableId(at)), // one millisecond, many ids
      ...Array.from({ length: 1_000 }, (_, i) => newSortableId(at + i)),
      ...Array.from({ length: 100 }, () => newSortableId(at - 60_000)), // the clock went back
    ];
    for (const id of ids.slice(0, 10)) {
      expect(isUuid(id)).toBe(true);
      expect(id[14]).toBe('7');
      expect('89ab').toContain(id[19]);
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    const first = ids[0] as string;
    expect(Number.parseInt(first.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });
});
