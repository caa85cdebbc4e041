import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nearestSupportExample, supportMeanPrior } from '../../../core/eval/in-context-baselines.js';

describe('support-mean prior', () => {
  // Four 1x6 support labels in one pool.
  const pool = Float32Array.from(
    [
      [1, 1, 1, 0, 0, 0],
      [1, 1, 0, 1, 0, 0],
      [1, 0, 0, 1, 1, 0],
      [0, 0, 0, 0, 0, 1],
    ].flat(),
  );

  it('is the pixel-wise mean of the support labels above 0.5', () => {
    // Examples 0..2: means 1, 2/3, 1/3, 2/3, 1/3, 0.
    assert.deepEqual([...supportMeanPrior(pool, 6, [[0, 1, 2]])], [1, 1, 0, 1, 0, 0]);
    // Exactly 0.5 is not foreground (the network's mask is p > 0.5 too).
    assert.deepEqual([...supportMeanPrior(pool, 6, [[0, 1]])], [1, 1, 0, 0, 0, 0]);
    assert.deepEqual([...supportMeanPrior(pool, 6, [[3]])], [0, 0, 0, 0, 0, 1]);
  });

  it('averages ensemble members as the network averages their probabilities', () => {
    // Member means: [0,1]: 1, 1, .5, .5, 0, 0; [2,3]: .5, 0, 0, .5, .5, .5 -> 0.75, 0.5, 0.25, 0.5, 0.25, 0.25.
    assert.deepEqual(
      [
        ...supportMeanPrior(pool, 6, [
          [0, 1],
          [2, 3],
        ]),
      ],
      [1, 0, 0, 0, 0, 0],
    );
  });

  it('refuses an empty support set or an index outside the pool', () => {
    assert.throws(() => supportMeanPrior(pool, 6, []), /at least one support example/);
    assert.throws(() => supportMeanPrior(pool, 6, [[4]]), /outside the pool/);
  });
});

describe('nearest support example', () => {
  const poolSlices = [10, 20, 30, 40];
  it('picks the drawn example whose slice is nearest the query, the lower slice on ties', () => {
    assert.equal(nearestSupportExample(24, poolSlices, [[0, 1, 2, 3]]), 1);
    assert.equal(nearestSupportExample(25, poolSlices, [[2, 1]]), 1);
    // Only what was drawn counts: slice 20 is nearest but was not in the support set.
    assert.equal(nearestSupportExample(21, poolSlices, [[0, 3], [2]]), 2);
  });
});
