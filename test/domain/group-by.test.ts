import { describe, expect, it } from 'vitest';
import { groupBy } from '../../src/domain/group-by.js';

describe('groupBy', () => {
  it('groups by key, keeping first-seen key order and item order within a group', () => {
    const rows = [
      { incidentId: 'b', n: 1 },
      { incidentId: 'a', n: 2 },
      { incidentId: 'b', n: 3 },
    ];
    expect([...groupBy(rows, (r) => r.incidentId)]).toEqual([
      ['b', [rows[0], rows[2]]],
      ['a', [rows[1]]],
    ]);
  });

  it('gives an empty map for no items', () => {
    expect(groupBy([], (x: number) => x).size).toBe(0);
  });
});
