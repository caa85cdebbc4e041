import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { extractSlice } from '../../../core/data/extract-slice.js';
import { insertSlice } from '../../../core/data/insert-slice.js';
import type { LabelVolume, Volume } from '../../../core/data/volume.js';
import { estimateDice } from '../../../core/infer/dice-estimate.js';
import { leaveOneOut } from '../../../core/infer/leave-one-out.js';
import { normalisedSlice } from '../../../core/infer/model-input.js';
import { propagateVolume } from '../../../core/infer/propagate-volume.js';
import type { Model } from '../../../core/model/model.js';
import { randomModel64 } from './random-model.js';

const [W, H, D] = [40, 36, 31];
/** A cone along k: a disc of radius 12 at k = 0 shrinking by 0.3 a slice; the image shows it bright on dark. */
const inside = (i: number, j: number, k: number) => (i - 20) ** 2 + (j - 18) ** 2 <= (12 - 0.3 * k) ** 2;
function grid<T extends Float32Array | Uint8Array>(make: (n: number) => T, value: (i: number, j: number, k: number) => number) {
  const data = make(W * H * D);
  for (let k = 0; k < D; k++) for (let j = 0; j < H; j++) for (let i = 0; i < W; i++) data[i + W * (j + H * k)] = value(i, j, k);
  return {
    size: [W, H, D] as [number, number, number],
    spacing: [1, 1, 1] as [number, number, number],
    origin: [0, 0, 0] as [number, number, number],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] as [number, number, number, number, number, number, number, number, number],
    data,
  };
}

describe('leave-one-out', () => {
  let model: Model;
  const volume: Volume = {
    ...grid(
      (n) => new Float32Array(n),
      (i, j, k) => (inside(i, j, k) ? 200 : 20),
    ),
    modality: 'MR',
  } as Volume;
  const truth = grid(
    (n) => new Uint8Array(n),
    (i, j, k) => (inside(i, j, k) ? 3 : 0),
  ) as LabelVolume;
  const partialOn = (slices: number[]) => {
    const partial = { ...truth, data: new Uint8Array(truth.data.length) };
    for (const s of slices) insertSlice(partial, 2, s, extractSlice(truth, 2, s));
    return partial;
  };
  before(async () => (model = await randomModel64()));
  after(() => model.release());

  it('scores each weight on the interior examples, each predicted from the others', async () => {
    const labelled = [0, 6, 12, 18, 24, 30];
    const partial = partialOn(labelled);
    const labelSlices = new Map(labelled.map((s) => [s, extractSlice(partial, 2, s)]));
    const imageOf = (s: number) => normalisedSlice(extractSlice(volume, 2, s), model.config);
    const loo = await leaveOneOut({
      model,
      value: 3,
      examples: labelled,
      labelSlices,
      ends: [],
      imageOf,
      supportSize: 2,
      roi: true,
      weights: [0, 1, 0.4],
    });
    assert.deepEqual(loo!.heldOut, [6, 12, 18, 24]);
    // The cone's discs interpolate almost exactly; random weights do not segment.
    assert.ok(loo!.dice[0]! > 0.95, `shape alone ${loo!.dice[0]}`);
    for (const d of loo!.dice) assert.ok(d >= 0 && d <= 1);
    assert.equal(
      await leaveOneOut({ model, value: 3, examples: [0, 30], labelSlices, ends: [], imageOf, supportSize: 2, roi: true, weights: [0] }),
      undefined,
    );
  });

  it("reports each label's leave-one-out Dice, and an estimate where network and shape both ran", async () => {
    const labelled = [2, 9, 16, 23];
    const shape = await propagateVolume(model, volume, partialOn(labelled), { networkWeight: 0 });
    const [report] = shape.perLabel;
    assert.equal(report!.value, 3);
    assert.ok(report!.leaveOneOut!.asRun > 0.9, `leave-one-out ${report!.leaveOneOut!.asRun}`);
    assert.deepEqual(
      [report!.leaveOneOut!.networkAlone, report!.leaveOneOut!.shapeAlone, report!.agreement, report!.estimatedDice],
      [null, null, null, null],
    );
    const both = (await propagateVolume(model, volume, partialOn(labelled), { networkWeight: 0.4 })).perLabel[0]!;
    assert.ok(both.agreement! >= 0 && both.agreement! <= 1);
    assert.equal(both.estimatedDice, estimateDice(both.agreement));
    assert.equal(both.leaveOneOut!.shapeAlone, report!.leaveOneOut!.asRun);
    // Too few examples: no leave-one-out.
    const two = await propagateVolume(model, volume, partialOn([5, 20]), { networkWeight: 0 });
    assert.equal(two.perLabel[0]!.leaveOneOut, null);
    assert.equal(two.suggestedSlice?.index, 12);
  });

  it('turns agreement into an expected Dice on the line fitted on training regions', () => {
    assert.equal(estimateDice(null), null);
    assert.equal(estimateDice(1), 1);
    assert.equal(estimateDice(0.03), 0);
    assert.ok(Math.abs(estimateDice(0.8)! - (-0.038 + 1.05 * 0.8)) < 1e-12);
  });
});
