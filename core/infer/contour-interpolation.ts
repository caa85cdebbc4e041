import { createRequire } from 'node:module';
import path from 'node:path';
import { InterfaceTypes, type Image } from 'itk-wasm';
import type { Slice } from '../data/extract-slice.js';
import { withItk } from '../data/itk-io.js';
import { runCachedPipeline } from '../data/itk-pipeline-node.js';
import { boxAround, type Box } from './slice-warps.js';

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
  const { width, height } = size;
  const plane = width * height;
  const count = last - first + 1;
  const masks = Array.from({ length: count }, () => new Uint8Array(plane));
  const labelled: number[] = [];
  for (let s = first; s <= last; s++) {
    const slice = slices(s);
    if (!slice) continue;
    labelled.push(s - first);
    const mask = masks[s - first]!;
    for (let i = 0; i < plane; i++) if (slice.data[i] === value) mask[i] = 1;
  }
  const box = labelled.length < 2 ? undefined : boxAround(masks, width, height, CROP_MARGIN);
  if (!box) return masks;
  // The pipeline runs on the label's bounding box only: its time grows with the voxels it is given, and a
  // structure fills a few percent of a slice (propagation runs it once per label and per held-out slice).
  const cropped = new Uint8Array(box.width * box.height * count);
  masks.forEach((mask, k) => copyBox(mask, width, box, cropped.subarray(k * box.width * box.height), 'out'));
  // The arguments @itk-wasm/morphological-contour-interpolation's Node wrapper passes for these options (the slicing
  // axis last), run on a module kept between calls (itk-pipeline-node.ts).
  const args = ['0', '0', '--memory-io', '--label', '1', '--axis', '2', '--use-custom-slice-positions'];
  args.push('--labeled-slice-indices-axis', '2', '--labeled-slice-indices-label', '1', '--labeled-slice-indices', ...labelled.map(String));
  const { returnValue, stderr, outputs } = await withItk(() =>
    runCachedPipeline(
      PIPELINE,
      args,
      [{ type: InterfaceTypes.Image }],
      [{ type: InterfaceTypes.Image, data: slabImage(cropped, [box.width, box.height, count]) }],
    ),
  );
  if (returnValue !== 0) throw new Error(`contour interpolation failed: ${stderr || `exit code ${returnValue}`}`);
  const out = (outputs[0]!.data as Image).data as Uint8Array;
  masks.forEach((mask, k) => copyBox(mask, width, box, out.subarray(k * box.width * box.height), 'in'));
  return masks;
}

/**
 * Pixels kept around the label's bounding box: the interpolation of two shapes lies between them. On Colin27's AAL
 * regions the cropped masks equal the whole slice's in 349 of 350 cases; the one gap that differs does so at any
 * margin up to 32 px (MODEL_CARD.md, sixteenth session).
 */
const CROP_MARGIN = 8;

/** Copies `box` of the slice `full` (rows `width` long) out into `part`, or `part` back in. */
function copyBox(full: Uint8Array, width: number, box: Box, part: Uint8Array, direction: 'out' | 'in'): void {
  for (let y = 0; y < box.height; y++) {
    const from = (box.y0 + y) * width + box.x0;
    if (direction === 'out') part.set(full.subarray(from, from + box.width), y * box.width);
    else full.set(part.subarray(y * box.width, (y + 1) * box.width), from);
  }
}

const PIPELINE = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@itk-wasm/morphological-contour-interpolation')),
  'pipelines',
  'morphological-contour-interpolation',
);

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
