import { extractSlice } from '../data/extract-slice.js';
import { insertSlice } from '../data/insert-slice.js';
import { resizeBilinear } from '../data/resize-bilinear.js';
import type { LabelVolume, Volume } from '../data/volume.js';
import type { Model } from '../model/model.js';
import { LabelMerge } from './label-merge.js';
import { imageInput, stack } from './model-input.js';
import type { SupportTask } from './support-pool.js';

export interface SegmentImageOptions {
  /** N examples per support set; default: the whole pool, up to 64. */
  supportSize?: number;
  /** K support sets drawn from the pool, their probabilities averaged. */
  ensemble?: number;
  seed?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * A label map for a 2D image, or for a volume slice by slice along its last axis, on the image's own grid: each
 * task (label value) is run on its own, its mean probability brought back from the model's size bilinearly, and
 * a pixel takes the most probable value among those past 0.5 (label-merge.ts).
 */
export async function segmentImage(
  model: Model,
  image: Volume,
  tasks: readonly SupportTask[],
  options: SegmentImageOptions = {},
): Promise<LabelVolume> {
  const [width, height, depth] = image.size;
  const size = model.config.inputSize;
  const plane = size * size;
  const queries = stack(Array.from({ length: depth }, (_, k) => imageInput(extractSlice(image, 2, k), model.config)));
  const merges = Array.from({ length: depth }, () => new LabelMerge(width * height));
  for (const [t, task] of tasks.entries()) {
    const result = await model.predict({
      queries,
      count: depth,
      poolImages: task.images,
      poolLabels: task.labels,
      poolSize: task.count,
      height: size,
      width: size,
      supportSize: options.supportSize,
      ensemble: options.ensemble,
      seed: options.seed,
      onProgress: options.onProgress && ((done, total) => options.onProgress!(t * total + done, tasks.length * total)),
      signal: options.signal,
    });
    for (let k = 0; k < depth; k++)
      merges[k]!.add(task.value, resizeBilinear(result.probabilities.subarray(k * plane, (k + 1) * plane), size, size, width, height));
  }
  const { size: grid, spacing, origin, direction, dimension, source } = image;
  const mask: LabelVolume = { data: new Uint8Array(width * height * depth), size: grid, spacing, origin, direction, dimension, source };
  for (let k = 0; k < depth; k++) insertSlice(mask, 2, k, { data: merges[k]!.label, width, height });
  return mask;
}
