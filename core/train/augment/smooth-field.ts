import type { Random } from '../../util/random.js';
import { fillGaussian } from './gaussian-noise.js';

/**
 * A smooth random S x S field: independent N(0, 1) control points every `spacing` pixels, interpolated with a
 * cubic B-spline. The B-spline (unlike bilinear upsampling) is C2, so warps and argmax boundaries built from it
 * have no kinks along the control grid; its values have a standard deviation of about 0.48.
 */
export function smoothNoise(rng: Random, size: number, spacing: number, out = new Float32Array(size * size)): Float32Array {
  if (!(spacing > 0)) throw new Error(`smoothNoise: spacing must be > 0, got ${spacing}`);
  const grid = Math.floor((size - 1) / spacing) + 4;
  const control = fillGaussian(rng, new Float32Array(grid * grid));
  return bsplineUpsample(control, grid, size, spacing, out);
}

function bsplineUpsample(control: Float32Array, grid: number, size: number, spacing: number, out: Float32Array): Float32Array {
  // The same 1D taps serve both axes because the field is square.
  const first = new Int32Array(size);
  const w = new Float32Array(size * 4);
  for (let x = 0; x < size; x++) {
    const u = x / spacing;
    const i = Math.floor(u);
    const t = u - i;
    const t2 = t * t;
    const t3 = t2 * t;
    first[x] = i;
    w[4 * x] = ((1 - t) * (1 - t) * (1 - t)) / 6;
    w[4 * x + 1] = (3 * t3 - 6 * t2 + 4) / 6;
    w[4 * x + 2] = (-3 * t3 + 3 * t2 + 3 * t + 1) / 6;
    w[4 * x + 3] = t3 / 6;
  }
  // Rows of control points, interpolated along x.
  const rows = new Float32Array(grid * size);
  for (let j = 0; j < grid; j++) {
    const c = j * grid;
    const r = j * size;
    for (let x = 0; x < size; x++) {
      const k = c + first[x]!;
      const q = 4 * x;
      rows[r + x] = w[q]! * control[k]! + w[q + 1]! * control[k + 1]! + w[q + 2]! * control[k + 2]! + w[q + 3]! * control[k + 3]!;
    }
  }
  for (let y = 0; y < size; y++) {
    const r0 = first[y]! * size;
    const q = 4 * y;
    const w0 = w[q]!,
      w1 = w[q + 1]!,
      w2 = w[q + 2]!,
      w3 = w[q + 3]!;
    const o = y * size;
    for (let x = 0; x < size; x++) {
      const k = r0 + x;
      out[o + x] = w0 * rows[k]! + w1 * rows[k + size]! + w2 * rows[k + 2 * size]! + w3 * rows[k + 3 * size]!;
    }
  }
  return out;
}
