import type { Random } from '../../util/random.js';
import { gaussianBlur } from '../augment/blur.js';
import { fillGaussian } from '../augment/gaussian-noise.js';
import { clamp01 } from '../augment/intensity.js';
import { smoothNoise } from '../augment/smooth-field.js';

/** How a task's images look: the "modality", fixed per task. */
export interface Appearance {
  /** Mean intensity per label. */
  means: Float32Array;
  /** Std of the per-pixel texture of each label (added before the blur). */
  textures: Float32Array;
  /** Std of each example's shift of every label mean, so subjects differ a little. */
  meanJitter: number;
  blurSigma: number;
  /** Std of the log of the multiplicative bias field. */
  bias: number;
  /** Std of the noise added after normalisation. */
  noise: number;
}

/** Paints a label map, blurs, multiplies by a smooth bias field, rescales to [0, 1] and adds noise. */
export function renderImage(rng: Random, labels: Uint8Array, size: number, look: Appearance): Float32Array {
  const n = size * size;
  const means = look.means.map((m) => m + look.meanJitter * rng.normal());
  const painted = fillGaussian(rng, new Float32Array(n));
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    painted[i] = means[l]! + look.textures[l]! * painted[i]!;
  }
  const image = gaussianBlur(painted, size, look.blurSigma);
  // The bias varies over about half the field of view, like a coil's sensitivity profile.
  const bias = smoothNoise(rng, size, size / 2);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = image[i]! * Math.exp(look.bias * bias[i]!);
    image[i] = v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const scale = max > min ? 1 / (max - min) : 0;
  const noise = fillGaussian(rng, bias, look.noise);
  for (let i = 0; i < n; i++) image[i] = (image[i]! - min) * scale + noise[i]!;
  return clamp01(image);
}
