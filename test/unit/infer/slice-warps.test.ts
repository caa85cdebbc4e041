import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { extractSlice } from '../../../core/data/extract-slice.js';
import { readLabelVolume } from '../../../core/data/read-label-volume.js';
import { readVolume } from '../../../core/data/read-volume.js';
import type { LabelVolume } from '../../../core/data/volume.js';
import { windowMask } from '../../../core/infer/model-input.js';
import { alignedMaskWindow, SliceWarps } from '../../../core/infer/slice-warps.js';
import { carriedExample } from './carried-example.js';

const SAMPLE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'assets', 'sample', 'volume');
const LABELLED = [30, 38];

describe('alignedMaskWindow', () => {
  let labels: LabelVolume;
  let warps: SliceWarps;

  before(async () => {
    const volume = await readVolume(path.join(SAMPLE, 't1.nii.gz'));
    labels = await readLabelVolume(path.join(SAMPLE, 'labels-full.nii.gz'));
    // A box that cuts through both labels: part of each is carried along the field, part stays where it is.
    const box = { x0: 16, y0: 32, width: 24, height: 32 };
    warps = new SliceWarps((s) => {
      const { data, width } = extractSlice(volume, 2, s);
      return Float32Array.from(
        { length: box.width * box.height },
        (_, i) => data[(box.y0 + Math.floor(i / box.width)) * width + box.x0 + (i % box.width)]! / 255,
      );
    }, box);
  });

  it("equals the window of the whole carried mask, for any window, inside, across or outside the slice's edges", () => {
    const { width, height } = extractSlice(labels, 2, LABELLED[0]!);
    const roi = fc.record({
      x0: fc.integer({ min: -40, max: width }),
      y0: fc.integer({ min: -40, max: height }),
      size: fc.integer({ min: 8, max: Math.max(width, height) }),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...LABELLED),
        fc.integer({ min: 31, max: 37 }),
        fc.option(roi, { nil: undefined }),
        fc.constantFrom(16, 64),
        fc.constantFrom(17, 29),
        (from, to, window, size, value) => {
          const painted = extractSlice(labels, 2, from);
          const whole = carriedExample(warps, { ...painted, data: new Float32Array(painted.data) }, painted, value, from, to).mask;
          assert.deepEqual([...alignedMaskWindow(warps, painted, value, from, to, window, size)], [...windowMask(whole, window, size, 1)]);
        },
      ),
      { numRuns: 60 },
    );
  });
});
