import { extractSlice } from '../data/extract-slice.js';
import { insertSlice } from '../data/insert-slice.js';
import type { Axis, LabelVolume } from '../data/volume.js';
import { DEFAULT_PROPAGATION_SUPPORT, propagateVolume, type PropagateOptions } from '../infer/propagate-volume.js';
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

/**
 * How the user labelled the slices the methods start from:
 * - `grid`: every step-th slice across the whole volume (offset, offset + step, ...; offset 0 unless given), empty
 *   ones included, and propagation only between the empty labelled slices just outside the structure. Other
 *   offsets put a structure's ends elsewhere between labelled slices: more end cases from the same regions;
 * - `extent`: from the first slice showing the structure every step-th, up to its last; no empty slice anywhere,
 *   as a user labels from where a structure starts to where it ends;
 * - `sparse`: `count` slices across the structure's extent, at the centres of `count` equal parts, so that it runs
 *   on past the outermost ones by half a spacing.
 * In the last two the whole volume is propagated: where a structure ends is the method's to find.
 */
export type LabellingRegime =
  { kind: 'grid'; step: number; offset?: number } | { kind: 'extent'; step: number } | { kind: 'sparse'; count: number };

export const DEFAULT_REGIMES: readonly LabellingRegime[] = [
  { kind: 'extent', step: 10 },
  { kind: 'sparse', count: 3 },
  { kind: 'grid', step: 10 },
  { kind: 'grid', step: 20 },
];

/** `extent:10`, `sparse:3`, `grid:20`, `grid:20@5`: how a regime is written on the command line and in reports. */
export function regimeName(regime: LabellingRegime): string {
  if (regime.kind === 'sparse') return `sparse:${regime.count}`;
  const offset = regime.kind === 'grid' && regime.offset ? `@${regime.offset}` : '';
  return `${regime.kind}:${regime.step}${offset}`;
}

export function parseRegime(text: string): LabellingRegime {
  const match = /^(grid|extent|sparse):(\d+)(?:@(\d+))?$/.exec(text.trim());
  const n = match ? Number(match[2]) : NaN;
  const offset = match?.[3] === undefined ? 0 : Number(match[3]);
  if (!match || (match[1] === 'sparse' ? n < 1 : n < 2) || (offset !== 0 && (match[1] !== 'grid' || offset >= n)))
    throw new RangeError(`a labelling regime is grid:K[@O] (K >= 2, 0 <= O < K), extent:K (K >= 2) or sparse:C (C >= 1), got '${text}'`);
  if (match[1] === 'sparse') return { kind: 'sparse', count: n };
  return match[1] === 'grid' && offset ? { kind: 'grid', step: n, offset } : { kind: match[1] as 'grid' | 'extent', step: n };
}

export interface PropagationOptions {
  axis: Axis;
  regime: LabellingRegime;
  supportSize?: number;
  ensemble?: number;
  seed: number;
  /** Settings of the shipped method under test (defaults: propagateVolume's). */
  propagate?: Pick<PropagateOptions, 'endReach' | 'networkWeight' | 'registration' | 'alignSupport' | 'axisSmoothing'>;
  signal?: AbortSignal;
  /** Fraction of this region's network work done, 0..1. */
  onProgress?: (fraction: number) => void;
}

export interface RegionPropagation {
  region: HeldoutRegion;
  axis: Axis;
  regime: LabellingRegime;
  labelledSlices: number[];
  labelledWithRegion: number;
  /** Slices the methods filled. */
  range: [number, number];
  /** First and last slice of the truth, and of the region as the shipped method predicted it. */
  extent: { truth: [number, number]; predicted: [number, number] };
  /** Unlabelled slices where the truth or any method has foreground, and each method's overlap counts on them. */
  slices: number[];
  overlaps: Record<PropagationMethod, Overlap[]>;
  /** Volume Dice over all unlabelled slices. */
  dice: Record<PropagationMethod, number>;
  /** Predicted voxels on slices outside the truth's extent, as a fraction of the truth's voxels. */
  beyond: Record<PropagationMethod, number>;
  /** The shipped method's own estimate of its Dice (propagateVolume's estimatedDice). */
  estimatedDice: number | null;
  /** Dice between the network's and the shape's masks in the shipped method (propagateVolume's agreement). */
  agreement: number | null;
  networkRuns: number;
}

/**
 * The labelling a user would make to propagate one region (see LabellingRegime) and the range propagation runs
 * over. Undefined when no labelled slice shows the region.
 */
export function propagationSetup(
  truth: LabelVolume,
  axis: Axis,
  regime: LabellingRegime,
): { labelled: number[]; withRegion: number; range: [number, number]; extent: [number, number] } | undefined {
  const n = truth.size[axis];
  const showing = Array.from({ length: n }, (_, s) => s).filter((s) => extractSlice(truth, axis, s).data.some((v) => v !== 0));
  if (showing.length === 0) return undefined;
  const extent: [number, number] = [showing[0]!, showing.at(-1)!];
  if (regime.kind === 'grid') {
    const { step } = regime;
    if (!Number.isInteger(step) || step < 2) throw new RangeError(`labelling every step-th slice needs an integer step >= 2, got ${step}`);
    const offset = regime.offset ?? 0;
    const all = Array.from({ length: Math.ceil((n - offset) / step) }, (_, i) => offset + i * step);
    const withRegion = all.filter((s) => s >= extent[0] && s <= extent[1] && showing.includes(s));
    if (withRegion.length === 0) return undefined;
    const range: [number, number] = [Math.max(0, withRegion[0]! - step), Math.min(n - 1, withRegion.at(-1)! + step)];
    return { labelled: all, withRegion: withRegion.length, range, extent };
  }
  const [first, last] = extent;
  const picks =
    regime.kind === 'extent'
      ? Array.from({ length: Math.floor((last - first) / regime.step) + 1 }, (_, i) => first + i * regime.step)
      : Array.from({ length: regime.count }, (_, i) => Math.round(first + ((2 * i + 1) * (last - first)) / (2 * regime.count)));
  // A region can skip slices (a gyrus that leaves the plane): only slices showing it are labelled, as a user would.
  const labelled = [...new Set(picks.map((s) => showing.reduce((best, v) => (Math.abs(v - s) < Math.abs(best - s) ? v : best))))].sort(
    (a, b) => a - b,
  );
  return { labelled, withRegion: labelled.length, range: [0, n - 1], extent };
}

