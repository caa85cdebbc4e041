import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Slice } from '../../../core/data/extract-slice.js';
import { ShapePrior } from '../../../core/infer/shape-prior.js';
import { signedDistance } from '../../../core/infer/signed-distance.js';

const W = 80;
const H = 70;

function disc(radius: number, value = 1, cx = 40, cy = 35): Slice<Uint8Array> {
  const data = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2) data[y * W + x] = value;
  return { data, width: W, height: H };
}

const area = (p: Float32Array) => p.reduce((a, v) => a + (v > 0.5 ? 1 : 0), 0);

describe('signedDistance', () => {
  it('is the exact Euclidean distance to the other side of the border, positive inside', () => {
    let seed = 3;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const density of [0.02, 0.2, 0.6]) {
      const w = 31,
        h = 23;
      const mask = Uint8Array.from({ length: w * h }, () => (random() < density ? 1 : 0));
      const distance = signedDistance(mask, w, h)!;
      for (let i = 0; i < w * h; i++) {
        let nearest = Infinity;
        for (let j = 0; j < w * h; j++)
          if (mask[j] !== mask[i]) nearest = Math.min(nearest, Math.hypot((i % w) - (j % w), Math.floor(i / w) - Math.floor(j / w)));
        assert.ok(Math.abs(Math.abs(distance[i]!) - nearest) < 1e-5, `pixel ${i}: ${distance[i]} against ${nearest}`);
        assert.equal(distance[i]! > 0, mask[i] === 1);
      }
    }
  });

  it('is undefined for an empty mask, which has no border', () => {
    assert.equal(signedDistance(new Uint8Array(12), 4, 3), undefined);
  });
});

describe('ShapePrior', () => {
  it('interpolates a shape between the labelled slices on either side, by nearness', () => {
    const prior = new ShapePrior(
      new Map([
        [0, disc(10, 4)],
        [10, disc(20, 4)],
        [30, disc(20, 4, 20, 20)],
      ]),
    );
    assert.deepEqual(prior.sides(5), [0, 10]);
    assert.deepEqual(prior.sides(40), [30]);
    // Halfway between radius 10 and 20: about radius 15.
    assert.ok(Math.abs(area(prior.probability(5, 4)) - Math.PI * 15 ** 2) < 40);
    assert.ok(Math.abs(area(prior.probability(2, 4)) - Math.PI * 12 ** 2) < 40);
    // Past the last labelled slice: its shape, in its place.
    const beyond = prior.probability(40, 4);
    assert.equal(
      area(beyond),
      disc(20, 1, 20, 20).data.reduce((a, v) => a + v, 0),
    );
    assert.ok(beyond[20 * W + 20]! > 0.99 && beyond[35 * W + 70]! < 0.01);
    // A label on neither side is nowhere.
    assert.equal(area(prior.probability(5, 9)), 0);
  });

  it('is less certain of a border the farther it is carried from the labelled slices', () => {
    const prior = new ShapePrior(
      new Map([
        [0, disc(10)],
        [20, disc(10)],
      ]),
    );
    // Two pixels outside the disc (x = 52, y = 35), one slice from a labelled one and ten slices from both.
    const near = prior.probability(1, 1)[35 * W + 52]!;
    const far = prior.probability(10, 1)[35 * W + 52]!;
    assert.ok(near < 0.15 && far > 0.3 && far < 0.5, `near ${near}, far ${far}`);
    assert.equal(area(prior.probability(1, 1)), area(prior.probability(10, 1)));
  });

  it('shrinks a shape to nothing halfway towards a labelled slice without it', () => {
    const prior = new ShapePrior(
      new Map([
        [0, disc(10)],
        [10, disc(0.1, 0)],
      ]),
    );
    const sizes = [1, 2, 3, 4, 6].map((s) => area(prior.probability(s, 1)));
    assert.ok(
      sizes.every((a, i) => i === 0 || a < sizes[i - 1]!),
      `areas ${sizes} do not shrink`,
    );
    assert.ok(sizes[0]! > 0.5 * Math.PI * 100);
    assert.equal(sizes.at(-1), 0);
  });
});
