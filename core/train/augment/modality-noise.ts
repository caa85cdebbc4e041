import type { Random } from '../../util/random.js';
import { sampleRange, type Range } from './augmentation-config.js';
import { gaussianBlur } from './blur.js';
import { fillGaussian } from './gaussian-noise.js';
import { clamp01 } from './intensity.js';

/**
 * The noise each imaging modality leaves, which the additive white gaussian noise of the other augmentations does
 * not show: MRI magnitude images are Rician at low signal, ultrasound is multiplicative speckle with a grain of
 * its own, fluorescence microscopy is photon-limited (noise grows with the signal), reconstructed CT noise is
 * correlated over a few pixels.
 */
export type NoiseKind = 'rician' | 'speckle' | 'photon' | 'correlated';

export const NOISE_KINDS: readonly NoiseKind[] = ['rician', 'speckle', 'photon', 'correlated'];

/** A task's noise: the kind, how strong (0..1, mapped onto each kind's own scale) and the grain in pixels. */
export interface ModalityNoise {
  kind: NoiseKind;
  strength: number;
  grain: number;
}

export function sampleModalityNoise(rng: Random, strength: Range): ModalityNoise {
  return { kind: NOISE_KINDS[rng.int(NOISE_KINDS.length)]!, strength: sampleRange(rng, strength), grain: rng.uniform(0.5, 1.5) };
}

/** A new noisy image in [0, 1]; the noise itself is drawn per image, the kind and strength are the task's. */
export function applyModalityNoise(rng: Random, image: Float32Array, size: number, noise: ModalityNoise): Float32Array {
  const { kind, strength, grain } = noise;
  const out = new Float32Array(image.length);
  switch (kind) {
    case 'rician': {
      // Magnitude of a complex signal whose channels each carry gaussian noise of std sigma.
      const sigma = 0.02 + 0.1 * strength;
      const re = fillGaussian(rng, new Float32Array(image.length), sigma);
      const im = fillGaussian(rng, new Float32Array(image.length), sigma);
      for (let i = 0; i < out.length; i++) out[i] = Math.hypot(image[i]! + re[i]!, im[i]!);
      break;
    }
    case 'speckle': {
      // Fully developed speckle: the amplitude of a correlated complex gaussian field is Rayleigh distributed
      // (mean sqrt(pi)/2 for unit power); it multiplies the echo strength.
      const re = correlatedUnitNoise(rng, size, grain);
      const im = correlatedUnitNoise(rng, size, grain);
      const depth = 0.3 + 0.7 * strength;
      const mean = Math.sqrt(Math.PI) / 2;
      for (let i = 0; i < out.length; i++) {
        const rayleigh = Math.sqrt((re[i]! * re[i]! + im[i]! * im[i]!) / 2) / mean;
        out[i] = image[i]! * (1 + depth * (rayleigh - 1));
      }
      break;
    }
    case 'photon': {
      // Poisson counts at `photons` per unit intensity, in the normal approximation (mean and variance equal),
      // which is close above a few counts and costs one gaussian draw instead of a Poisson sampler per pixel.
      const photons = 200 * Math.pow(10, -1.5 * strength);
      const n = fillGaussian(rng, new Float32Array(image.length));
      for (let i = 0; i < out.length; i++) out[i] = image[i]! + Math.sqrt(Math.max(0, image[i]!) / photons) * n[i]!;
      break;
    }
    case 'correlated': {
      const n = correlatedUnitNoise(rng, size, grain);
      const std = 0.02 + 0.08 * strength;
      for (let i = 0; i < out.length; i++) out[i] = image[i]! + std * n[i]!;
      break;
    }
  }
  return clamp01(out);
}

/** Gaussian noise blurred over `grain` pixels and scaled back to unit variance. */
function correlatedUnitNoise(rng: Random, size: number, grain: number): Float32Array {
  const blurred = gaussianBlur(fillGaussian(rng, new Float32Array(size * size)), size, grain);
  let power = 0;
  for (const v of blurred) power += v * v;
  const scale = power > 0 ? Math.sqrt(blurred.length / power) : 0;
  for (let i = 0; i < blurred.length; i++) blurred[i]! *= scale;
  return blurred;
}
