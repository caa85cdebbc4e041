/**
 * Euclidean distance transforms of binary slices (Felzenszwalb & Huttenlocher 2012: exact, linear in the pixels,
 * one pass along rows and one along columns).
 */

const FAR = 1e20;

/** Squared distance of every pixel to the nearest pixel where `inside(v)` holds; FAR everywhere when none does. */
function squaredDistanceTo(mask: ArrayLike<number>, width: number, height: number, inside: (v: number) => boolean): Float64Array {
  const out = new Float64Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = inside(mask[i]!) ? 0 : FAR;
  const n = Math.max(width, height);
  const f = new Float64Array(n);
  const d = new Float64Array(n);
  const v = new Int32Array(n);
  const z = new Float64Array(n + 1);
  const pass = (start: number, stride: number, length: number) => {
    for (let i = 0; i < length; i++) f[i] = out[start + i * stride]!;
    lowerEnvelope(f, length, d, v, z);
    for (let i = 0; i < length; i++) out[start + i * stride] = d[i]!;
  };
  for (let y = 0; y < height; y++) pass(y * width, 1, width);
  for (let x = 0; x < width; x++) pass(x, width, height);
  return out;
}

/** The 1D transform: d[q] = min over p of (q - p)^2 + f[p], by the lower envelope of the parabolas. */
function lowerEnvelope(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  const meet = (q: number, p: number) => (f[q]! + q * q - (f[p]! + p * p)) / (2 * q - 2 * p);
  for (let q = 1; q < n; q++) {
    let s = meet(q, v[k]!);
    while (s <= z[k]!) s = meet(q, v[--k]!);
    v[++k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1]! < q) k++;
    const p = v[k]!;
    d[q] = (q - p) * (q - p) + f[p]!;
  }
}

/**
 * Signed distance of every pixel to the mask's border: positive inside (distance to the nearest outside pixel),
 * negative outside (minus the distance to the nearest inside pixel). Undefined for an empty mask, which has no border.
 */
export function signedDistance(mask: ArrayLike<number>, width: number, height: number): Float32Array | undefined {
  const toInside = squaredDistanceTo(mask, width, height, (v) => v !== 0);
  if (toInside[0]! >= FAR) return undefined;
  const toOutside = squaredDistanceTo(mask, width, height, (v) => v === 0);
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = mask[i] ? Math.sqrt(Math.min(toOutside[i]!, FAR)) : -Math.sqrt(toInside[i]!);
  return out;
}
