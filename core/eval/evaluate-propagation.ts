import { extractSlice } from '../data/extract-slice.js';
import { insertSlice } from '../data/insert-slice.js';
import type { Axis, LabelVolume } from '../data/volume.js';
import { DEFAULT_PROPAGATION_SUPPORT, propagateVolume } from '../infer/propagate-volume.js';
import { SHAPE_PRIOR_WEIGHT } from '../infer/shape-prior.js';
import type { Model } from '../model/model.js';
import { contourInterpolation, nearestSliceCopy } from './baselines.js';
import { cropSlices } from './crop-slices.js';
import { diceOf, overlap, type Overlap } from './dice.js';
import type { HeldoutData, HeldoutRegion } from './heldout-data.js';

/**
 * `universeg` is propagation as the workstation runs it (the network weighed against the interpolated shape);
 * `network` the network alone and `shapeInterpolation` the shape alone, to show what each part brings.
 */
export const PROPAGATION_METHODS = ['universeg', 'network', 'shapeInterpolation', 'nearestSlice', 'contourInterpolation'] as const;
export type PropagationMethod = (typeof PROPAGATION_METHODS)[number];

export interface PropagationOptions {
  axis: Axis;
  /** Every step-th slice (0, step, 2·step, ...) is labelled, empty or not. */
  step: number;
  supportSize?: number;
  ensemble?: number;
  seed: number;
  signal?: AbortSignal;
  /** Fraction of this region's network work done, 0..1. */
  onProgress?: (fraction: number) => void;
}

export interface RegionPropagation {
  region: HeldoutRegion;
  axis: Axis;
  step: number;
  /** Every step-th slice, labelled as the truth has it; `labelledWithRegion` of them show the region. */
  labelledSlices: number[];
  labelledWithRegion: number;
  /** Slices the methods filled: from the last empty labelled slice below the region to the first above it. */
  range: [number, number];
  /** Unlabelled slices where the truth or any method has foreground, and each method's overlap counts on them. */
  slices: number[];
  overlaps: Record<PropagationMethod, Overlap[]>;
  /** Volume Dice over all unlabelled slices. */
  dice: Record<PropagationMethod, number>;
  networkRuns: number;
}

/**
 * The labelling a user would make to propagate one region: every step-th slice across the whole volume, and
 * the range from the empty labelled slice just below the region to the one just above it (or the volume's
 * end), where propagation runs. Undefined when no labelled slice shows the region.
 */
export function propagationSetup(truth: LabelVolume, axis: Axis, step: number): { labelled: number[]; withRegion: number; range: [number, number] } | undefined {
  if (!Number.isInteger(step) || step < 2) throw new RangeError(`labelling every step-th slice needs an integer step >= 2, got ${step}`);
  const n = truth.size[axis];
  const all = Array.from({ length: Math.ceil(n / step) }, (_, i) => i * step);
  const showing = all.filter((s) => extractSlice(truth, axis, s).data.some((v) => v !== 0));
  if (showing.length === 0) return undefined;
  const range: [number, number] = [Math.max(0, showing[0]! - step), Math.min(n - 1, showing.at(-1)! + step)];
  return { labelled: all, withRegion: showing.length, range };
}

/**
 * Volume propagation of one held-out region against the baselines, all from the same labelled slices. The
 * network fills the slices between the outermost labelled slices around the region (a user labels through the
 * structure and one empty slice beyond each end); beyond them every method predicts nothing, and any truth
 * found there counts as missed. Dice counts only the slices that were not labelled.
 */
export async function evaluatePropagation(model: Model, data: HeldoutData, region: HeldoutRegion, options: PropagationOptions): Promise<RegionPropagation | { skipped: string }> {
  const { axis, step } = options;
  const truth: LabelVolume = { ...data.labels, data: data.labels.data.map((v) => (v === region.id ? 1 : 0)) };
  const setup = propagationSetup(truth, axis, step);
  if (!setup) return { skipped: `${region.id} ${region.name}: no slice labelled every ${step}th along axis ${axis} shows it` };
  const [first, last] = setup.range;
  const image = cropSlices(data.image, axis, first, last);
  const truthCrop = cropSlices(truth, axis, first, last);
  const labelled = setup.labelled.filter((s) => s >= first && s <= last).map((s) => s - first);
  const partial: LabelVolume = { ...truthCrop, data: new Uint8Array(truthCrop.data.length) };
  for (const s of labelled) insertSlice(partial, axis, s, extractSlice(truthCrop, axis, s));

  // The network runs twice, alone and weighed against the shape. The weight is part of each group's seed, so with
  // K > 1 the two runs draw their members apart; with K = 1 (the default) each uses its whole pool.
  const propagate = (networkWeight: number, part?: number) =>
    propagateVolume(model, image, partial, {
      axis,
      labelledSlices: labelled,
      supportSize: options.supportSize ?? DEFAULT_PROPAGATION_SUPPORT,
      ensemble: options.ensemble ?? 1,
      seed: options.seed,
      networkWeight,
      signal: options.signal,
      onProgress: (done, total) => part !== undefined && options.onProgress?.((part + (total > 0 ? done / total : 1)) / 2),
    });
  const shipped = await propagate(SHAPE_PRIOR_WEIGHT, 0);
  const network = await propagate(1, 1);
  const predictions: Record<PropagationMethod, LabelVolume> = {
    universeg: shipped.labels,
    network: network.labels,
    shapeInterpolation: (await propagate(0)).labels,
    nearestSlice: nearestSliceCopy(partial, axis, labelled),
    contourInterpolation: await contourInterpolation(partial, axis, labelled),
  };

  const isLabelled = new Set(setup.labelled);
  const slices: number[] = [];
  const overlaps = Object.fromEntries(PROPAGATION_METHODS.map((m) => [m, [] as Overlap[]])) as Record<PropagationMethod, Overlap[]>;
  for (let s = 0; s < truth.size[axis]; s++) {
    if (isLabelled.has(s)) continue;
    const t = extractSlice(truth, axis, s).data;
    const inRange = s >= first && s <= last;
    const counts = PROPAGATION_METHODS.map((m) => (inRange ? overlap(extractSlice(predictions[m], axis, s - first).data, t) : overlap(new Uint8Array(t.length), t)));
    if (counts.every((c) => c.sizeSum === 0)) continue;
    slices.push(s);
    PROPAGATION_METHODS.forEach((m, i) => overlaps[m].push(counts[i]!));
  }
  const total = (counts: Overlap[]) => counts.reduce((a, c) => ({ intersection: a.intersection + c.intersection, sizeSum: a.sizeSum + c.sizeSum }), { intersection: 0, sizeSum: 0 });
  return {
    region,
    axis,
    step,
    labelledSlices: setup.labelled,
    labelledWithRegion: setup.withRegion,
    range: setup.range,
    slices,
    overlaps,
    dice: Object.fromEntries(PROPAGATION_METHODS.map((m) => [m, diceOf(total(overlaps[m]))])) as Record<PropagationMethod, number>,
    networkRuns: shipped.networkRuns + network.networkRuns,
  };
}
