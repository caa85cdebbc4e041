import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { propagationPicks } from '../../../core/train/propagation-picks.js';
import { Random } from '../../../core/util/random.js';

describe('propagation-like support picks', () => {
  it('gives a query and the n nearest slices of a labelling grid that misses it, as propagation would', () => {
    const slices = Array.from({ length: 90 }, (_, i) => i + 30);
    const rng = new Random(7);
    const spacings = new Set<number>();
    for (let trial = 0; trial < 300; trial++) {
      const picks = propagationPicks(rng, slices, 8)!;
      assert.equal(picks.length, 9);
      const [query, ...support] = picks as [number, ...number[]];
      assert.ok(slices.includes(query));
      const distinct = [...new Set(support)].sort((a, b) => a - b);
      assert.ok(!distinct.includes(query), `query ${query} is also support`);
      assert.ok(distinct.every((s) => slices.includes(s)));
      // One spacing between all grid slices, at least 2.
      const gaps = new Set(distinct.slice(1).map((s, i) => s - distinct[i]!));
      assert.ok(gaps.size <= 1, `support ${distinct} is not on one grid`);
      const spacing = [...gaps][0];
      if (spacing !== undefined) {
        assert.ok(spacing >= 2 && spacing <= 20);
        spacings.add(spacing);
        // The nearest grid slices: every one nearer than the farthest taken is taken, and 8 when the grid has 8.
        const farthest = Math.max(...distinct.map((s) => Math.abs(s - query)));
        const grid = slices.filter((s) => (s - distinct[0]!) % spacing === 0);
        assert.ok(grid.filter((s) => Math.abs(s - query) < farthest).every((s) => distinct.includes(s)));
        assert.equal(distinct.length, Math.min(8, grid.length));
      }
    }
    assert.ok(spacings.size > 10, `only spacings ${[...spacings]} were drawn`);
  });
});
