import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  extractSlice,
  insertSlice,
  normaliseIntensity,
  resizeBilinear,
  resizeNearest,
  toModelInput,
  type LabelVolume,
} from '../../../core/data/index.js';

// A 4x3x2 grid whose value encodes its index: v = 100k + 10j + i.
const size: [number, number, number] = [4, 3, 2];
const coded = new Float32Array(24).map((_, p) => (p % 4) + 10 * (Math.floor(p / 4) % 3) + 100 * Math.floor(p / 12));
const grid = { data: coded, size };

describe('extractSlice / insertSlice', () => {
  it('lays out each axis with the lower remaining axis as columns', () => {
    const z = extractSlice(grid, 2, 1);
    assert.deepEqual([z.width, z.height], [4, 3]);
    assert.deepEqual(Array.from(z.data), [100, 101, 102, 103, 110, 111, 112, 113, 120, 121, 122, 123]);
    const y = extractSlice(grid, 1, 2);
    assert.deepEqual([y.width, y.height], [4, 2]);
    assert.deepEqual(Array.from(y.data), [20, 21, 22, 23, 120, 121, 122, 123]);
    const x = extractSlice(grid, 0, 3);
    assert.deepEqual([x.width, x.height], [3, 2]);
    assert.deepEqual(Array.from(x.data), [3, 13, 23, 103, 113, 123]);
  });

  it('keeps the array type (label maps stay Uint8Array)', () => {
    const slice = extractSlice({ data: new Uint8Array(24).fill(7), size }, 0, 0);
    assert.ok(slice.data instanceof Uint8Array);
  });

  it('insertSlice is the inverse of extractSlice along every axis', () => {
    for (const axis of [0, 1, 2] as const) {
      const labels: LabelVolume = {
        data: new Uint8Array(24),
        size,
        spacing: [1, 1, 1],
        origin: [0, 0, 0],
        direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
        dimension: 3,
        source: 'memory',
      };
      const source = { data: Uint8Array.from(coded, (v) => v % 251), size };
      for (let index = 0; index < size[axis]; index++) insertSlice(labels, axis, index, extractSlice(source, axis, index));
      assert.deepEqual(labels.data, source.data, `axis ${axis}`);
    }
  });

  it('refuses slices out of range or of the wrong shape', () => {
    assert.throws(() => extractSlice(grid, 2, 2), /outside 0\.\.1/);
    const labels = {
      data: new Uint8Array(24),
      size,
      spacing: [1, 1, 1],
      origin: [0, 0, 0],
      direction: [],
      dimension: 3,
      source: '',
    } as LabelVolume;
    assert.throws(() => insertSlice(labels, 2, 0, { data: new Uint8Array(12), width: 3, height: 4 }), /needs 4x3/);
  });
});

describe('resizeBilinear (align_corners=false)', () => {
  it('matches torch.nn.functional.interpolate when upsampling 2x2 to 4x4', () => {
    const out = resizeBilinear(new Float32Array([1, 2, 3, 4]), 2, 2, 4, 4);
    assert.deepEqual(Array.from(out), [1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4]);
  });

  it('averages pixel pairs when halving (sample points fall between source centres)', () => {
    const src = new Float32Array(16).map((_, i) => i);
    assert.deepEqual(Array.from(resizeBilinear(src, 4, 4, 2, 2)), [2.5, 4.5, 10.5, 12.5]);
  });

  it('is the identity at the same size and handles non-square targets', () => {
    const src = new Float32Array(12).map((_, i) => i * i);
    assert.deepEqual(resizeBilinear(src, 4, 3, 4, 3), src);
    const wide = resizeBilinear(new Float32Array([0, 10]), 2, 1, 4, 1);
    assert.deepEqual(Array.from(wide), [0, 2.5, 7.5, 10]);
  });
});

describe('resizeNearest', () => {
  it('keeps only existing label values and aligns pixel centres', () => {
    const src = new Uint8Array([1, 2, 3, 4]);
    assert.deepEqual(Array.from(resizeNearest(src, 2, 2, 4, 4)), [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
    // 3 -> 2 samples at source coordinates 0.75 and 2.25: pixels 0 and 2 (legacy 'nearest' would take 0 and 1).
    assert.deepEqual(Array.from(resizeNearest(new Uint8Array([5, 6, 7]), 3, 1, 2, 1)), [5, 7]);
  });
});

describe('normaliseIntensity', () => {
  it('minmax maps min..max onto 0..1', () => {
    const out = normaliseIntensity(new Float32Array([-10, 0, 10, 30]), 'minmax');
    assert.deepEqual(Array.from(out), [0, 0.25, 0.5, 1]);
  });

  it('percentile clips outliers to the 0.5..99.5 percentile window', () => {
    const data = new Float32Array(1000).map((_, i) => i); // 0..999
    data[999] = 1e6; // one hot pixel
    const out = normaliseIntensity(data);
    // numpy: percentile(0.5) = 4.995, percentile(99.5) = 994.005 (with the outlier as the max)
    const lo = 4.995,
      hi = 994.005;
    assert.ok(Math.abs(out[500] - (500 - lo) / (hi - lo)) < 1e-5);
    assert.equal(out[0], 0);
    assert.equal(out[999], 1);
    const minmax = normaliseIntensity(data, 'minmax');
    assert.ok(minmax[500] < 0.001, 'min-max is dominated by the outlier');
  });

  it('gives zeros, not NaN, for constant images; NaN voxels become 0', () => {
    for (const mode of ['minmax', 'percentile'] as const) {
      assert.deepEqual(Array.from(normaliseIntensity(new Float32Array(50).fill(3), mode)), new Array(50).fill(0));
    }
    const out = normaliseIntensity(new Float32Array([NaN, 0, 1, 2]), 'minmax');
    assert.deepEqual(Array.from(out), [0, 0, 0.5, 1]);
  });

  it('falls back to min..max when the percentiles coincide (small bright object on zeros)', () => {
    const data = new Float32Array(10000);
    data[5] = 50;
    const out = normaliseIntensity(data);
    assert.equal(out[5], 1);
    assert.equal(out[0], 0);
  });
});

describe('toModelInput', () => {
  it('returns size*size values in [0, 1] from any slice shape', () => {
    const slice = { data: new Float32Array(217 * 181).map((_, i) => Math.sin(i) * 100 + 300), width: 181, height: 217 };
    const input = toModelInput(slice, 128);
    assert.equal(input.length, 128 * 128);
    let lo = Infinity,
      hi = -Infinity;
    for (const v of input) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    assert.ok(lo >= 0 && hi <= 1 && hi - lo > 0.5, `range ${lo}..${hi}`);
  });

  it('is fast enough to prepare a 256x256 slice in well under 10 ms', () => {
    const slice = { data: new Float32Array(256 * 256).map((_, i) => (i * 7919) % 1000), width: 256, height: 256 };
    toModelInput(slice);
    const t = performance.now();
    for (let i = 0; i < 20; i++) toModelInput(slice);
    assert.ok((performance.now() - t) / 20 < 10);
  });
});
