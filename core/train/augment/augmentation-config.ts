import type { Random } from '../../util/random.js';

/** A closed interval [min, max] from which a parameter is drawn uniformly. */
export type Range = readonly [number, number];

export function sampleRange(rng: Random, [min, max]: Range): number {
  return min === max ? min : rng.uniform(min, max);
}

/** An augmentation with no parameter: applied with probability p. */
export interface Chance {
  p: number;
}

export interface AffineAugmentation extends Chance {
  /** Degrees. */
  rotation: Range;
  /** Isotropic zoom factor (> 1 enlarges the content). */
  scale: Range;
  /** Shift along each axis, as a fraction of the image size, drawn independently for x and y. */
  translate: Range;
  /** Horizontal shear angle, degrees. */
  shear: Range;
}

export interface ElasticAugmentation extends Chance {
  /** Distance between the random control points of the displacement field, as a fraction of the image size. */
  spacing: Range;
  /** Standard deviation of the control-point displacements, as a fraction of the image size. */
  magnitude: Range;
}

export interface GeometricAugmentations {
  flipHorizontal: Chance;
  flipVertical: Chance;
  affine: AffineAugmentation;
  elastic: ElasticAugmentation;
}

export interface IntensityAugmentations {
  /** x -> (x - mean) * contrast + mean + brightness. */
  brightnessContrast: Chance & { brightness: Range; contrast: Range };
  /** Gaussian blur, sigma in pixels. */
  blur: Chance & { sigma: Range };
  /** Unsharp mask x + amount * (x - blur(x, sigma 1)). */
  sharpen: Chance & { amount: Range };
  /** Additive gaussian noise, std in intensity units. */
  noise: Chance & { std: Range };
}

/** How thin structures are drawn (thin-structure.ts). */
export interface ThinStructureRange {
  /** Half width in pixels. */
  halfWidth: Range;
  /** Spacing of the field's control points as a fraction of the size: small gives tortuous curves. */
  spacing: Range;
}

/** Augmentations that only make sense for a whole task: they change what the task is. */
export interface TaskOnlyAugmentations {
  /** x -> 1 - x. */
  invertIntensity: Chance;
  /** The image becomes its normalised Sobel gradient magnitude. */
  sobelImage: Chance;
  /** The label becomes its boundary: a band two pixels wide (dilation minus erosion). */
  labelEdges: Chance;
  /** Dilate or erode (even odds) every label by a square of this radius (integer pixels). */
  labelMorphology: Chance & { radius: Range };
  /**
   * Intensities through one random curve (intensity-curve.ts): piecewise linear through a random level at each of
   * `knots` + 1 evenly spaced intensities, so that tissues swap their order as they do between modalities.
   */
  intensityCurve: Chance & { knots: Range };
  /** A thin curvilinear structure painted into every image becomes the label (thin-structure.ts). */
  thinStructure: Chance & ThinStructureRange;
  /** One modality's noise (Rician, speckle, photon, correlated: modality-noise.ts), strength 0..1. */
  modalityNoise: Chance & { strength: Range };
}

export interface AugmentationConfig {
  /** Drawn independently for every image of a set (the query and each support pair). */
  inTask: GeometricAugmentations & IntensityAugmentations;
  /** Drawn once per set and applied to all its images alike, after the in-task augmentations. */
  task: GeometricAugmentations & IntensityAugmentations & TaskOnlyAugmentations;
}

/**
 * Defaults after the UniverSeg paper's appendix (in-task: affine p 0.5 with any rotation, scale 0.8-1.1,
 * brightness/contrast, elastic, blur sigma 0.1-1.1, noise std <= 0.05, sharpness; task: flips, intensity
 * inversion, Sobel edge labels and the same photometric set). Task-level probabilities are lower than the
 * paper's 0.5 so that a typical set gets one or two task augmentations rather than five.
 * A fresh object each call, so callers may edit it.
 */
export function defaultAugmentationConfig(): AugmentationConfig {
  return {
    inTask: {
      flipHorizontal: { p: 0.25 },
      flipVertical: { p: 0.25 },
      affine: { p: 0.5, rotation: [-180, 180], scale: [0.8, 1.1], translate: [-0.1, 0.1], shear: [-10, 10] },
      elastic: { p: 0.25, spacing: [0.08, 0.2], magnitude: [0.005, 0.02] },
      brightnessContrast: { p: 0.5, brightness: [-0.1, 0.1], contrast: [0.8, 1.2] },
      blur: { p: 0.25, sigma: [0.1, 1.1] },
      sharpen: { p: 0.25, amount: [0.5, 2] },
      noise: { p: 0.25, std: [0, 0.05] },
    },
    task: {
      flipHorizontal: { p: 0.5 },
      flipVertical: { p: 0.5 },
      affine: { p: 0.2, rotation: [-180, 180], scale: [0.9, 1.1], translate: [-0.1, 0.1], shear: [0, 0] },
      elastic: { p: 0.2, spacing: [0.1, 0.25], magnitude: [0.01, 0.03] },
      brightnessContrast: { p: 0.25, brightness: [-0.1, 0.1], contrast: [0.7, 1.3] },
      blur: { p: 0.15, sigma: [0.5, 1.5] },
      sharpen: { p: 0.15, amount: [0.5, 2] },
      noise: { p: 0.15, std: [0, 0.05] },
      invertIntensity: { p: 0.3 },
      sobelImage: { p: 0.1 },
      labelEdges: { p: 0.15 },
      labelMorphology: { p: 0.15, radius: [1, 2] },
      // Off unless a run asks for it (universeg train --intensity-curves P): the shipped weights were trained without.
      intensityCurve: { p: 0, knots: [2, 5] },
      // Off unless asked for (--thin-structures P, --modality-noise P), for the same reason.
      thinStructure: { p: 0, halfWidth: [0.5, 2], spacing: [0.15, 0.4] },
      modalityNoise: { p: 0, strength: [0, 1] },
    },
  };
}

/** The config with no in-task geometry (flips, affine, elastic): per-pair changes of intensity only. */
export function photometricInTask(config: AugmentationConfig): AugmentationConfig {
  const { inTask } = config;
  return {
    ...config,
    inTask: {
      ...inTask,
      flipHorizontal: { p: 0 },
      flipVertical: { p: 0 },
      affine: { ...inTask.affine, p: 0 },
      elastic: { ...inTask.elastic, p: 0 },
    },
  };
}
