import type { Random } from '../../util/random.js';
import type { AugmentationConfig } from './augmentation-config.js';
import { checkSquare, type LabelledImage } from './example-set.js';
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
  const warp = sampleWarp(rng, size, config.inTask);
  const plan = sampleIntensityPlan(rng, config.inTask);
  const image = warp ? resampleBilinear(pair.image, size, warp) : pair.image;
  const label = warp ? resampleLabel(pair.label, size, warp) : Float32Array.from(pair.label);
  return { image: applyIntensityPlan(rng, image, size, plan), label };
}
