import type { Slice } from '../data/extract-slice.js';
import { overlap, diceOf, type Overlap } from '../eval/dice.js';
import { windowInputSize } from '../model/config.js';
import type { Model } from '../model/model.js';
import { windowImage, windowsToSlice } from './model-input.js';
import { nearestSlices } from './nearest-slices.js';
import { interpolateContours } from './contour-interpolation.js';
import { ShapePrior } from './shape-prior.js';
import { networkWindows } from './support-roi.js';
import type { SliceWarps } from './slice-warps.js';
import { supportWindows } from './support-windows.js';

/** Held-out examples per label at most: each costs a network run, and a dozen already give a stable figure. */
export const MAX_HELD_OUT = 12;

export interface LeaveOneOut {
  /** The interior labelled slices that were each predicted from the others. */
  heldOut: number[];
  /** Dice (0..1) over the held-out slices for each of the weights asked for. */
  dice: number[];
}

export interface LeaveOneOutInput {
  model: Model;
  value: number;
  /** Labelled slices showing the label, ascending. */
  examples: readonly number[];
  /** Every labelled slice (with or without the label) and its labels. */
  labelSlices: ReadonlyMap<number, Slice<Uint8Array>>;
  /** The label's virtual ends (structure-ends.ts). */
  ends: readonly number[];
  imageOf: (slice: number) => Slice;
  supportSize: number;
  /** The support size asked for: fewer carried examples are joined by uncarried copies (support-windows.ts). */
  fillTo?: number;
  roi: boolean;
  /** The registrations propagation carries shapes along, and whether it carries support examples too. */
  warps?: SliceWarps;
  alignSupport?: boolean;
  /** Weights of the network against the shape to score (0: the shape alone, and no network run is needed). */
  weights: readonly number[];
  signal?: AbortSignal;
}

/**
 * What each weighting of network and shape would have scored on the user's own labelled slices: every interior
 * example (not the outermost, which nothing lies beyond) is predicted from the others as propagation predicts an
 * unlabelled slice, and compared with what the user painted. No ground truth beyond the user's is needed, and the
 * score tells how well the label propagates. (Choosing each label's weight by it was tried on training regions
 * and lost to the fixed default: see MODEL_CARD.md.) The gap a held-out slice sits in is twice the real one, so its Dice runs well below the real one
 * (20-36 points on training regions; dice-estimate.ts gives the user a better estimate). Undefined with fewer than
 * three examples (no interior one).
 */
export async function leaveOneOut(input: LeaveOneOutInput): Promise<LeaveOneOut | undefined> {
  const { model, value, examples } = input;
  const interior = examples.slice(1, -1);
  if (interior.length === 0) return undefined;
  const size = windowInputSize(model.config);
  // A label segmented in two windows (taskRois) costs two network runs a slice: it holds out half as many slices,
  // so that its estimate costs what a one-window label's does.
  const windows = networkWindows(
    examples.map((l) => input.labelSlices.get(l)!),
    value,
    size,
    input.roi,
  ).length;
  const count = Math.ceil(Math.min(MAX_HELD_OUT, interior.length) / windows);
  const heldOut =
    interior.length <= count
      ? interior
      : Array.from({ length: count }, (_, i) => interior[Math.floor(((i + 0.5) * interior.length) / count)]!);
  const totals: Overlap[] = input.weights.map(() => ({ intersection: 0, sizeSum: 0 }));
  for (const slice of heldOut) {
    input.signal?.throwIfAborted();
    const others = new Map([...input.labelSlices].filter(([l]) => l !== slice));
    const truth = input.labelSlices.get(slice)!;
    const { width, height } = truth;
    // Contour interpolation between the labelled slices on either side, as propagation blends it in.
    const [below, above] = new ShapePrior(others).sides(slice, value);
    const contours =
      below !== undefined && above !== undefined && above > slice
        ? new Map([[value, { first: below, masks: await interpolateContours((l) => others.get(l), value, below, above, truth) }]])
        : undefined;
    const shape = new ShapePrior(others, new Map([[value, input.ends]]), contours, input.warps).probability(slice, value);
    let network: Float32Array | undefined;
    if (input.weights.some((w) => w > 0)) {
      const pool = nearestSlices(
        slice,
        examples.filter((l) => l !== slice),
        input.supportSize,
      );
      // The same windows as propagation's (one per part of a label whose parts lie apart).
      const rois = networkWindows(
        pool.map((l) => others.get(l)!),
        value,
        size,
        input.roi,
      );
      const carry = input.alignSupport && input.warps ? { warps: input.warps, to: slice, fillTo: input.fillTo } : undefined;
      const maps: Float32Array[] = [];
      for (const roi of rois) {
        const support = supportWindows(pool, value, { imageOf: input.imageOf, labelsOf: (l) => others.get(l)! }, { roi, size }, carry);
        const result = await model.predict({
          queries: windowImage(input.imageOf(slice), roi, size),
          count: 1,
          poolImages: support.images,
          poolLabels: support.masks,
          poolSize: support.count,
          height: size,
          width: size,
          supportSize: support.count,
          signal: input.signal,
        });
        maps.push(result.probabilities);
      }
      network = windowsToSlice(maps, size, rois, width, height);
    }
    const target = truth.data.map((v) => (v === value ? 1 : 0));
    input.weights.forEach((w, k) => {
      const mask = new Uint8Array(target.length);
      for (let i = 0; i < mask.length; i++) mask[i] = (network ? w * network[i]! : 0) + (1 - w) * shape[i]! > 0.5 ? 1 : 0;
      const o = overlap(mask, target);
      totals[k]!.intersection += o.intersection;
      totals[k]!.sizeSum += o.sizeSum;
    });
  }
  return { heldOut, dice: totals.map(diceOf) };
}
