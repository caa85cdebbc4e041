import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readLabelVolume } from '../../../core/data/read-label-volume.js';
import { readVolume } from '../../../core/data/read-volume.js';
import type { Volume } from '../../../core/data/volume.js';
import { networkProbabilities, type RegisteredAtlas } from '../../../core/infer/atlas-segmentation.js';
import type { Model } from '../../../core/model/model.js';
import { randomModel64, windowedAtOwnSize } from './random-model.js';

const SAMPLE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'assets', 'sample', 'volume');

describe('segmentation with support volumes', () => {
  let model: Model;
  let wide: Model;
  let query: Volume;
  let atlas: RegisteredAtlas;

  before(async () => {
    model = await randomModel64();
    wide = windowedAtOwnSize(model);
    // Six axial slices of the sample, its full labels standing in for a registered atlas.
    const [volume, labels] = [
      await readVolume(path.join(SAMPLE, 't1.nii.gz')),
      await readLabelVolume(path.join(SAMPLE, 'labels-full.nii.gz')),
    ];
    const plane = volume.size[0] * volume.size[1];
    const [from, to] = [30, 36];
    query = { ...volume, data: volume.data.slice(from * plane, to * plane), size: [volume.size[0], volume.size[1], to - from] };
    const slab = labels.data.subarray(from * plane, to * plane);
    const probabilities = new Map([17, 29].map((v) => [v, Float32Array.from(slab, (x) => (x === v ? 1 : 0))]));
    atlas = { image: query, probabilities, milliseconds: 0 };
  });
  after(async () => {
    await model.release();
    await wide.release();
  });

  it("runs the network at the file's window size, not at the size it takes whole images at", async () => {
    const settings = { offsets: [-1, 0, 1], supportSize: 3, minPrior: 0.5 };
    const own = await networkProbabilities(model, query, [atlas], atlas.probabilities, { settings });
    const windowed = await networkProbabilities(wide, query, [atlas], atlas.probabilities, { settings });
    for (const [value, p] of own) {
      assert.ok(
        p.some((x, i) => x !== atlas.probabilities.get(value)![i]),
        `the network ran for label ${value}`,
      );
      assert.deepEqual(windowed.get(value), p, `label ${value}`);
    }
  });
});
