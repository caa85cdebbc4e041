import { createRequire } from 'node:module';
import path from 'node:path';
import { InterfaceTypes, type Image } from 'itk-wasm';
import type { Slice } from '../data/extract-slice.js';
import { withItk } from '../data/itk-io.js';
import { runCachedPipeline } from '../data/itk-pipeline-node.js';

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
  const data = new Uint8Array(plane * count);
  const labelled: number[] = [];
  for (let s = first; s <= last; s++) {
    const slice = slices(s);
    if (!slice) continue;
    labelled.push(s - first);
    const offset = (s - first) * plane;
    for (let i = 0; i < plane; i++) if (slice.data[i] === value) data[offset + i] = 1;
  }
  const whole = (masks: Uint8Array) => Array.from({ length: count }, (_, k) => masks.subarray(k * plane, (k + 1) * plane));
  const box = labelBox(data, width, height, count);
  if (labelled.length < 2 || !box) return whole(data);
  // The interpolated shapes lie between the labelled ones, so the pipeline runs on their bounding box with a margin:
  // its time grows with the slab, and a cortical region's box is a tenth of a 181 x 217 slice. The masks are the
  // same as on the whole slab (checked against the package's own wrapper on random slabs in the unit tests).
  const cropped = await runInterpolation(crop(data, width, height, count, box), [box.width, box.height, count], labelled);
  return whole(paste(cropped, box, width, height, count));
}

/** The pipeline on one slab of 0/1 masks (the slicing axis last), the labelled slices given by index. */
async function runInterpolation(data: Uint8Array, size: [number, number, number], labelled: readonly number[]): Promise<Uint8Array> {
  // The arguments @itk-wasm/morphological-contour-interpolation's Node wrapper passes for these options, run on a
  // module kept between calls (itk-pipeline-node.ts).
  const args = ['0', '0', '--memory-io', '--label', '1', '--axis', '2', '--use-custom-slice-positions'];
  args.push('--labeled-slice-indices-axis', '2', '--labeled-slice-indices-label', '1', '--labeled-slice-indices', ...labelled.map(String));
  const { returnValue, stderr, outputs } = await withItk(() =>
    runCachedPipeline(PIPELINE, args, [{ type: InterfaceTypes.Image }], [{ type: InterfaceTypes.Image, data: slabImage(data, size) }]),
  );
  if (returnValue !== 0) throw new Error(`contour interpolation failed: ${stderr || `exit code ${returnValue}`}`);
  return (outputs[0]!.data as Image).data as Uint8Array;
}

/**
 * Pixels kept around the labels' bounding box: with none, ITK's filters meet the slab's edge and the masks change;
 * from 1 px on they are the same on the unit tests' random slabs, and 8 leaves room.
 */
const MARGIN = 8;

interface Box {
  x0: number;
  y0: number;
  width: number;
  height: number;
}

/** The bounding box of every slice's foreground grown by MARGIN and clipped to the slice; undefined if none. */
function labelBox(data: Uint8Array, width: number, height: number, count: number): Box | undefined {
  let [x0, y0, x1, y1] = [width, height, -1, -1];
  for (let k = 0; k < count; k++)
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        if (data[(k * height + y) * width + x]) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
  if (x1 < 0) return undefined;
  [x0, y0] = [Math.max(0, x0 - MARGIN), Math.max(0, y0 - MARGIN)];
  [x1, y1] = [Math.min(width - 1, x1 + MARGIN), Math.min(height - 1, y1 + MARGIN)];
  return { x0, y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

function crop(data: Uint8Array, width: number, height: number, count: number, box: Box): Uint8Array {
  const out = new Uint8Array(box.width * box.height * count);
  for (let k = 0; k < count; k++)
    for (let y = 0; y < box.height; y++) {
      const from = (k * height + box.y0 + y) * width + box.x0;
      out.set(data.subarray(from, from + box.width), (k * box.height + y) * box.width);
    }
  return out;
}

function paste(cropped: Uint8Array, box: Box, width: number, height: number, count: number): Uint8Array {
  const out = new Uint8Array(width * height * count);
  for (let k = 0; k < count; k++)
    for (let y = 0; y < box.height; y++) {
      const from = (k * box.height + y) * box.width;
      out.set(cropped.subarray(from, from + box.width), (k * height + box.y0 + y) * width + box.x0);
    }
  return out;
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
