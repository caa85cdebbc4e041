import { extractSlice } from '../data/extract-slice.js';
import { insertSlice } from '../data/insert-slice.js';
import { resizeBilinear } from '../data/resize-bilinear.js';
import type { LabelVolume, Volume } from '../data/volume.js';
import type { Model } from '../model/model.js';
import { LabelMerge } from './label-merge.js';
import { imageInput, stack } from './model-input.js';
import { withRegisteredExamples } from './registered-example.js';
import type { SupportTask } from './support-pool.js';

export interface SegmentImageOptions {
  /** N examples per support set; default: the whole pool, up to 64. */
  supportSize?: number;
  /** K support sets drawn from the pool, their probabilities averaged. */
  ensemble?: number;
  seed?: number;
  /**
   * Weight of the network's probability against the label of the support example that fits the image best once
   * registered onto it (registered-example.ts). Default SEGMENT_NETWORK_WEIGHT.
   */
  networkWeight?: number;
  /** false: the network alone on the examples as given, nothing registered. */
  registration?: boolean;
  /** Work done and to do, in passes over one slice (fractions while the network runs with an ensemble). */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * A label map for a 2D image, or for a volume slice by slice along its last axis, on the image's own grid: each
 * task (label value) is run on its own, the network's mean probability on its examples as given and registered onto
 * the slice weighed against the registered label of the example that fits best (withRegisteredExamples), brought
 * back from the model's size bilinearly, and a pixel takes the most probable value among those past 0.5
 * (label-merge.ts).
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
  // Progress in slices: each task runs the network on every slice, then registers examples onto every slice (and,
  // by default, runs the network again on them), which takes about as long.
  const phases = options.registration === false ? 1 : 2;
  const report = (task: number, phase: number, slices: number) =>
    options.onProgress?.((task * phases + phase) * depth + slices, tasks.length * phases * depth);
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
      onProgress: (done, total) => report(t, 0, (done / total) * depth),
      signal: options.signal,
    });
    for (let k = 0; k < depth; k++) {
      options.signal?.throwIfAborted();
      const at = (data: Float32Array) => data.subarray(k * plane, (k + 1) * plane);
      const { probability } = await withRegisteredExamples(model, at(result.probabilities), at(queries), task, result.members, options);
      merges[k]!.add(task.value, resizeBilinear(probability, size, size, width, height));
      if (phases > 1) report(t, 1, k + 1);
    }
  }
  const { size: grid, spacing, origin, direction, dimension, source } = image;
  const mask: LabelVolume = { data: new Uint8Array(width * height * depth), size: grid, spacing, origin, direction, dimension, source };
  for (let k = 0; k < depth; k++) insertSlice(mask, 2, k, { data: merges[k]!.label, width, height });
  return mask;
}
