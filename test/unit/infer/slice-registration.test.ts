import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  composeFields,
  gaussianSmooth,
  registerSlices,
  sampleBilinear,
  warpImage,
  zeroField,
} from '../../../core/infer/slice-registration.js';
import { boxAround, SliceWarps } from '../../../core/infer/slice-warps.js';

const W = 64;
const H = 56;

/** A smooth bright blob (Gaussian profile) centred at cx, cy: an image with gradients everywhere near it. */
function blob(cx: number, cy: number, radius = 9): Float32Array {
  const out = new Float32Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) out[y * W + x] = 1 / (1 + Math.exp((Math.hypot(x - cx, y - cy) - radius) / 1.5));
  return out;
}

const rms = (a: Float32Array, b: Float32Array) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0) / a.length);

describe('registerSlices', () => {
  it('finds a shift of a pixel and a half and pulls the moving slice onto the fixed one', () => {
    const fixed = blob(30, 28);
    const moving = blob(31.5, 27);
    const field = registerSlices(fixed, moving, W, H);
    const after = rms(fixed, warpImage(moving, field));
    assert.ok(after < 0.25 * rms(fixed, moving), `rms ${rms(fixed, moving)} -> ${after}`);
    // On the blob's border, where the images say where it moved, the field is the shift.
    const border: number[] = [];
    for (let i = 0; i < W * H; i++) if (fixed[i]! > 0.2 && fixed[i]! < 0.8) border.push(i);
    const mean = (d: Float32Array) => border.reduce((s, i) => s + d[i]!, 0) / border.length;
    assert.ok(Math.abs(mean(field.dx) - 1.5) < 0.3, `dx ${mean(field.dx)}`);
    assert.ok(Math.abs(mean(field.dy) + 1) < 0.3, `dy ${mean(field.dy)}`);
  });

  it('leaves identical slices where they are', () => {
    const image = blob(30, 28);
    const field = registerSlices(image, image, W, H);
    assert.ok(field.dx.every((v) => Math.abs(v) < 1e-6) && field.dy.every((v) => Math.abs(v) < 1e-6));
  });
});

describe('gaussianSmooth', () => {
  /** The blur as a plain loop over each pixel's taps, edges clamped, with the kernel in float32. */
  function reference(data: Float32Array, width: number, height: number, sigma: number): Float32Array {
    const radius = Math.ceil(3 * sigma);
    const kernel = new Float32Array(2 * radius + 1);
    let sum = 0;
    for (let k = -radius; k <= radius; k++) sum += kernel[k + radius] = Math.exp(-(k * k) / (2 * sigma * sigma));
    for (let k = 0; k < kernel.length; k++) kernel[k]! /= sum;
    const rows = new Float32Array(data.length);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        let acc = 0;
        for (let k = -radius; k <= radius; k++) acc += kernel[k + radius]! * data[y * width + Math.min(Math.max(x + k, 0), width - 1)]!;
        rows[y * width + x] = acc;
      }
    const out = new Float32Array(data.length);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        let acc = 0;
        for (let k = -radius; k <= radius; k++) acc += kernel[k + radius]! * rows[Math.min(Math.max(y + k, 0), height - 1) * width + x]!;
        out[y * width + x] = acc;
      }
    return out;
  }

  it('gives the plain per-pixel loop bit for bit, at any size and sigma', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom(0.5, 1, 1.5, 2.3),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (width, height, sigma, seed) => {
          let state = seed;
          const data = Float32Array.from({ length: width * height }, () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 30 - 1);
          const expected = reference(data, width, height, sigma);
          gaussianSmooth(data, width, height, sigma);
          assert.deepEqual(data, expected);
        },
      ),
      { numRuns: 200, seed: 3 },
    );
  });
});

describe('composeFields', () => {
  it('adds constant shifts', () => {
    const [a, b] = [zeroField(W, H), zeroField(W, H)];
    a.dx.fill(1.25);
    b.dx.fill(-0.5);
    b.dy.fill(2);
    const c = composeFields(a, b);
    const inner = (i: number) => i % W < W - 3 && Math.floor(i / W) < H - 3;
    c.dx.forEach((v, i) => inner(i) && assert.ok(Math.abs(v - 0.75) < 1e-5));
    c.dy.forEach((v, i) => inner(i) && assert.ok(Math.abs(v - 2) < 1e-5));
  });

  it('is outer sampled bilinearly where inner points, plus inner, to the bit, out of the frame too', () => {
    const random = (scale: number) => Float32Array.from({ length: W * H }, (_, i) => scale * Math.sin(i * 12.9898 + scale));
    const inner = { dx: random(6), dy: random(-5), width: W, height: H };
    const outer = { dx: random(3), dy: random(2.5), width: W, height: H };
    const c = composeFields(inner, outer);
    for (let i = 0; i < W * H; i++) {
      const [x, y] = [(i % W) + inner.dx[i]!, Math.floor(i / W) + inner.dy[i]!];
      assert.equal(c.dx[i], Math.fround(inner.dx[i]! + sampleBilinear(outer.dx, W, H, x, y)));
      assert.equal(c.dy[i], Math.fround(inner.dy[i]! + sampleBilinear(outer.dy, W, H, x, y)));
    }
  });
});

describe('SliceWarps', () => {
  it('carries a painted disc along the image through a gap of slices, where copying it in place loses it', () => {
    // Slice s shows the blob at x = 20 + 2s: a structure sliding across the slices.
    const images = Array.from({ length: 8 }, (_, s) => blob(20 + 2 * s, 28));
    const label = Float32Array.from(images[0]!, (v) => (v > 0.5 ? 1 : -1));
    const box = boxAround(
      [Uint8Array.from(label, (v) => (v > 0 ? 1 : 0)), Uint8Array.from(images[7]!, (v) => (v > 0.5 ? 1 : 0))],
      W,
      H,
      6,
    )!;
    const crop = (image: Float32Array) => {
      const out = new Float32Array(box.width * box.height);
      for (let y = 0; y < box.height; y++)
        for (let x = 0; x < box.width; x++) out[y * box.width + x] = image[(box.y0 + y) * W + box.x0 + x]!;
      return out;
    };
    const warps = new SliceWarps((s) => crop(images[s]!), box);
    const dice = (a: Float32Array, b: Float32Array) => {
      let [both, sum] = [0, 0];
      a.forEach((v, i) => {
        const [p, q] = [v > 0, b[i]! > 0.5];
        both += p && q ? 1 : 0;
        sum += (p ? 1 : 0) + (q ? 1 : 0);
      });
      return (2 * both) / sum;
    };
    const carried = dice(warps.warp(label, W, 0, 7), images[7]!);
    const inPlace = dice(label, images[7]!);
    assert.ok(carried > 0.9, `carried ${carried}`);
    assert.ok(inPlace < 0.4, `in place ${inPlace}`);
    // Going the other way is its own chain.
    const back = Float32Array.from(images[7]!, (v) => (v > 0.5 ? 1 : -1));
    assert.ok(dice(warps.warp(back, W, 7, 0), images[0]!) > 0.9);
  });
});
