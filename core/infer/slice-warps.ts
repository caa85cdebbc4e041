import { extractSlice, type Slice } from '../data/extract-slice.js';
import type { Axis, Volume } from '../data/volume.js';
import { nearestTaps } from '../data/resize-nearest.js';
import { valueIndicator } from './model-input.js';
import type { RegistrationPool } from './registration-pool.js';
import { composeFields, registerSlices, sampleBilinear, type DisplacementField } from './slice-registration.js';
import type { Roi } from './support-roi.js';

/** The part of a slice that is registered: x0..x0+width-1, y0..y0+height-1. */
export interface Box {
  x0: number;
  y0: number;
  width: number;
  height: number;
}

/**
 * How a labelled slice's content moves to each slice of its gap, by registering neighbouring slices and chaining
 * the steps: the field from a labelled slice `from` to slice `to` is the composition of the one-slice steps
 * between them, so each step registers two nearly identical slices. Registration runs inside `box` (the region
 * the labels lie in, with a margin) and only for the gaps asked about; a gap's fields are kept while it is in use.
 */
export class SliceWarps {
  private readonly steps = new Map<string, DisplacementField>();
  private readonly chains = new Map<string, DisplacementField>();
  private readonly images = new Map<string, Slice>();
  private readonly indicators = new WeakMap<Uint8Array, Map<number, Float32Array>>();
  /** Slices before `floor - 1` are forgotten (forgetBefore) and not registered ahead any more. */
  private floor = -Infinity;
  /**
   * Time this thread spent registering (or waiting for a worker's registration), chaining and warping, for
   * propagation's report of what each step costs. Registration a worker did while this thread ran the network or
   * anything else is counted in no step: it overlapped them, and the steps add up to the time propagation took.
   */
  milliseconds = 0;

  constructor(
    /** The slice's intensities inside the box, on one scale for the whole volume. */
    private readonly imageOf: (slice: number) => Float32Array,
    readonly box: Box,
    /** Workers that register the pairs about to be asked for, and the number of slices (the pairs' bounds). */
    private readonly ahead?: { pool: RegistrationPool; depth: number },
  ) {}

  /** Field of slice `to` (inside the box) pointing to where each pixel's content lies in slice `from`. */
  field(from: number, to: number): DisplacementField | undefined {
    if (from === to) return undefined;
    const key = `${from}:${to}`;
    let chain = this.chains.get(key);
    if (chain) return chain;
    const dir = Math.sign(to - from);
    const previous = to - dir === from ? undefined : this.field(from, to - dir);
    const started = performance.now();
    const inner = this.step(to, to - dir);
    chain = previous ? composeFields(inner, previous) : inner;
    this.milliseconds += performance.now() - started;
    this.chains.set(key, chain);
    return chain;
  }

  /**
   * Forgets the fields of slices before `slice`: propagation goes through the slices in order, and a chain is
   * extended from the one a slice nearer its labelled slice, so only the previous slice's is still needed.
   */
  forgetBefore(slice: number): void {
    for (const key of this.chains.keys()) if (Number(key.split(':')[1]) < slice - 1) this.chains.delete(key);
    for (const key of this.images.keys()) if (Number(key.split(':')[1]) < slice) this.images.delete(key);
    for (const key of this.steps.keys()) if (Number(key.split(':')[0]) < slice - 1) this.steps.delete(key);
    this.floor = Math.max(this.floor, slice);
    this.ahead?.pool.drop((key) => Number(key.split(':')[0]) < slice - 1);
  }

