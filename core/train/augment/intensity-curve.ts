import type { Random } from '../../util/random.js';
import { sampleRange, type Range } from './augmentation-config.js';

/**
 * A random map of [0, 1] onto itself: a uniform random level at each of `knots` + 1 evenly spaced intensities,
 * linear between them, stretched so that its lowest level is 0 and its highest 1. With two or more knots it is
 * rarely monotonic: dark and bright tissue can swap and a mid grey can become the brightest, as between T1, T2,
 * CT and ultrasound, which the monotonic changes (contrast, inversion) never show the network.
 */
export function sampleIntensityCurve(rng: Random, knots: Range): Float32Array {
  const n = Math.max(1, Math.round(sampleRange(rng, knots)));
  const levels = Float32Array.from({ length: n + 1 }, () => rng.next());
  let [low, high] = [Infinity, -Infinity];
  for (const v of levels) [low, high] = [Math.min(low, v), Math.max(high, v)];
  // A flat draw (all levels alike) would erase the image: keep it as it is instead.
  if (high - low < 1e-3) return Float32Array.from({ length: n + 1 }, (_, i) => i / n);
  return levels.map((v) => (v - low) / (high - low));
}

/** The image (intensities in [0, 1]) through the curve's piecewise-linear map. */
export function applyIntensityCurve(image: Float32Array, curve: Float32Array): Float32Array {
  const n = curve.length - 1;
  const out = new Float32Array(image.length);
  for (let i = 0; i < image.length; i++) {
    const x = Math.min(1, Math.max(0, image[i]!)) * n;
    const k = Math.min(n - 1, Math.floor(x));
    out[i] = curve[k]! + (x - k) * (curve[k + 1]! - curve[k]!);
  }
  return out;
}
