import type { Random } from '../../util/random.js';
import { sampleRange, type IntensityAugmentations } from './augmentation-config.js';
import { gaussianBlur } from './blur.js';
import { fillGaussian } from './gaussian-noise.js';

/** Drawn intensity changes; null fields are not applied. Sampled once per image, or once per set. */
export interface IntensityPlan {
  brightness: number;
  contrast: number;
  blurSigma: number | null;
  sharpenAmount: number | null;
  noiseStd: number | null;
}

export function sampleIntensityPlan(rng: Random, config: IntensityAugmentations): IntensityPlan {
  const bc = rng.chance(config.brightnessContrast.p);
  const brightness = bc ? sampleRange(rng, config.brightnessContrast.brightness) : 0;
  const contrast = bc ? sampleRange(rng, config.brightnessContrast.contrast) : 1;
  const blurSigma = rng.chance(config.blur.p) ? sampleRange(rng, config.blur.sigma) : null;
  const sharpenAmount = rng.chance(config.sharpen.p) ? sampleRange(rng, config.sharpen.amount) : null;
  const noiseStd = rng.chance(config.noise.p) ? sampleRange(rng, config.noise.std) : null;
  return { brightness, contrast, blurSigma, sharpenAmount, noiseStd };
}

/** Applies a plan and clamps to [0, 1]. The noise itself is drawn per image even when the plan is shared. */
export function applyIntensityPlan(rng: Random, image: Float32Array, size: number, plan: IntensityPlan): Float32Array {
  let out = image;
  if (plan.brightness !== 0 || plan.contrast !== 1) out = brightnessContrast(out, plan.brightness, plan.contrast);
  if (plan.blurSigma !== null) out = gaussianBlur(out, size, plan.blurSigma);
  if (plan.sharpenAmount !== null) out = sharpen(out, size, plan.sharpenAmount);
  if (plan.noiseStd !== null) {
    const noise = fillGaussian(rng, new Float32Array(out.length), plan.noiseStd);
    for (let i = 0; i < out.length; i++) noise[i]! += out[i]!;
    out = noise;
  }
  return clamp01(out === image ? Float32Array.from(image) : out);
}

export function brightnessContrast(image: Float32Array, brightness: number, contrast: number): Float32Array {
  let mean = 0;
  for (let i = 0; i < image.length; i++) mean += image[i]!;
  mean /= image.length;
  const out = new Float32Array(image.length);
  for (let i = 0; i < image.length; i++) out[i] = (image[i]! - mean) * contrast + mean + brightness;
  return out;
}

export function sharpen(image: Float32Array, size: number, amount: number): Float32Array {
  const out = gaussianBlur(image, size, 1);
  for (let i = 0; i < out.length; i++) out[i] = image[i]! + amount * (image[i]! - out[i]!);
  return out;
}

export function invert(image: Float32Array): Float32Array {
  const out = new Float32Array(image.length);
  for (let i = 0; i < image.length; i++) out[i] = 1 - image[i]!;
  return out;
}

/** Sobel gradient magnitude (edges replicated), scaled so its maximum is 1; a flat image stays 0. */
export function sobelMagnitude(image: Float32Array, size: number): Float32Array {
  const out = new Float32Array(image.length);
  const last = size - 1;
  let max = 0;
  for (let y = 0; y < size; y++) {
    const up = (y > 0 ? y - 1 : 0) * size;
    const row = y * size;
    const down = (y < last ? y + 1 : last) * size;
    for (let x = 0; x < size; x++) {
      const l = x > 0 ? x - 1 : 0;
      const r = x < last ? x + 1 : last;
      const gx = image[up + r]! + 2 * image[row + r]! + image[down + r]! - image[up + l]! - 2 * image[row + l]! - image[down + l]!;
      const gy = image[down + l]! + 2 * image[down + x]! + image[down + r]! - image[up + l]! - 2 * image[up + x]! - image[up + r]!;
      const m = Math.sqrt(gx * gx + gy * gy);
      out[row + x] = m;
      if (m > max) max = m;
    }
  }
  if (max > 0) for (let i = 0; i < out.length; i++) out[i]! /= max;
  return out;
}

/** Clamps in place and returns the same array. */
export function clamp01(image: Float32Array): Float32Array {
  for (let i = 0; i < image.length; i++) {
    const v = image[i]!;
    image[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
  return image;
}
