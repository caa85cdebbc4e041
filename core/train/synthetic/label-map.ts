import type { Random } from '../../util/random.js';
import { smoothNoise } from '../augment/smooth-field.js';
import type { Warp } from '../augment/warp.js';

/** `count` smooth noise channels, concatenated, each S x S. */
export function smoothChannels(rng: Random, size: number, count: number, spacing: number): Float32Array {
  const n = size * size;
  const channels = new Float32Array(count * n);
  for (let k = 0; k < count; k++) smoothNoise(rng, size, Math.max(2, spacing), channels.subarray(k * n, (k + 1) * n));
  return channels;
}

/** Label of each pixel = the channel with the largest value there. */
export function argmaxLabels(channels: Float32Array, count: number, size: number): Uint8Array {
  const n = size * size;
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let value = channels[i]!;
    for (let k = 1; k < count; k++) {
      const v = channels[k * n + i]!;
      if (v > value) {
        value = v;
        best = k;
      }
    }
    labels[i] = best;
  }
  return labels;
}

/**
 * The label map deformed by `warp` (positions inside the frame), as the argmax of the bilinearly warped
 * channels. Only the labels of the four neighbours of a position compete, so the common case (all four agree)
 * costs one lookup instead of one interpolation per channel, and boundaries stay as smooth as the channels.
 */
export function warpLabelMap(channels: Float32Array, labels: Uint8Array, size: number, warp: Warp): Uint8Array {
  const n = size * size;
  const out = new Uint8Array(n);
  const last = size - 1;
  for (let i = 0; i < n; i++) {
    const x = warp.sx[i]!;
    const y = warp.sy[i]!;
    const x0 = Math.min(Math.floor(x), last - 1);
    const y0 = Math.min(Math.floor(y), last - 1);
    const fx = x - x0;
    const fy = y - y0;
    const k = y0 * size + x0;
    const l00 = labels[k]!;
    const l10 = labels[k + 1]!;
    const l01 = labels[k + size]!;
    const l11 = labels[k + size + 1]!;
    if (l00 === l10 && l00 === l01 && l00 === l11) {
      out[i] = l00;
      continue;
    }
    let best = l00;
    let value = bilinear(channels, l00 * n + k, size, fx, fy);
    for (let j = 1; j < 4; j++) {
      const l = j === 1 ? l10 : j === 2 ? l01 : l11;
      if (l === best) continue;
      const v = bilinear(channels, l * n + k, size, fx, fy);
      if (v > value) {
        value = v;
        best = l;
      }
    }
    out[i] = best;
  }
  return out;
}

function bilinear(values: Float32Array, k: number, size: number, fx: number, fy: number): number {
  const top = values[k]! + fx * (values[k + 1]! - values[k]!);
  const bottom = values[k + size]! + fx * (values[k + size + 1]! - values[k + size]!);
  return top + fy * (bottom - top);
}
