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
  // The arguments @itk-wasm/morphological-contour-interpolation's Node wrapper passes for these options (the slicing
  // axis last), run on a module kept between calls (itk-pipeline-node.ts).
  const args = ['0', '0', '--memory-io', '--label', '1', '--axis', '2', '--use-custom-slice-positions'];
  args.push('--labeled-slice-indices-axis', '2', '--labeled-slice-indices-label', '1', '--labeled-slice-indices', ...labelled.map(String));
  const { returnValue, stderr, outputs } = await withItk(() =>
    runCachedPipeline(
      PIPELINE,
      args,
      [{ type: InterfaceTypes.Image }],
      [{ type: InterfaceTypes.Image, data: slabImage(data, [size.width, size.height, count]) }],
    ),
  );
  if (returnValue !== 0) throw new Error(`contour interpolation failed: ${stderr || `exit code ${returnValue}`}`);
  const outputImage = outputs[0]!.data as Image;
  const out = outputImage.data as Uint8Array;
  return Array.from({ length: count }, (_, k) => out.subarray(k * plane, (k + 1) * plane));
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
