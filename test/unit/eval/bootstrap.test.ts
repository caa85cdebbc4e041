import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bootstrap, bootstrapMean, bootstrapMeanVolumeDice, bootstrapMeanVolumeDiceDifference } from '../../../core/eval/bootstrap.js';
import { diceOf, overlap } from '../../../core/eval/dice.js';

describe('bootstrap', () => {
  // 0.00, 0.01, ..., 0.99: mean 0.495, population std 0.28866; the standard error of a mean of 100 is std / 10.
  const values = Array.from({ length: 100 }, (_, i) => i / 100);

  it('reports the sample mean and, as std, about the standard error of the mean', () => {
    const e = bootstrapMean(values, { seed: 1 });
    assert.ok(Math.abs(e.mean - 0.495) < 1e-12, `mean ${e.mean}`);
    assert.equal(e.n, 100);
    const standardError = Math.sqrt(values.reduce((s, v) => s + (v - 0.495) ** 2, 0) / 100) / 10;
    assert.ok(Math.abs(e.std - standardError) < 0.15 * standardError, `std ${e.std} vs ${standardError}`);
  });

  it('is seeded: the same seed gives the same std, another seed a slightly different one', () => {
    const a = bootstrapMean(values, { seed: 7 });
    assert.deepEqual(bootstrapMean(values, { seed: 7 }), a);
    const b = bootstrapMean(values, { seed: 8 });
    assert.notEqual(b.std, a.std);
    assert.ok(Math.abs(b.std - a.std) < 0.1 * a.std);
  });

  it('has no spread on constant data and more on fewer units', () => {
    assert.equal(bootstrapMean([0.7, 0.7, 0.7, 0.7]).std, 0);
    const small = bootstrapMean(
      values.filter((_, i) => i % 10 === 0),
      { seed: 1 },
    );
    assert.ok(small.std > 2 * bootstrapMean(values, { seed: 1 }).std);
  });

  it('resamples within each stratum: a statistic of one stratum ignores the others', () => {
    const e = bootstrap([3, 5], (picks) => picks[0]!.length * 10 + picks[1]!.length, { resamples: 50 });
    assert.deepEqual([e.mean, e.std, e.n], [35, 0, 8]);
  });

  it('refuses empty samples and too few resamples', () => {
    assert.throws(() => bootstrapMean([]), /at least one unit/);
    assert.throws(() => bootstrapMean([1], { resamples: 1 }), /at least 2 resamples/);
  });
});

describe('volume Dice over slices', () => {
  it('is the ratio of summed counts per region, then the mean over regions', () => {
    const a = [overlap([1, 1, 0], [1, 0, 0]), overlap([1, 1, 1], [1, 1, 1])]; // 2·(1 + 3) / (3 + 6) = 8/9
    const b = [overlap([0, 0], [1, 1]), overlap([1, 1], [1, 1])]; // 2·(0 + 2) / (2 + 4) = 2/3
    assert.equal(diceOf(a[0]!), 2 / 3);
    const e = bootstrapMeanVolumeDice([a, b], { seed: 3 });
    assert.ok(Math.abs(e.mean - (8 / 9 + 2 / 3) / 2) < 1e-12);
    assert.ok(e.std > 0 && e.std < 0.3, `std ${e.std}`);
    assert.equal(e.n, 4);
  });

  it('a paired difference of a method with itself is exactly zero', () => {
    const a = [overlap([1, 1, 0], [1, 0, 0]), overlap([1, 0, 1], [1, 1, 1]), overlap([0, 0, 1], [0, 1, 1])];
    const d = bootstrapMeanVolumeDiceDifference([a], [a]);
    assert.deepEqual([d.mean, d.std], [0, 0]);
    assert.throws(() => bootstrapMeanVolumeDiceDifference([a], [a.slice(1)]), /same slices/);
  });
});
