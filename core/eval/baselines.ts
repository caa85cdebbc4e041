import { morphologicalContourInterpolationNode } from '@itk-wasm/morphological-contour-interpolation';
import type { Image } from 'itk-wasm';
import { extractSlice } from '../data/extract-slice.js';
import { insertSlice } from '../data/insert-slice.js';
import { withItk } from '../data/itk-io.js';
import type { Axis, LabelVolume } from '../data/volume.js';
import { checkSliceList } from '../infer/labelled-slices.js';

/**
 * What a user would get without the network, from the same labelled slices, to measure propagation against.
 * Both keep the labelled slices exactly as given and fill every other slice along `axis`.
 */

/** Every unlabelled slice copies the nearest labelled slice (the lower one when two are equally near). */
export function nearestSliceCopy(partial: LabelVolume, axis: Axis, labelledSlices: readonly number[]): LabelVolume {
  const labelled = checkSlices(partial, axis, labelledSlices);
  const out = { ...partial, data: new Uint8Array(partial.data.length) };
  const copies = new Map(labelled.map((s) => [s, extractSlice(partial, axis, s)]));
  for (let s = 0; s < partial.size[axis]; s++) {
    let best = labelled[0];
    for (const l of labelled) if (Math.abs(l - s) < Math.abs(best - s)) best = l;
    insertSlice(out, axis, s, copies.get(best)!);
  }
  return out;
}

/**
 * Morphological contour interpolation (Albu et al. 2008, ITK's MorphologicalContourInterpolator via itk-wasm):
 * each label on its own, between the given slices, which count as labelled even where they are empty so that a
 * structure closes towards them. Where interpolated labels overlap, the lower value wins.
 */
export async function contourInterpolation(partial: LabelVolume, axis: Axis, labelledSlices: readonly number[]): Promise<LabelVolume> {
  const labelled = checkSlices(partial, axis, labelledSlices);
  const isLabelled = new Set(labelled);
  const values = new Set<number>();
  for (const s of labelled) for (const v of extractSlice(partial, axis, s).data) if (v) values.add(v);

  // The slicing axis goes last: the wrapper drops an `axis` of 0 (it tests the option for truthiness).
  const slab = toSlab(partial, axis);
  const out = { ...partial, data: new Uint8Array(partial.data.length) };
  const merged = new Uint8Array(slab.data.length);
  for (const value of [...values].sort((a, b) => a - b)) {
    const binary = slab.data.map((v) => (v === value ? 1 : 0));
    const { outputImage } = await withItk(() =>
      morphologicalContourInterpolationNode(slabImage(binary, slab.size), {
        axis: 2,
        label: 1,
        useCustomSlicePositions: true,
        labeledSliceIndicesAxis: 2,
        labeledSliceIndicesLabel: 1,
        labeledSliceIndices: labelled,
      }),
    );
    const interpolated = outputImage.data as Uint8Array;
    for (let i = 0; i < merged.length; i++) if (interpolated[i] && !merged[i]) merged[i] = value;
  }
  const plane = slab.size[0] * slab.size[1];
  for (let s = 0; s < partial.size[axis]; s++) {
    const slice = isLabelled.has(s) ? extractSlice(partial, axis, s) : { data: merged.subarray(s * plane, (s + 1) * plane), width: slab.size[0], height: slab.size[1] };
    insertSlice(out, axis, s, slice);
  }
  return out;
}

function checkSlices(partial: LabelVolume, axis: Axis, labelledSlices: readonly number[]): number[] {
  const labelled = checkSliceList(labelledSlices, partial, axis);
  if (labelled.length === 0) throw new Error('at least one labelled slice is needed');
  return labelled;
}

/** The label map re-laid so that slice s along `axis` is the s-th contiguous plane (extractSlice's layout). */
function toSlab(labels: LabelVolume, axis: Axis): { data: Uint8Array; size: [number, number, number] } {
  const n = labels.size[axis];
  const first = extractSlice(labels, axis, 0);
  const plane = first.width * first.height;
  const data = new Uint8Array(plane * n);
  for (let s = 0; s < n; s++) data.set(extractSlice(labels, axis, s).data, s * plane);
  return { data, size: [first.width, first.height, n] };
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
