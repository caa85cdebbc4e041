import { DEFAULT_PROPAGATION } from '../contract/defaults.js';
import type { Slice } from '../data/extract-slice.js';
import { signedDistance } from './signed-distance.js';
import type { SliceWarps } from './slice-warps.js';

/** The network's weight against the interpolated shape when none is asked for; see propagateVolume for how it was chosen. */
export const SHAPE_PRIOR_WEIGHT = DEFAULT_PROPAGATION.networkWeight;

/**
 * How sharply the interpolated shape turns from inside to outside: a logistic over this many pixels of signed
 * distance, at least SOFTNESS_PX and growing by SOFTNESS_PER_SLICE with the distance to the nearer labelled slice,
 * since a border is known less well the farther it is carried. Chosen with SHAPE_PRIOR_WEIGHT on training regions
 * (see propagateVolume): a fixed 1 px served every 10th slice labelled as well but every 20th worse (59.6 against
 * 60.8 Dice).
 */
const SOFTNESS_PX = 1;
const SOFTNESS_PER_SLICE = 0.3;

/**
 * Share of morphological contour interpolation in the shape between a label's outermost labelled slices (the rest
 * is the signed-distance interpolation). Chosen on training regions, see propagateVolume.
 */
export const CONTOUR_SHARE = 0.5;

/** One label's contour interpolation (contour-interpolation.ts): masks of slices first, first + 1, ... */
export interface Contours {
  first: number;
  masks: readonly Uint8Array[];
}

/**
 * Shape-based interpolation (Raya & Udupa 1990) of each label between the labelled slices on either side of a
 * slice: the signed distances to each side's border, weighted by nearness, as a probability. A side without the
 * label counts as lying `depth` pixels outside it everywhere, `depth` being the other side's deepest inside
 * distance, so the shape shrinks to nothing halfway towards it; with one side only (past the last labelled
 * slice), that side's shape. `ends` adds, per label, virtual slices without it where the structure is taken to end
 * (structure-ends.ts). Between a label's outermost labelled slices, `contours` (per label) blends in contour
 * interpolation, which follows a shape that moves or bends between slices better than signed distances do. Where
 * the network cannot see a border (neighbouring cortical regions look alike), the position the user painted is all
 * there is to go by, and this carries it to the slices between.
 */
export class ShapePrior {
  private readonly labelled: number[];
  /** Per `slice:value`, the signed distances and their deepest inside value; no distances for an empty mask. */
  private readonly distances = new Map<string, { distance: Float32Array | undefined; deepest: number }>();

  constructor(
    private readonly labelSlices: ReadonlyMap<number, Slice<Uint8Array>>,
    private readonly ends: ReadonlyMap<number, readonly number[]> = new Map(),
    private readonly contours: ReadonlyMap<number, Contours> = new Map(),
    private readonly warps?: SliceWarps,
  ) {
    this.labelled = [...labelSlices.keys()].sort((a, b) => a - b);
  }

  /**
   * The labelled slices either side of `slice` (one at the ends), which the shape of `value` at `slice` is drawn
   * from, that label's virtual ends among them.
   */
  sides(slice: number, value: number): number[] {
    const slices = [...this.labelled, ...(this.ends.get(value) ?? [])];
    const below = Math.max(...slices.filter((l) => l < slice));
    const above = Math.min(...slices.filter((l) => l > slice));
    return [below, above].filter((l) => Number.isFinite(l));
  }

  /** Per pixel of `slice`, the probability that it holds `value`. */
  probability(slice: number, value: number): Float32Array {
    const sides = this.sides(slice, value);
    // Propagation goes through the slices in order: keeping only the current sides' maps bounds the memory to a
    // few slices per label, however many slices are labelled.
    for (const key of this.distances.keys()) {
      const [l, v] = key.split(':').map(Number);
      if (v === value && !sides.includes(l!)) this.distances.delete(key);
    }
    const maps = sides.map((l) => this.distance(l, value));
    const { width, height } = this.labelSlices.get(this.labelled[0]!)!;
    const distances = maps.map((m, k) => (m.distance && this.warps ? this.warps.warp(m.distance, width, sides[k]!, slice) : m.distance));
    const depth = Math.max(0, ...maps.map((m) => m.deepest));
    const weights =
      sides.length === 2 ? [(sides[1]! - slice) / (sides[1]! - sides[0]!), (slice - sides[0]!) / (sides[1]! - sides[0]!)] : [1];
    const out = new Float32Array(width * height);
    if (distances.every((d) => !d)) return out;
    const nearest = Math.min(...sides.map((l) => Math.abs(l - slice)));
    const softness = Math.max(SOFTNESS_PX, SOFTNESS_PER_SLICE * nearest);
    for (let i = 0; i < out.length; i++) {
      let d = 0;
      for (let k = 0; k < distances.length; k++) d += weights[k]! * (distances[k] ? distances[k]![i]! : -depth);
      out[i] = 1 / (1 + Math.exp(-d / softness));
    }
    const contours = this.contours.get(value);
    const mask =
      contours && slice > contours.first && slice < contours.first + contours.masks.length - 1
        ? contours.masks[slice - contours.first]
        : undefined;
    if (mask) for (let i = 0; i < out.length; i++) out[i] = (1 - CONTOUR_SHARE) * out[i]! + CONTOUR_SHARE * mask[i]!;
    return out;
  }

  private distance(slice: number, value: number): { distance: Float32Array | undefined; deepest: number } {
    const key = `${slice}:${value}`;
    let map = this.distances.get(key);
    const labels = this.labelSlices.get(slice);
    if (!labels) return { distance: undefined, deepest: 0 };
    if (!map) {
      const { data, width, height } = labels;
      const distance = signedDistance(
        data.map((v) => (v === value ? 1 : 0)),
        width,
        height,
      );
      this.distances.set(key, (map = { distance, deepest: distance ? distance.reduce((a, b) => Math.max(a, b), 0) : 0 }));
    }
    return map;
  }
}