  /** `map` (a whole slice, width x height) as seen from slice `to` when it was painted on slice `from`. */
  warp(map: Float32Array, width: number, from: number, to: number): Float32Array {
    const field = this.field(from, to);
    if (!field) return map;
    const started = performance.now();
    const out = Float32Array.from(map);
    const { x0, y0, width: w, height: h } = this.box;
    const height = map.length / width;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        out[(y0 + y) * width + x0 + x] = sampleBilinear(map, width, height, x0 + x + field.dx[i]!, y0 + y + field.dy[i]!);
      }
    }
    this.milliseconds += performance.now() - started;
    return out;
  }

  /**
   * warp(map, width, from, to) at the slice pixels `at` lists (y * width + x; 0 where -1) only, the same numbers:
   * inside the box sampled along the field, outside it as they are.
   */
  warpAt(map: Float32Array, width: number, from: number, to: number, at: Int32Array): Float32Array {
    const field = this.field(from, to);
    const started = performance.now();
    const out = new Float32Array(at.length);
    const { x0, y0, width: w, height: h } = this.box;
    const height = map.length / width;
    for (let k = 0; k < at.length; k++) {
      const p = at[k]!;
      if (p < 0) continue;
      const [x, y] = [p % width, Math.floor(p / width)];
      const inBox = field && x >= x0 && x < x0 + w && y >= y0 && y < y0 + h;
      const i = (y - y0) * w + (x - x0);
      out[k] = inBox ? sampleBilinear(map, width, height, x + field.dx[i]!, y + field.dy[i]!) : map[p]!;
    }
    this.milliseconds += performance.now() - started;
    return out;
  }

  /** A labelled slice's 0/1 map of `value` (valueIndicator), made once: every query slice carries it again. */
  indicator(labels: Uint8Array, value: number): Float32Array {
    let byValue = this.indicators.get(labels);
    if (!byValue) this.indicators.set(labels, (byValue = new Map()));
    let map = byValue.get(value);
    if (!map) byValue.set(value, (map = valueIndicator(labels, value)));
    return map;
  }

  /**
   * Slice `from`'s image as seen from slice `to`: every label's support example needs the same one, so it is
   * warped once (and forgotten with the fields, see forgetBefore).
   */
  warpImage(image: Slice, from: number, to: number): Slice {
    const key = `${from}:${to}`;
    let warped = this.images.get(key);
    if (!warped)
      this.images.set(key, (warped = { data: this.warp(image.data, image.width, from, to), width: image.width, height: image.height }));
    return warped;
  }

  /** The one-slice step: where each pixel of `fixed` lies in its neighbour `moving`. */
  private step(fixed: number, moving: number): DisplacementField {
    const key = `${fixed}:${moving}`;
    this.registerAhead(fixed, fixed - moving);
    let field = this.steps.get(key);
    if (!field) {
      field = this.ahead?.pool.take(key) ?? registerSlices(this.imageOf(fixed), this.imageOf(moving), this.box.width, this.box.height);
      this.steps.set(key, field);
    }
    return field;
  }

  /**
   * Hands the workers the steps a chain walking from `fixed` in direction `dir` asks for next, and the same pairs
   * the other way round: between two labelled slices a chain comes from each side, so every pair of the gap is
   * registered both ways. A window of REGISTER_AHEAD slices bounds the fields held ahead of use.
   */
  private registerAhead(fixed: number, dir: number): void {
    if (!this.ahead?.pool.usable) return;
    const { pool, depth } = this.ahead;
    for (let i = 0; i < REGISTER_AHEAD; i++) {
      const s = fixed + i * dir;
      for (const [f, m] of [
        [s, s - dir],
        [s - dir, s],
      ] as const) {
        const key = `${f}:${m}`;
        if (f < 0 || m < 0 || f >= depth || m >= depth || f < this.floor - 1 || this.steps.has(key) || pool.has(key)) continue;
        if (!pool.submit({ key, fixed: this.imageOf(f), moving: this.imageOf(m), width: this.box.width, height: this.box.height })) return;
      }
    }
  }
}

/**
 * Slices a chain's next steps are registered ahead by workers. A worker takes its pairs in order, so a longer window
 * puts pairs not needed yet before the one propagation waits for: on Colin27 with four labels (2 cores, 2 workers)
 * 6, 12 and 32 took 18.2, 17.7 and 20.2 s (one run each). At most 12 x 2 pairs x 2 float planes of a 512 x 512 box (48 MiB) are
 * held ahead of use.
 */
const REGISTER_AHEAD = 12;

/**
 * The mask of `value` painted on slice `from`, carried onto slice `to` along the registration, as the network takes
 * it: windowMask of the carried mask (thresholded at 0.5) in `roi` (the whole slice without one) at size x size.
 * Only the pixels the nearest-neighbour resize picks are carried: a support example per label and query slice,
 * the whole-slice warp and threshold were a tenth of a volume's propagation.
 */
