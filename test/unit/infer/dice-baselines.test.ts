import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractSlice } from '../../../core/data/extract-slice.js';
import { insertSlice } from '../../../core/data/insert-slice.js';
import type { Axis, LabelVolume } from '../../../core/data/volume.js';
import { contourInterpolation, nearestSliceCopy } from '../../../core/eval/baselines.js';
import { dice } from '../../../core/eval/dice.js';

/** A shape stacked along `axis`: slice s holds a disc of radius radius(s) (none when <= 0). */
function stackOfDiscs(n: number, depth: number, axis: Axis, radius: (s: number) => number, value = 1): LabelVolume {
  const size = [n, n, n] as [number, number, number];
  size[axis] = depth;
  const data = new Uint8Array(size[0] * size[1] * size[2]);
  const c = (n - 1) / 2;
  for (let k = 0; k < size[2]; k++)
    for (let j = 0; j < size[1]; j++)
      for (let i = 0; i < size[0]; i++) {
        const p = [i, j, k];
        const s = p[axis]!;
        const [u, v] = [0, 1, 2].filter((a) => a !== axis).map((a) => p[a]!);
        if ((u! - c) ** 2 + (v! - c) ** 2 <= radius(s) ** 2) data[(k * size[1] + j) * size[0] + i] = value;
      }
  return { data, size, spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], dimension: 3, source: 'synthetic' };
}

/** The map with only `slices` labelled, as a user would have painted them. */
function keepOnly(labels: LabelVolume, axis: Axis, slices: number[]): LabelVolume {
  const out = { ...labels, data: new Uint8Array(labels.data.length) };
  for (const s of slices) insertSlice(out, axis, s, extractSlice(labels, axis, s));
  return out;
}

describe('dice', () => {
  it('counts overlap twice against both sizes, per label or for any label', () => {
    assert.equal(dice([1, 1, 0, 0], [1, 0, 1, 0]), 0.5);
    assert.equal(dice([2, 2, 3, 0], [2, 3, 3, 3], 3), 2 / 4);
    assert.equal(dice([2, 2, 3, 0], [2, 3, 3, 3]), (2 * 3) / 7);
    assert.equal(dice([0, 0], [0, 0]), 1);
    assert.equal(dice([1, 0], [0, 1]), 0);
    assert.throws(() => dice([1], [1, 0]), /differ in size/);
  });
});

describe('baselines', () => {
  // A cylinder through slices 3..16 of 21, labelled at 0, 5, 10, 15, 20 (0 and 20 empty).
  const depth = 21;
  const labelled = [0, 5, 10, 15, 20];
  const cylinder = (axis: Axis) => stackOfDiscs(24, depth, axis, (s) => (s >= 3 && s <= 16 ? 6 : 0));

  it('nearest-slice copy: every slice takes its nearest labelled slice, the lower on ties (exact Dice 28/29)', () => {
    for (const axis of [0, 1, 2] as Axis[]) {
      const truth = cylinder(axis);
      const result = nearestSliceCopy(keepOnly(truth, axis, labelled), axis, labelled);
      // Slices 3..17 hold the disc (3 is nearer 5 than 0; 17 nearer 15 than 20); 1..2 and 18..19 do not.
      for (let s = 0; s < depth; s++) {
        const has = extractSlice(result, axis, s).data.some((v) => v !== 0);
        assert.equal(has, s >= 3 && s <= 17, `axis ${axis} slice ${s}`);
      }
      assert.equal(dice(result.data, truth.data), 28 / 29);
    }
    // Equidistant: slice 5 between labelled 0 and 10 copies 0.
    const twoSlices = stackOfDiscs(12, 11, 2, (s) => (s === 10 ? 4 : s === 0 ? 2 : 0));
    const copy = nearestSliceCopy(twoSlices, 2, [0, 10]);
    assert.deepEqual(extractSlice(copy, 2, 5).data, extractSlice(twoSlices, 2, 0).data);
  });

  it('contour interpolation reproduces a shape that does not change between labelled slices, on every axis', async () => {
    for (const axis of [0, 1, 2] as Axis[]) {
      const truth = stackOfDiscs(24, depth, axis, () => 6, 7);
      const result = await contourInterpolation(keepOnly(truth, axis, labelled), axis, labelled);
      assert.deepEqual(result.data, truth.data, `axis ${axis}`);
    }
  });

  it('contour interpolation follows a cone between its labelled slices better than copying, and keeps them as given', async () => {
    const cone = stackOfDiscs(32, depth, 2, (s) => 2 + 0.6 * s, 3);
    const partial = keepOnly(cone, 2, labelled);
    const [mci, nearest] = [await contourInterpolation(partial, 2, labelled), nearestSliceCopy(partial, 2, labelled)];
    for (const s of labelled) assert.deepEqual(extractSlice(mci, 2, s).data, extractSlice(cone, 2, s).data);
    const [dMci, dNearest] = [dice(mci.data, cone.data, 3), dice(nearest.data, cone.data, 3)];
    assert.ok(dNearest < 0.94, `nearest ${dNearest}`);
    assert.ok(dMci > 0.95 && dMci > dNearest + 0.02, `mci ${dMci} vs nearest ${dNearest}`);
  });

  it('refuses slices outside the volume', () => {
    assert.throws(() => nearestSliceCopy(cylinder(2), 2, [0, 21]), /outside 0\.\.20/);
    assert.throws(() => nearestSliceCopy(cylinder(2), 2, []), /at least one/);
  });
});
