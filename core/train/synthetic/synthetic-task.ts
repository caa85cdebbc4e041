import type { Random } from '../../util/random.js';
import { sampleRange, type Range } from '../augment/augmentation-config.js';
import type { LabelledImage } from '../augment/example-set.js';
import { displacementField } from '../augment/geometry.js';
import { framedWarp, type Displacement } from '../augment/warp.js';
import { argmaxLabels, smoothChannels, warpLabelMap } from './label-map.js';
import { renderImage, type Appearance } from './render.js';

/** A smooth deformation: control-point spacing and displacement std, both as fractions of the image size. */
export interface DeformationRange {
  spacing: Range;
  magnitude: Range;
}

export interface SyntheticTaskOptions {
  /** How many labels the map has (integer range). */
  labels: Range;
  /** Control-point spacing of the noise channels, as a fraction of the size: larger gives larger regions. */
  shapeSpacing: Range;
  /** The task's deformation of the channels before the argmax, which makes the regions less round. */
  shapeWarp: DeformationRange;
  /** Each example's own deformation of the task's map: the difference between subjects. */
  subjectWarp: DeformationRange;
  /** Accepted foreground fraction of the target label on the task's map. */
  targetFraction: Range;
  /** Range of the per-label mean intensities (before rescaling to [0, 1]). */
  intensity: Range;
  /** Per example std of each label's mean. */
  intensityJitter: Range;
  /** Per label texture std. */
  texture: Range;
  /** Blur sigma in pixels. */
  blurSigma: Range;
  /** Std of the log bias field. */
  bias: Range;
  /** Std of the final noise. */
  noise: Range;
}

export function defaultSyntheticTaskOptions(): SyntheticTaskOptions {
  return {
    labels: [8, 16],
    shapeSpacing: [0.1, 0.25],
    shapeWarp: { spacing: [0.1, 0.25], magnitude: [0.02, 0.06] },
    subjectWarp: { spacing: [0.2, 0.4], magnitude: [0.01, 0.04] },
    targetFraction: [0.03, 0.5],
    intensity: [0.1, 1],
    intensityJitter: [0, 0.05],
    texture: [0, 0.1],
    blurSigma: [0.3, 1.2],
    bias: [0, 0.3],
    noise: [0, 0.04],
  };
}

/** A family of images that share one random anatomy; `target` is the label that is segmented. */
export interface SyntheticTask {
  size: number;
  labelCount: number;
  target: number;
  /** A new example: the task's map under a new deformation, rendered with this task's appearance. */
  sample(rng: Random): LabelledImage;
}

/** A SynthMorph-style task: argmax of warped smooth noise channels, rendered with per-label intensities. */
export function createSyntheticTask(rng: Random, size: number, options: Partial<SyntheticTaskOptions> = {}): SyntheticTask {
  if (!Number.isInteger(size) || size < 8) throw new Error(`createSyntheticTask: size must be an integer >= 8, got ${size}`);
  const o = { ...defaultSyntheticTaskOptions(), ...options };
  const labelCount = Math.round(sampleRange(rng, o.labels));
  if (labelCount < 2 || labelCount > 255) throw new Error(`createSyntheticTask: labels must be within 2..255, got ${labelCount}`);

  // The task's map is the argmax of the channels under the shape deformation; an example adds its own
  // displacement to that one, which costs one label-map warp instead of a warp of every channel.
  const channels = smoothChannels(rng, size, labelCount, sampleRange(rng, o.shapeSpacing) * size);
  const labels = argmaxLabels(channels, labelCount, size);
  const shape = displacement(rng, size, sampleRange(rng, o.shapeWarp.spacing), sampleRange(rng, o.shapeWarp.magnitude));
  const taskMap = warpLabelMap(channels, labels, size, framedWarp(size, [shape]));
  const target = chooseTarget(rng, taskMap, labelCount, o.targetFraction);
  const means = Float32Array.from({ length: labelCount }, () => sampleRange(rng, o.intensity));
  means[target] = distinctMean(
    rng,
    o.intensity,
    [...neighbours(taskMap, size, target)].map((l) => means[l]!),
  );

  const look: Appearance = {
    means,
    textures: Float32Array.from({ length: labelCount }, () => sampleRange(rng, o.texture)),
    meanJitter: sampleRange(rng, o.intensityJitter),
    blurSigma: sampleRange(rng, o.blurSigma),
    bias: sampleRange(rng, o.bias),
    noise: sampleRange(rng, o.noise),
  };
  // How much subjects differ is a property of the task; each example then draws its own field.
  const subjectSpacing = sampleRange(rng, o.subjectWarp.spacing);
  const subjectMagnitude = sampleRange(rng, o.subjectWarp.magnitude);

  return {
    size,
    labelCount,
    target,
    sample(exampleRng: Random): LabelledImage {
      const warp = framedWarp(size, [shape, displacement(exampleRng, size, subjectSpacing, subjectMagnitude)]);
      const map = warpLabelMap(channels, labels, size, warp);
      const label = new Float32Array(map.length);
      for (let i = 0; i < map.length; i++) label[i] = map[i] === target ? 1 : 0;
      return { image: renderImage(exampleRng, map, size, look), label };
    },
  };
}

/**
 * The best of a few draws for the target's mean: the farthest from the means of the labels around it. A
 * target with the intensity of its surroundings cannot be segmented and would only teach the network noise.
 */
function distinctMean(rng: Random, range: Range, around: number[]): number {
  let best = sampleRange(rng, range);
  const gap = (m: number): number => Math.min(...around.map((a) => Math.abs(a - m)));
  for (let draw = 1; draw < 8; draw++) {
    const m = sampleRange(rng, range);
    if (gap(m) > gap(best)) best = m;
  }
  return best;
}

/** Labels that touch `label` (4-connected). */
function neighbours(map: Uint8Array, size: number, label: number): Set<number> {
  const found = new Set<number>();
  const pair = (a: number, b: number): void => {
    if (a === label && b !== label) found.add(b);
    else if (b === label && a !== label) found.add(a);
  };
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      if (x + 1 < size) pair(map[i]!, map[i + 1]!);
      if (y + 1 < size) pair(map[i]!, map[i + size]!);
    }
  }
  return found;
}

/** Spacing and magnitude as fractions of the size. */
function displacement(rng: Random, size: number, spacing: number, magnitude: number): Displacement {
  return displacementField(rng, size, Math.max(2, spacing * size), magnitude * size);
}

/** A random label whose area is within `fraction`; if none is, the one closest to that range. */
function chooseTarget(rng: Random, labels: Uint8Array, count: number, [lo, hi]: Range): number {
  const area = new Float64Array(count);
  for (let i = 0; i < labels.length; i++) area[labels[i]!]! += 1 / labels.length;
  const fits = [...area.keys()].filter((l) => area[l]! >= lo && area[l]! <= hi);
  if (fits.length > 0) return fits[rng.int(fits.length)]!;
  const miss = (l: number): number => Math.max(lo - area[l]!, area[l]! - hi);
  return [...area.keys()].reduce((best, l) => (miss(l) < miss(best) ? l : best), 0);
}
