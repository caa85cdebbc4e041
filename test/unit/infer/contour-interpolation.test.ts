import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { morphologicalContourInterpolationNode } from '@itk-wasm/morphological-contour-interpolation';
import type { Image } from 'itk-wasm';
import type { Slice } from '../../../core/data/extract-slice.js';
import { interpolateContours } from '../../../core/infer/contour-interpolation.js';

const W = 48;
const H = 40;

/** An ellipse of `value` at (cx, cy) with radii rx, ry on an otherwise empty slice. */
function ellipse(cx: number, cy: number, rx: number, ry: number, value = 1): Slice<Uint8Array> {
  const data = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1) data[y * W + x] = value;
  return { data, width: W, height: H };
}

/** The package's own Node wrapper on the same slab: a fresh wasm module per call. */
async function reference(slices: Map<number, Slice<Uint8Array>>, value: number, first: number, last: number): Promise<Uint8Array> {
  const count = last - first + 1;
  const data = new Uint8Array(W * H * count);
  const labelled: number[] = [];
  for (const [s, slice] of slices) {
    labelled.push(s - first);
    slice.data.forEach((v, i) => (data[(s - first) * W * H + i] = v === value ? 1 : 0));
  }
  const image: Image = {
    imageType: { dimension: 3, componentType: 'uint8', pixelType: 'Scalar', components: 1 },
    name: 'labels',
    origin: [0, 0, 0],
    spacing: [1, 1, 1],
    direction: new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]),
    size: [W, H, count],
    metadata: new Map(),
    data,
  };
  const { outputImage } = await morphologicalContourInterpolationNode(image, {
    axis: 2,
    label: 1,
    useCustomSlicePositions: true,
    labeledSliceIndicesAxis: 2,
    labeledSliceIndicesLabel: 1,
    labeledSliceIndices: labelled.sort((a, b) => a - b),
  });
  return outputImage.data as Uint8Array;
}

describe('interpolateContours', () => {
  it('gives what the package’s own wrapper gives, call after call on one kept module', async () => {
    const cases = [
      {
        slices: new Map([
          [0, ellipse(12, 12, 6, 5)],
          [9, ellipse(30, 26, 10, 8)],
        ]),
        first: 0,
        last: 9,
      },
      {
        slices: new Map([
          [2, ellipse(20, 20, 12, 4, 3)],
          [5, ellipse(22, 18, 4, 12, 3)],
          [11, ellipse(24, 20, 8, 8, 3)],
        ]),
        first: 2,
        last: 11,
        value: 3,
      },
      // A small structure in a corner: the pipeline runs on its bounding box only, and must give the same masks.
      {
        slices: new Map([
          [0, ellipse(8, 9, 3, 4)],
          [4, ellipse(11, 10, 4, 3)],
        ]),
        first: 0,
        last: 4,
      },
      // An empty labelled slice closes the structure towards it.
      {
        slices: new Map([
          [0, ellipse(24, 20, 10, 10)],
          [6, { data: new Uint8Array(W * H), width: W, height: H }],
        ]),
        first: 0,
        last: 6,
      },
    ];
    for (let round = 0; round < 3; round++) {
      for (const { slices, first, last, value = 1 } of cases) {
        const masks = await interpolateContours((s) => slices.get(s), value, first, last, { width: W, height: H });
        const expected = await reference(slices, value, first, last);
        assert.equal(masks.length, last - first + 1);
        masks.forEach((mask, k) => assert.deepEqual([...mask], [...expected.subarray(k * W * H, (k + 1) * W * H)], `slice ${first + k}`));
        // Something was interpolated: the slice between the first two labelled ones holds the label.
        assert.ok(masks[1]!.some((v) => v === 1));
      }
    }
  });
});
