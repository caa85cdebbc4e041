import type { Random } from '../../util/random.js';
import { sampleRange, type AffineAugmentation, type GeometricAugmentations } from './augmentation-config.js';
import { smoothNoise } from './smooth-field.js';
import type { Displacement, Warp } from './warp.js';

/** Maps an output offset from the image centre to a source offset: 2x2 matrix [a b; c d] plus a shift. */
export interface AffineMatrix {
  a: number;
  b: number;
  c: number;
  d: number;
  tx: number;
  ty: number;
}

/**
 * Draws flips, affine and elastic deformation (each with its own probability) and composes them into one warp,
 * or returns null when none was drawn, so the caller can skip resampling.
 */
export function sampleWarp(rng: Random, size: number, config: GeometricAugmentations): Warp | null {
  const flipX = rng.chance(config.flipHorizontal.p);
  const flipY = rng.chance(config.flipVertical.p);
  const affine = rng.chance(config.affine.p) ? sampleAffine(rng, size, config.affine) : null;
  let elastic: Displacement | null = null;
  if (rng.chance(config.elastic.p)) {
    const spacing = Math.max(2, sampleRange(rng, config.elastic.spacing) * size);
    const magnitude = sampleRange(rng, config.elastic.magnitude) * size;
    elastic = displacementField(rng, size, spacing, magnitude);
  }
  if (!flipX && !flipY && !affine && !elastic) return null;
  return composeWarp(size, { flipX, flipY, affine, elastic });
}

function sampleAffine(rng: Random, size: number, config: AffineAugmentation): AffineMatrix {
  const rotation = (sampleRange(rng, config.rotation) * Math.PI) / 180;
  const zoom = sampleRange(rng, config.scale);
  const shear = Math.tan((sampleRange(rng, config.shear) * Math.PI) / 180);
  const tx = sampleRange(rng, config.translate) * size;
  const ty = sampleRange(rng, config.translate) * size;
  // Backward map: source offset = (1 / zoom) * R(rotation) * Shear * output offset - shift.
  const cos = Math.cos(rotation) / zoom;
  const sin = Math.sin(rotation) / zoom;
  return { a: cos, b: cos * shear - sin, c: sin, d: sin * shear + cos, tx: -tx, ty: -ty };
}

/** A smooth random displacement field: two B-spline noise fields scaled to `magnitude` pixels. */
export function displacementField(rng: Random, size: number, spacing: number, magnitude: number): Displacement {
  const sx = smoothNoise(rng, size, spacing);
  const sy = smoothNoise(rng, size, spacing);
  for (let i = 0; i < sx.length; i++) {
    sx[i]! *= magnitude;
    sy[i]! *= magnitude;
  }
  return { sx, sy };
}

export interface WarpParts {
  flipX: boolean;
  flipY: boolean;
  affine: AffineMatrix | null;
  /** Added to the source positions. */
  elastic: Displacement | null;
}

export function composeWarp(size: number, parts: WarpParts): Warp {
  const { flipX, flipY, affine, elastic } = parts;
  const sx = new Float32Array(size * size);
  const sy = new Float32Array(size * size);
  const centre = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    const py = flipY ? size - 1 - y : y;
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      let px = flipX ? size - 1 - x : x;
      let qy = py;
      if (affine) {
        const dx = px - centre;
        const dy = qy - centre;
        px = centre + affine.a * dx + affine.b * dy + affine.tx;
        qy = centre + affine.c * dx + affine.d * dy + affine.ty;
      }
      if (elastic) {
        px += elastic.sx[i]!;
        qy += elastic.sy[i]!;
      }
      sx[i] = px;
      sy[i] = qy;
    }
  }
  return { sx, sy };
}
