import { extractSlice } from '../data/extract-slice.js';
import { insertSlice } from '../data/insert-slice.js';
import { resizeBilinear } from '../data/resize-bilinear.js';
import type { LabelVolume, Volume } from '../data/volume.js';
import type { Model } from '../model/model.js';
import { imageInput, stack } from './model-input.js';
import type { SupportPool } from './support-pool.js';

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
 * A binary mask (1 where the mean probability passes 0.5) for a 2D image, or for a volume slice by slice along
 * its last axis, on the image's own grid: probabilities come back from the model's size bilinearly.
 */
export async function segmentImage(model: Model, image: Volume, pool: SupportPool, options: SegmentImageOptions = {}): Promise<LabelVolume> {
  const [width, height, depth] = image.size;
  const size = model.config.inputSize;
  const plane = size * size;
  const result = await model.predict({
    queries: stack(Array.from({ length: depth }, (_, k) => imageInput(extractSlice(image, 2, k), model.config))),
    count: depth,
    poolImages: pool.images,
    poolLabels: pool.labels,
    poolSize: pool.count,
    height: size,
    width: size,
    supportSize: options.supportSize,
    ensemble: options.ensemble,
    seed: options.seed,
    onProgress: options.onProgress,
    signal: options.signal,
  });
  const { size: grid, spacing, origin, direction, dimension, source } = image;
  const mask: LabelVolume = { data: new Uint8Array(width * height * depth), size: grid, spacing, origin, direction, dimension, source };
  for (let k = 0; k < depth; k++) {
    const probability = resizeBilinear(result.probabilities.subarray(k * plane, (k + 1) * plane), size, size, width, height);
    insertSlice(mask, 2, k, { data: Uint8Array.from(probability, (p) => (p > 0.5 ? 1 : 0)), width, height });
  }
  return mask;
}
