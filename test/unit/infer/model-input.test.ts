import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Slice } from '../../../core/data/extract-slice.js';
import { resizeNearest } from '../../../core/data/resize-nearest.js';
import { windowMask, windowsToSlice, windowToSlice } from '../../../core/infer/model-input.js';

describe('windowMask', () => {
  it("is the label's 0/1 map, cropped to the window (0 past the slice) and resized nearest, for any window", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 20 }),
        fc.option(
          fc.record({
            x0: fc.integer({ min: -10, max: 20 }),
            y0: fc.integer({ min: -10, max: 20 }),
            size: fc.integer({ min: 1, max: 24 }),
          }),
          {
            nil: undefined,
          },
        ),
        fc.integer({ min: 1, max: 16 }),
        fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
        (width, height, roi, size, value) => {
          const slice: Slice<Uint8Array> = { data: Uint8Array.from({ length: width * height }, (_, i) => (i * 7) % 4), width, height };
          const binary = slice.data.map((v) => (value === undefined ? (v ? 1 : 0) : v === value ? 1 : 0));
          const window = roi
            ? Uint8Array.from({ length: roi.size * roi.size }, (_, i) => {
                const [x, y] = [roi.x0 + (i % roi.size), roi.y0 + Math.floor(i / roi.size)];
                return x >= 0 && x < width && y >= 0 && y < height ? binary[y * width + x]! : 0;
              })
            : binary;
          const side = roi?.size;
          const expected = resizeNearest(window, side ?? width, side ?? height, size, size);
          assert.deepEqual([...windowMask(slice, roi, size, value)], [...expected]);
        },
      ),
    );
  });
});

describe('windowsToSlice', () => {
  it("is each window's map pasted back, the larger value where windows overlap", () => {
    const roi = fc.record({
      x0: fc.integer({ min: -5, max: 20 }),
      y0: fc.integer({ min: -5, max: 20 }),
      size: fc.integer({ min: 1, max: 16 }),
    });
    fc.assert(
      fc.property(fc.array(roi, { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 1000 }), (rois, seed) => {
        const size = 4;
        const maps = rois.map((_, k) => Float32Array.from({ length: size * size }, (_, i) => ((seed + 31 * k + 7 * i) % 13) / 13));
        const merged = windowsToSlice(maps, size, rois, 24, 18);
        const each = maps.map((m, k) => windowToSlice(m, size, rois[k], 24, 18));
        merged.forEach((v, i) => assert.equal(v, Math.max(...each.map((e) => e[i]!))));
      }),
    );
  });
});
