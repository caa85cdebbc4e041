import type { Random } from '../../util/random.js';
import { sampleRange, type AugmentationConfig } from './augmentation-config.js';
import { checkSquare, emptied, listToSet, setToList, type ExampleSet } from './example-set.js';
import { sampleWarp } from './geometry.js';
import { applyIntensityPlan, invert, sampleIntensityPlan, sobelMagnitude } from './intensity.js';
import { applyIntensityCurve, sampleIntensityCurve } from './intensity-curve.js';
import { applyModalityNoise, sampleModalityNoise } from './modality-noise.js';
import { dilate, erode, labelEdges } from './morphology.js';
import { paintThinStructure, sampleThinStructure } from './thin-structure.js';
import { resampleBilinear, resampleLabel } from './warp.js';

/**
 * Task augmentation: every augmentation is drawn once and applied to the query and all support pairs alike,
 * which turns the set into a new task (flipped, inverted, edge-labelled, ...). Returns new arrays.
 */
export function augmentTask(rng: Random, set: ExampleSet, size: number, config: AugmentationConfig): ExampleSet {
  const c = config.task;
  const list = setToList(set);
  list.forEach((pair, i) => {
    checkSquare(pair.image, size, `augmentTask image ${i}`);
    checkSquare(pair.label, size, `augmentTask label ${i}`);
  });

  let warp = sampleWarp(rng, size, c);
  const edges = rng.chance(c.labelEdges.p);
  const morphology = rng.chance(c.labelMorphology.p)
    ? { grow: rng.chance(0.5), radius: Math.max(1, Math.round(sampleRange(rng, c.labelMorphology.radius))) }
    : null;
  const sobel = rng.chance(c.sobelImage.p);
  const inverted = rng.chance(c.invertIntensity.p);
  const plan = sampleIntensityPlan(rng, c);
  // Drawn only when asked for, so that runs without it keep their random sequence.
  const curve = c.intensityCurve.p > 0 && rng.chance(c.intensityCurve.p) ? sampleIntensityCurve(rng, c.intensityCurve.knots) : null;
  const thin =
    c.thinStructure.p > 0 && rng.chance(c.thinStructure.p) ? sampleThinStructure(rng, size, c.thinStructure, list[0]!.image) : null;
  const noise = c.modalityNoise.p > 0 && rng.chance(c.modalityNoise.p) ? sampleModalityNoise(rng, c.modalityNoise.strength) : null;

  let labels: Float32Array[] = list.map(({ label }) => Float32Array.from(label));
  if (warp) {
    const w = warp;
    const warped = alikeUnlessEmptied(labels, (l) => resampleLabel(l, size, w));
    if (warped === labels) warp = null;
    else labels = warped;
  }
  if (morphology) {
    const { grow, radius } = morphology;
    labels = alikeUnlessEmptied(labels, (l) => (grow ? dilate(l, size, radius) : erode(l, size, radius)));
  }
  if (edges) labels = alikeUnlessEmptied(labels, (l) => labelEdges(l, size));

  let images = list.map(({ image }) => (warp ? resampleBilinear(image, size, warp) : image));
  const painted = thin ? paintThinStructure(rng, images, size, thin) : null;
  if (painted) {
    images = painted.map((p) => p.image);
    labels = painted.map((p) => p.label);
  }
  const augmented = images.map((image, i) => {
    let out = image;
    if (sobel) out = sobelMagnitude(out, size);
    if (inverted) out = invert(out);
    if (curve) out = applyIntensityCurve(out, curve);
    out = applyIntensityPlan(rng, out, size, plan);
    return { image: noise ? applyModalityNoise(rng, out, size, noise) : out, label: labels[i]! };
  });
  return listToSet(augmented);
}

/**
 * Applies a label operation to every label, or to none (returning `labels` itself) when it would empty a
 * label that had foreground (a warp out of the frame, erosion of a thin structure, edges of a label that fills
 * the frame): the set must stay one valid task.
 */
function alikeUnlessEmptied(labels: Float32Array[], op: (label: Float32Array) => Float32Array): Float32Array[] {
  const changed = labels.map(op);
  return labels.some((label, i) => emptied(label, changed[i]!)) ? labels : changed;
}
