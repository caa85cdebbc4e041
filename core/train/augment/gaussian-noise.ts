import type { Random } from '../../util/random.js';

/**
 * Fills `out` with N(0, std²) samples. Per-pixel noise is the one draw per pixel in the data pipeline, and
 * Box-Muller (two uniforms, a log, a root and a cosine per value) cost more than the rest of a set together; so
 * each 32-bit draw gives two values by looking up 16 bits each in a table of the normal's quantiles at
 * (k + 0.5) / 65536. The result is a 65536-level quantised normal, with tails cut at about 4.3 sigma.
 */
export function fillGaussian(rng: Random, out: Float32Array, std = 1): Float32Array {
  const table = quantiles();
  const n = out.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const bits = rng.nextUint32();
    out[i] = std * table[bits & 0xffff]!;
    out[i + 1] = std * table[bits >>> 16]!;
  }
  if (i < n) out[i] = std * table[rng.nextUint32() & 0xffff]!;
  return out;
}

let table: Float32Array | null = null;

function quantiles(): Float32Array {
  if (!table) {
    table = new Float32Array(65536);
    for (let k = 0; k < table.length; k++) table[k] = inverseNormalCdf((k + 0.5) / 65536);
  }
  return table;
}

/** Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9). */
function inverseNormalCdf(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const tail = (q: number): number =>
    (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}
