import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cropSlices } from '../../../core/eval/crop-slices.js';
import {
  evaluatePropagation,
  parseRegime,
  propagationSetup,
  regimeName,
  type RegionPropagation,
} from '../../../core/eval/evaluate-propagation.js';
import type { Model } from '../../../core/model/model.js';
import { extractSlice } from '../../../core/data/extract-slice.js';
import { randomModel, tinyHeldout } from './tiny-heldout.js';

describe('evaluatePropagation', () => {
  // A cylinder through k = 3..16 of 21 slices, labelled every 5th: 0, 5, 10, 15 and 20 (0 and 20 empty).
  const data = tinyHeldout([20, 20, 21], (i, j, k) => ((i - 9.5) ** 2 + (j - 9.5) ** 2 <= 25 && k >= 3 && k <= 16 ? 5 : 0), [
    { id: 5, name: 'Cylinder' },
  ]);
  let model: Model;
  let result: RegionPropagation;
  before(async () => {
    model = await randomModel(32);
    const r = await evaluatePropagation(model, data, data.regions[0]!, { axis: 2, regime: { kind: 'grid', step: 5 }, seed: 0 });
    assert.ok(!('skipped' in r));
    result = r;
  });
  after(() => model.release());

  it('scores only the unlabelled slices: nearest-slice copy gets exactly 22/23', () => {
    // Copies fill 3..17; the truth is 3..16. Unlabelled truth slices: 3, 4, 6-9, 11-14, 16 (11); copies add 17.
    assert.deepEqual(
      [result.labelledSlices, result.labelledWithRegion, result.range, result.extent.truth],
      [[0, 5, 10, 15, 20], 3, [0, 20], [3, 16]],
    );
    assert.ok([3, 4, 6, 7, 8, 9, 11, 12, 13, 14, 16, 17].every((s) => result.slices.includes(s)));
    assert.ok(result.slices.every((s) => s % 5 !== 0));
    assert.equal(result.dice.nearestSlice, 22 / 23);
    assert.ok(result.dice.contourInterpolation > 0.85, `contour interpolation ${result.dice.contourInterpolation}`);
    // A straight cylinder: the shape between two equal discs is that disc; only its ends shrink towards the empty slices.
    assert.ok(result.dice.shapeInterpolation > 0.85, `shape-based interpolation ${result.dice.shapeInterpolation}`);
    for (const m of ['universeg', 'network'] as const) assert.ok(result.dice[m] >= 0 && result.dice[m] <= 1);
    assert.ok(result.networkRuns > 0);
  });

  it('skips a region no labelled slice shows', async () => {
    const thin = tinyHeldout([8, 8, 12], (_i, _j, k) => (k === 3 ? 5 : 0), [{ id: 5, name: 'Sheet' }]);
    const r = await evaluatePropagation(model, thin, thin.regions[0]!, { axis: 2, regime: { kind: 'grid', step: 5 }, seed: 0 });
    assert.ok('skipped' in r && /no slice labelled as grid:5/.test(r.skipped));
  });

  it('labels a region from its first slice every k-th, or on a few slices across it, and counts what lands beyond it', async () => {
    const extent = await evaluatePropagation(model, data, data.regions[0]!, { axis: 2, regime: { kind: 'extent', step: 5 }, seed: 0 });
    const sparse = await evaluatePropagation(model, data, data.regions[0]!, { axis: 2, regime: { kind: 'sparse', count: 3 }, seed: 0 });
    assert.ok(!('skipped' in extent) && !('skipped' in sparse));
    // The cylinder runs through 3..16: 3, 8, 13; and the centres of three parts of 3..16: 5, 10, 14.
    assert.deepEqual(
      [extent.labelledSlices, extent.range, extent.extent.truth],
      [
        [3, 8, 13],
        [0, 20],
        [3, 16],
      ],
    );
    assert.deepEqual(sparse.labelledSlices, [5, 10, 14]);
    // Nearest-slice copy fills the whole volume: 7 of 21 slices lie outside 3..16, half as many voxels as inside.
    assert.equal(extent.beyond.nearestSlice, 7 / 14);
    assert.equal(extent.beyond.contourInterpolation, 0);
    // The shipped method ends the cylinder near its true ends.
    assert.ok(extent.beyond.shapeInterpolation < 0.25, `shape beyond ${extent.beyond.shapeInterpolation}`);
    assert.ok(extent.extent.predicted[0] >= 0 && extent.extent.predicted[1] <= 20);
  });
});

describe('labelling regimes', () => {
  it('read and write their names, a grid with the slice it starts from; bad names are refused', () => {
    for (const name of ['grid:20', 'grid:20@5', 'extent:10', 'sparse:3']) assert.equal(regimeName(parseRegime(name)), name);
    assert.deepEqual(parseRegime('grid:20@0'), { kind: 'grid', step: 20 });
    for (const bad of ['grid:20@20', 'extent:10@2', 'sparse:3@1', 'grid:1', 'grid:20@', 'every:3'])
      assert.throws(() => parseRegime(bad), /labelling regime/, bad);
  });

  it('a grid from slice O labels O, O + K, ... and propagates between the empty ones around the structure', () => {
    // A structure on slices 7..22 of 40.
    const truth = tinyHeldout([4, 4, 40], (_i, _j, k) => (k >= 7 && k <= 22 ? 1 : 0), [{ id: 1, name: 'Slab' }]).labels;
    assert.deepEqual(propagationSetup(truth, 2, parseRegime('grid:10')), {
      labelled: [0, 10, 20, 30],
      withRegion: 2,
      range: [0, 30],
      extent: [7, 22],
    });
    assert.deepEqual(propagationSetup(truth, 2, parseRegime('grid:10@5')), {
      labelled: [5, 15, 25, 35],
      withRegion: 1,
      range: [5, 25],
      extent: [7, 22],
    });
  });
});

describe('cropSlices', () => {
  it('keeps the chosen slices along any axis, moved to where they were', () => {
    const data = tinyHeldout([4, 5, 6], (i, j, k) => (i + 10 * j + 50 * k > 255 ? 255 : i + 10 * j + 50 * k), []);
    for (const axis of [0, 1, 2] as const) {
      const crop = cropSlices(data.labels, axis, 1, 2);
      assert.equal(crop.size[axis], 2);
      for (const s of [1, 2]) assert.deepEqual(extractSlice(crop, axis, s - 1).data, extractSlice(data.labels, axis, s).data);
      assert.equal(crop.origin[axis], 1);
    }
    assert.throws(() => cropSlices(data.labels, 2, 3, 6), /not a range/);
  });
});
