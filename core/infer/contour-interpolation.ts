import { morphologicalContourInterpolationNode } from '@itk-wasm/morphological-contour-interpolation';
import type { Image } from 'itk-wasm';
import type { Slice } from '../data/extract-slice.js';
import { withItk } from '../data/itk-io.js';

/**
 * Morphological contour interpolation (Albu et al. 2008; ITK's MorphologicalContourInterpolator through itk-wasm,
 * as 3D Slicer's "Fill between slices" runs it) of one label across the slices first..last, from the labelled
 * slices among them, which count as labelled even where they lack the label so that the structure closes towards
 * them. `slices(s)` gives slice s's labels (undefined: not labelled). Each slice first..last comes back as a 0/1
 * mask in extractSlice's layout.
 */
export async function interpolateContours(
  slices: (s: number) => Slice<Uint8Array> | undefined,
  value: number,
  first: number,
  last: number,
  size: { width: number; height: number },
): Promise<Uint8Array[]> {
  const plane = size.width * size.height;
  const count = last - first + 1;
  const data = new Uint8Array(plane * count);
  const labelled: number[] = [];
  for (let s = first; s <= last; s++) {
    const slice = slices(s);
    if (!slice) continue;
    labelled.push(s - first);
    const offset = (s - first) * plane;
    for (let i = 0; i < plane; i++) if (slice.data[i] === value) data[offset + i] = 1;
  }
  if (labelled.length < 2) return Array.from({ length: count }, (_, k) => data.subarray(k * plane, (k + 1) * plane));
  // The slicing axis goes last: the wrapper drops an `axis` of 0 (it tests the option for truthiness).
  const { outputImage } = await withItk(() =>
    morphologicalContourInterpolationNode(slabImage(data, [size.width, size.height, count]), {
      axis: 2,
      label: 1,
      useCustomSlicePositions: true,
      labeledSliceIndicesAxis: 2,
      labeledSliceIndicesLabel: 1,
      labeledSliceIndices: labelled,
    }),
  );
  const out = outputImage.data as Uint8Array;
  return Array.from({ length: count }, (_, k) => out.subarray(k * plane, (k + 1) * plane));
}

function slabImage(data: Uint8Array, size: [number, number, number]): Image {
  return {
    imageType: { dimension: 3, componentType: 'uint8', pixelType: 'Scalar', components: 1 },
    name: 'labels',
    origin: [0, 0, 0],
    spacing: [1, 1, 1],
    direction: new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]),
    size,
    metadata: new Map(),
    data,
  };
}
