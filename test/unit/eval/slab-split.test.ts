import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { slabSplit } from '../../../core/eval/slab-split.js';

function minDistance(a: number[], b: number[]): number {
  return Math.min(...a.flatMap((x) => b.map((y) => Math.abs(x - y))));
}

describe('slab split', () => {
  it('alternates support and query slabs with a gap: no slice in both, none nearer than gap + 1', () => {
    const slices = Array.from({ length: 57 }, (_, i) => 30 + i);
    for (const [width, gap] of [
      [8, 2],
      [3, 0],
      [5, 4],
      [1, 1],
    ] as const) {
      const { support, query } = slabSplit(slices, { width, gap });
      assert.equal(support.filter((s) => query.includes(s)).length, 0);
      assert.ok(minDistance(support, query) >= gap + 1, `width ${width} gap ${gap}`);
      assert.ok([...support, ...query].every((s) => slices.includes(s)));
      // Every slice is support, query or in a gap: with a period of 2 (width + gap), 2·width of them are used.
      const period = 2 * (width + gap);
      const used = slices.filter(
        (s) => (s - 30) % period < width || ((s - 30) % period >= width + gap && (s - 30) % period < 2 * width + gap),
      ).length;
      assert.equal(support.length + query.length, used);
    }
  });

  it('lays out the default slabs from the first slice: 8 support, 2 skipped, 8 query, 2 skipped', () => {
    const { support, query } = slabSplit(Array.from({ length: 30 }, (_, i) => 100 + i));
    assert.deepEqual(support, [100, 101, 102, 103, 104, 105, 106, 107, 120, 121, 122, 123, 124, 125, 126, 127]);
    assert.deepEqual(query, [110, 111, 112, 113, 114, 115, 116, 117]);
  });

  it('splits by slice position, not by rank, when a structure skips slices', () => {
    const { support, query } = slabSplit([5, 0, 1, 12, 2, 11, 1], { width: 3, gap: 2 });
    assert.deepEqual(support, [0, 1, 2, 11, 12]);
    assert.deepEqual(query, [5]);
    assert.deepEqual(slabSplit([]), { support: [], query: [] });
    assert.throws(() => slabSplit([1], { width: 0 }), /width/);
  });
});
