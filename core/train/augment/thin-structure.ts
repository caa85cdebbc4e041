import type { Random } from '../../util/random.js';
import { sampleRange, type ThinStructureRange } from './augmentation-config.js';
import { gaussianBlur } from './blur.js';
import type { LabelledImage } from './example-set.js';
import { displacementField } from './geometry.js';
import { smoothNoise } from './smooth-field.js';
import { framedWarp, resampleBilinear } from './warp.js';

/**
 * A thin curvilinear structure painted into every image of a task, which becomes the task's label: vessels, a
 * cortical ribbon, a membrane, 1-4 px wide. Real label maps at 128 px rarely have any, and the model fell off on
 * thin targets (MODEL_CARD.md); the label rims (labelEdges) teach boundaries of regions the image already shows,
 * this teaches thin objects of their own intensity.
 */
export interface ThinStructure {
  /** The smooth field whose level set the structure follows. */
  field: Float32Array;
  level: number;
  /** Half the width, in pixels. */
  halfWidth: number;
  /** Intensity painted inside (before the task's intensity changes) and how opaque it is. */
  intensity: number;
  opacity: number;
}

/** Drawn once per task; `reference` (the query image) decides an intensity that stands out from what it covers. */
export function sampleThinStructure(rng: Random, size: number, range: ThinStructureRange, reference: Float32Array): ThinStructure | null {
  const field = smoothNoise(rng, size, Math.max(2, sampleRange(rng, range.spacing) * size));
  // The field's std is about 0.48; a level within it crosses the frame.
  const level = rng.uniform(-0.3, 0.3);
  const halfWidth = sampleRange(rng, range.halfWidth);
  const band = thinBand(field, size, level, halfWidth);
  let covered = 0;
  let sum = 0;
  for (let i = 0; i < band.length; i++) {
    if (band[i]) {
      covered++;
      sum += reference[i]!;
    }
  }
  if (covered < size) return null;
  const under = sum / covered;
  // At least 0.3 away from the mean it covers, on whichever side has room.
  const intensity = under > 0.5 ? rng.uniform(0, under - 0.3) : rng.uniform(under + 0.3, 1);
  return { field, level, halfWidth, intensity, opacity: rng.uniform(0.6, 1) };
}

/**
 * Pixels within `halfWidth` of the level set of `field`: |f - level| <= halfWidth * |grad f| is the first-order
 * distance to the curve, so the band keeps its width where the field is steep or flat.
 */
export function thinBand(field: Float32Array, size: number, level: number, halfWidth: number): Float32Array {
  const band = new Float32Array(size * size);
  const last = size - 1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const gx = (field[y * size + Math.min(last, x + 1)]! - field[y * size + Math.max(0, x - 1)]!) / (x > 0 && x < last ? 2 : 1);
      const gy = (field[Math.min(last, y + 1) * size + x]! - field[Math.max(0, y - 1) * size + x]!) / (y > 0 && y < last ? 2 : 1);
      band[i] = Math.abs(field[i]! - level) <= halfWidth * Math.hypot(gx, gy) ? 1 : 0;
    }
  }
  return band;
}

/**
 * Each image gets the structure under a small deformation of its own (another subject, or the next slice), with a
 * partial-volume edge; the label is the band. Null when the deformation leaves an image without any of it.
 */
export function paintThinStructure(rng: Random, images: readonly Float32Array[], size: number, s: ThinStructure): LabelledImage[] | null {
  const painted: LabelledImage[] = [];
  for (const image of images) {
    // Kept inside the frame: outside it the field would read 0 and draw a band along the border.
    const warp = framedWarp(size, [displacementField(rng, size, 0.3 * size, rng.uniform(0.005, 0.02) * size)]);
    const label = thinBand(resampleBilinear(s.field, size, warp), size, s.level, s.halfWidth);
    if (!label.includes(1)) return null;
    const alpha = gaussianBlur(label, size, 0.5);
    const out = new Float32Array(image.length);
    for (let i = 0; i < out.length; i++) {
      // Fully painted inside, softened just outside, as a structure partly filling a pixel looks.
      const a = s.opacity * Math.max(label[i]!, alpha[i]!);
      out[i] = image[i]! * (1 - a) + s.intensity * a;
    }
    painted.push({ image: out, label });
  }
  return painted;
}
