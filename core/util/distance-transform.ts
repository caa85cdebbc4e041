/**
 * Exact Euclidean distance transform of a 3D mask with anisotropic spacing (Felzenszwalb & Huttenlocher 2012:
 * one 1D pass per axis, linear in the voxels). Written here because none of the itk-wasm pipelines published on
 * npm (image-io, dicom, downsample, elastix, morphological-contour-interpolation, ...) exposes ITK's distance maps.
 */

/** Stands for "no such voxel": larger than any squared distance in millimetres a real grid has. */
export const FAR = 1e20;

export interface Grid3 {
  size: readonly [number, number, number];
  /** Millimetres between voxel centres along each axis. */
  spacing: readonly [number, number, number];
}

/**
 * Squared distance in mm² from every voxel to the nearest voxel where `inside(n)` holds (0 there); FAR everywhere
 * when none does. Voxels beyond the grid count as neither inside nor outside.
 */
export function squaredDistanceTo({ size, spacing }: Grid3, inside: (n: number) => boolean): Float64Array {
  const [nx, ny, nz] = size;
  const out = new Float64Array(nx * ny * nz);
  for (let n = 0; n < out.length; n++) out[n] = inside(n) ? 0 : FAR;
  const longest = Math.max(nx, ny, nz);
  const f = new Float64Array(longest);
  const d = new Float64Array(longest);
  const v = new Int32Array(longest);
  const z = new Float64Array(longest + 1);
  const strides = [1, nx, nx * ny];
  for (let axis = 0; axis < 3; axis++) {
    const length = size[axis]!;
    if (length === 1) continue;
    // (s·q - s·p)² + f = s²·((q - p)² + f / s²): the unit-spacing envelope of f / s², scaled back.
    const s2 = spacing[axis]! ** 2;
    const stride = strides[axis]!;
    // Lines along the axis start at the voxels whose index along it is 0: runs of `stride` voxels, one per block.
    for (let block = 0; block < out.length; block += stride * length) {
      for (let start = block; start < block + stride; start++) {
        for (let q = 0; q < length; q++) f[q] = out[start + q * stride]! / s2;
        lowerEnvelope(f, length, d, v, z);
        for (let q = 0; q < length; q++) out[start + q * stride] = Math.min(d[q]! * s2, FAR);
      }
    }
  }
  return out;
}

/** The 1D transform with unit spacing: d[q] = min over p of (q - p)² + f[p], by the lower envelope of the parabolas. */
export function lowerEnvelope(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
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
