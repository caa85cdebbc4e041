import type { Random } from '../../util/random.js';
import type { AugmentationConfig } from './augmentation-config.js';
import { checkSquare, emptied, type LabelledImage } from './example-set.js';
import { sampleWarp } from './geometry.js';
import { applyIntensityPlan, sampleIntensityPlan } from './intensity.js';
import { resampleBilinear, resampleLabel } from './warp.js';

/**
 * In-task augmentation of one image and its label (paper: applied to the query and to each support pair
 * independently). Returns new arrays; the input is left untouched so cached real data can be reused.
 */
export function augmentPair(rng: Random, pair: LabelledImage, size: number, config: AugmentationConfig): LabelledImage {
  checkSquare(pair.image, size, 'augmentPair image');
  checkSquare(pair.label, size, 'augmentPair label');
  let warp = sampleWarp(rng, size, config.inTask);
  const plan = sampleIntensityPlan(rng, config.inTask);
  let label = warp ? resampleLabel(pair.label, size, warp) : Float32Array.from(pair.label);
  // A warp that moves the whole structure out of the frame is dropped rather than leaving an empty label.
  if (warp && emptied(pair.label, label)) {
    warp = null;
    label = Float32Array.from(pair.label);
  }
  const image = warp ? resampleBilinear(pair.image, size, warp) : pair.image;
  return { image: applyIntensityPlan(rng, image, size, plan), label };
}