/**
 * Volume propagation of one held-out region against the baselines, all from the same labelled slices. Outside the
 * range the methods fill, every method predicts nothing, and any truth found there counts as missed. Dice counts
 * only the slices that were not labelled.
 */
export async function evaluatePropagation(
  model: Model,
  data: HeldoutData,
  region: HeldoutRegion,
  options: PropagationOptions,
): Promise<RegionPropagation | { skipped: string }> {
  const { axis, regime } = options;
  const truth: LabelVolume = { ...data.labels, data: data.labels.data.map((v) => (v === region.id ? 1 : 0)) };
  const setup = propagationSetup(truth, axis, regime);
  if (!setup) return { skipped: `${region.id} ${region.name}: no slice labelled as ${regimeName(regime)} along axis ${axis} shows it` };
  const [first, last] = setup.range;
  const image = cropSlices(data.image, axis, first, last);
  const truthCrop = cropSlices(truth, axis, first, last);
  const labelled = setup.labelled.filter((s) => s >= first && s <= last).map((s) => s - first);
  const partial: LabelVolume = { ...truthCrop, data: new Uint8Array(truthCrop.data.length) };
  for (const s of labelled) insertSlice(partial, axis, s, extractSlice(truthCrop, axis, s));

  // The network runs twice, as shipped and alone. The weight is part of each group's seed, so with K > 1 the two
  // runs draw their members apart; with K = 1 (the default) each uses its whole pool.
  const propagate = (
    settings: Pick<PropagateOptions, 'endReach' | 'networkWeight' | 'registration' | 'alignSupport' | 'axisSmoothing'>,
    part?: number,
  ) =>
    propagateVolume(model, image, partial, {
      axis,
      labelledSlices: labelled,
      supportSize: options.supportSize ?? DEFAULT_PROPAGATION_SUPPORT,
      ensemble: options.ensemble ?? 1,
      seed: options.seed,
      ...settings,
      signal: options.signal,
      onProgress: (done, total) => part !== undefined && options.onProgress?.((part + (total > 0 ? done / total : 1)) / 2),
    });
  const shipped = await propagate(options.propagate ?? {}, 0);
  const network = await propagate({ ...options.propagate, networkWeight: 1 }, 1);
  const predictions: Record<PropagationMethod, LabelVolume> = {
    universeg: shipped.labels,
    network: network.labels,
    shapeInterpolation: (await propagate({ ...options.propagate, networkWeight: 0 })).labels,
    nearestSlice: nearestSliceCopy(partial, axis, labelled),
    contourInterpolation: await contourInterpolation(partial, axis, labelled),
  };

  const isLabelled = new Set(setup.labelled);
  const slices: number[] = [];
  const overlaps = Object.fromEntries(PROPAGATION_METHODS.map((m) => [m, [] as Overlap[]])) as Record<PropagationMethod, Overlap[]>;
  const outside = Object.fromEntries(PROPAGATION_METHODS.map((m) => [m, 0])) as Record<PropagationMethod, number>;
  let truthVoxels = 0;
  for (let s = 0; s < truth.size[axis]; s++) {
    const t = extractSlice(truth, axis, s).data;
    const inRange = s >= first && s <= last;
    const predicted = PROPAGATION_METHODS.map((m) =>
      inRange ? extractSlice(predictions[m], axis, s - first).data : new Uint8Array(t.length),
    );
    for (const v of t) truthVoxels += v ? 1 : 0;
    if (s < setup.extent[0] || s > setup.extent[1])
      PROPAGATION_METHODS.forEach((m, i) => (outside[m] += predicted[i]!.reduce((a, v) => a + (v ? 1 : 0), 0)));
    if (isLabelled.has(s)) continue;
    const counts = predicted.map((p) => overlap(p, t));
    if (counts.every((c) => c.sizeSum === 0)) continue;
    slices.push(s);
    PROPAGATION_METHODS.forEach((m, i) => overlaps[m].push(counts[i]!));
  }
  const total = (counts: Overlap[]) =>
    counts.reduce((a, c) => ({ intersection: a.intersection + c.intersection, sizeSum: a.sizeSum + c.sizeSum }), {
      intersection: 0,
      sizeSum: 0,
    });
  const predictedExtent = shipped.perLabel[0]!.extent;
  return {
    region,
    axis,
    regime,
    labelledSlices: setup.labelled,
    labelledWithRegion: setup.withRegion,
    range: setup.range,
    extent: { truth: setup.extent, predicted: [predictedExtent[0] + first, predictedExtent[1] + first] },
    slices,
    overlaps,
    dice: Object.fromEntries(PROPAGATION_METHODS.map((m) => [m, diceOf(total(overlaps[m]))])) as Record<PropagationMethod, number>,
    beyond: Object.fromEntries(PROPAGATION_METHODS.map((m) => [m, outside[m] / truthVoxels])) as Record<PropagationMethod, number>,
    estimatedDice: shipped.perLabel[0]!.estimatedDice,
    agreement: shipped.perLabel[0]!.agreement,
    networkRuns: shipped.networkRuns + network.networkRuns,
  };
}