export function alignedMaskWindow(
  warps: SliceWarps,
  labels: Slice<Uint8Array>,
  value: number,
  from: number,
  to: number,
  roi: Roi | undefined,
  size: number,
): Float32Array {
  const { width, height } = labels;
  const { x0, y0 } = roi ?? { x0: 0, y0: 0 };
  const xs = nearestTaps(roi?.size ?? width, size);
  const ys = roi ? xs : nearestTaps(height, size);
  const pixels = new Int32Array(size * size);
  for (let Y = 0; Y < size; Y++) {
    const y = y0 + ys[Y]!;
    for (let X = 0; X < size; X++) {
      const x = x0 + xs[X]!;
      pixels[Y * size + X] = x >= 0 && x < width && y >= 0 && y < height ? y * width + x : -1;
    }
  }
  const carried = warps.warpAt(warps.indicator(labels.data, value), width, from, to, pixels);
  const out = new Float32Array(size * size);
  for (let i = 0; i < out.length; i++) if (pixels[i]! >= 0 && carried[i]! > 0.5) out[i] = 1;
  return out;
}

/** Pixels around the labels of every labelled slice that are registered. */
const REGISTRATION_MARGIN = 12;

/**
 * The box's edges lie on a grid of this many pixels: every field depends on the box, so a correction that moved
 * it by a pixel would make propagation predict every slice again rather than those near the correction.
 */
const BOX_GRID = 16;
/**
 * Registration of neighbouring slices inside the box around every labelled slice's labels, on the volume's
 * intensities scaled to 0..1 once for the whole volume (per-slice scaling would make neighbours differ). With a
 * pool, its workers register the pairs ahead of use (same fields, in parallel with the caller).
 */
export function volumeSliceWarps(
  volume: Volume,
  axis: Axis,
  labelled: readonly Slice<Uint8Array>[],
  pool?: RegistrationPool,
): SliceWarps | undefined {
  const { width, height } = labelled[0]!;
  const around = boxAround(
    labelled.map((l) => l.data),
    width,
    height,
    REGISTRATION_MARGIN,
  );
  if (!around) return undefined;
  const box = snapBox(around, BOX_GRID, width, height);
  let [lo, hi] = [Infinity, -Infinity];
  for (const v of volume.data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const scale = hi > lo ? 1 / (hi - lo) : 0;
  return new SliceWarps(
    (s) => {
      const { data } = extractSlice(volume, axis, s);
      const out = new Float32Array(box.width * box.height);
      for (let y = 0; y < box.height; y++) {
        for (let x = 0; x < box.width; x++) out[y * box.width + x] = (data[(box.y0 + y) * width + box.x0 + x]! - lo) * scale;
      }
      return out;
    },
    box,
    pool && { pool, depth: volume.size[axis] },
  );
}

/** The bounding box of the pixels where `inside` holds over all `masks`, grown by `margin` and clipped to the slice. */
export function boxAround(masks: readonly Uint8Array[], width: number, height: number, margin: number): Box | undefined {
  let [x0, y0, x1, y1] = [width, height, -1, -1];
  for (const mask of masks) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (!mask[y * width + x]) continue;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  if (x1 < 0) return undefined;
  [x0, y0] = [Math.max(0, x0 - margin), Math.max(0, y0 - margin)];
  [x1, y1] = [Math.min(width - 1, x1 + margin), Math.min(height - 1, y1 + margin)];
  return { x0, y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/** `box` grown outwards until its edges lie on multiples of `grid` or on the slice's edges. */
function snapBox(box: Box, grid: number, width: number, height: number): Box {
  const x0 = Math.floor(box.x0 / grid) * grid;
  const y0 = Math.floor(box.y0 / grid) * grid;
  // A last cell narrower than the grid is taken whole, so that the slice's edge is one of the grid's lines.
  const edge = (end: number, size: number) => (Math.ceil(end / grid) * grid > size - grid ? size : Math.ceil(end / grid) * grid);
  const x1 = edge(box.x0 + box.width, width);
  const y1 = edge(box.y0 + box.height, height);
  return { x0, y0, width: x1 - x0, height: y1 - y0 };
}
