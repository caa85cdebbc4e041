/**
 * A dense backward warp: output pixel i takes its value from source position (sx[i], sy[i]), in pixels.
 * Composing flips, affine and elastic into one such map resamples each image once, so repeated interpolation
 * does not blur it, and integer positions (flips, identity) copy values exactly.
 */
export interface Warp {
  sx: Float32Array;
  sy: Float32Array;
}

/** Per-pixel offsets in pixels (sx = dx, sy = dy), added to positions to make a Warp. */
export type Displacement = Warp;

/**
 * Source positions p + d1(p) + d2(p) + ... for displacement fields d, kept inside the frame: a label map fills
 * the whole image, so the border is extended rather than filled with background.
 */
export function framedWarp(size: number, displacements: Displacement[]): Warp {
  const sx = new Float32Array(size * size);
  const sy = new Float32Array(size * size);
  const last = size - 1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      let px = x;
      let py = y;
      for (const d of displacements) {
        px += d.sx[i]!;
        py += d.sy[i]!;
      }
      sx[i] = px < 0 ? 0 : px > last ? last : px;
      sy[i] = py < 0 ? 0 : py > last ? last : py;
    }
  }
  return { sx, sy };
}

/** Bilinear resampling; positions outside the image read 0 (background). */
export function resampleBilinear(src: Float32Array, size: number, warp: Warp): Float32Array {
  const out = new Float32Array(size * size);
  const { sx, sy } = warp;
  const last = size - 1;
  for (let i = 0; i < out.length; i++) {
    const x = sx[i]!;
    const y = sy[i]!;
    const x0 = Math.floor(x);
    const y0 = Math.floor(y);
    const fx = x - x0;
    const fy = y - y0;
    if (x0 >= 0 && y0 >= 0 && x0 < last && y0 < last) {
      const k = y0 * size + x0;
      const top = src[k]! + fx * (src[k + 1]! - src[k]!);
      const bottom = src[k + size]! + fx * (src[k + size + 1]! - src[k + size]!);
      out[i] = top + fy * (bottom - top);
    } else if (x0 >= -1 && y0 >= -1 && x0 <= last && y0 <= last) {
      const v00 = at(src, size, x0, y0);
      const v10 = at(src, size, x0 + 1, y0);
      const v01 = at(src, size, x0, y0 + 1);
      const v11 = at(src, size, x0 + 1, y0 + 1);
      out[i] = (1 - fy) * ((1 - fx) * v00 + fx * v10) + fy * ((1 - fx) * v01 + fx * v11);
    }
  }
  return out;
}

/** Labels are resampled bilinearly and thresholded at 0.5, which keeps boundaries smoother than nearest. */
export function resampleLabel(src: Float32Array, size: number, warp: Warp): Float32Array {
  const out = resampleBilinear(src, size, warp);
  for (let i = 0; i < out.length; i++) out[i] = out[i]! >= 0.5 ? 1 : 0;
  return out;
}

function at(src: Float32Array, size: number, x: number, y: number): number {
  return x >= 0 && y >= 0 && x < size && y < size ? src[y * size + x]! : 0;
}
