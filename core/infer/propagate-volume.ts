import { DEFAULT_PROPAGATION } from '../contract/defaults.js';
import { extractSlice, type Slice } from '../data/extract-slice.js';
import { insertSlice } from '../data/insert-slice.js';
import { sliceLayout } from '../data/slice-layout.js';
import type { Axis, LabelVolume, Volume } from '../data/volume.js';
import { windowInputSize } from '../model/config.js';
import type { Model } from '../model/model.js';
import { hashBytes, mixSeed } from '../util/mix-seed.js';
import { LabelMerge } from './label-merge.js';
import { checkSliceList, slicesWithLabels } from './labelled-slices.js';
import { normalisedSlice, stack, valueIndicator, windowImage, windowsToSlice } from './model-input.js';
import { nearestSlices } from './nearest-slices.js';
import { SHAPE_PRIOR_WEIGHT, ShapePrior, type Contours } from './shape-prior.js';
import { leaveOneOut, MAX_HELD_OUT } from './leave-one-out.js';
import { interpolateContours } from './contour-interpolation.js';
import { END_REACH, type SliceExtent } from './structure-ends.js';
import { labelTasks } from './label-tasks.js';
import { labelReports, suggestSlice, type LabelReport, type SuggestedSlice } from './propagation-report.js';
import { networkWindows, type Roi } from './support-roi.js';
import { AXIS_SMOOTHING, smoothAlongAxis } from './axis-smoothing.js';
import { RegistrationPool } from './registration-pool.js';
import { volumeSliceWarps } from './slice-warps.js';
import { joinSupport, supportWindows, type SupportInputs } from './support-windows.js';

/**
 * The network's weight at most past a label's outermost labelled slice where no labelled slice beyond lacks it (an
 * open end): the network, never told where the structure stops, keeps finding it there, and the shape, shrinking
 * towards the estimated end, should carry more. On training regions (MODEL_CARD.md) labelled from the first slice
 * every 10th / on 3 slices: 78.1 / 79.9 Dice and 1.0% / 0.3% of voxels beyond the true ends, against 77.9 / 79.2
 * and 1.6% / 0.9% at the full weight; at closed ends (a labelled empty slice) it cost 2 Dice, so they keep it.
 * The network alone (weight 1) has no shape to weigh against and is left as it is.
 */
export const OPEN_END_NETWORK_WEIGHT = 0.2;

/** Whether the interpolated shape follows the image between labelled slices when not told; see slice-warps.ts. */
export const REGISTRATION = true;

/** Whether support examples are warped onto their query when not told; see alignSupport. */
export const ALIGN_SUPPORT = true;

/** Worker threads registering slices when not told: the network leaves the second core of a small machine idle. */
export const REGISTRATION_WORKERS = 2;

/** Support set size when none is asked for (the workstation's default too): the nearest examples carry the most similar anatomy. */
export const DEFAULT_PROPAGATION_SUPPORT = DEFAULT_PROPAGATION.supportSize;

export interface PropagateOptions {
  /** Index axis (i, j, k) = (0, 1, 2) the slices are cut across; default 2 (axial for usual head MR). */
  axis?: Axis;
  /**
   * The slices that count as fully labelled, empty ones included (a label absent on the labelled slices on both
   * sides of a slice is not looked for there); default: every slice with any label.
   */
  labelledSlices?: readonly number[];
  /** Support set size N per prediction; default DEFAULT_PROPAGATION_SUPPORT, at most the slices showing the label. */
  supportSize?: number;
  /** K ensemble members, each drawing N of the 2N slices showing the label nearest to the predicted one. */
  ensemble?: number;
  seed?: number;
  /**
   * Segment each label in a window around its support labels (support-roi.ts) rather than in the whole slice;
   * default true. Measured on held-out Colin27 regions, see propagateVolume.
   */
  roi?: boolean;
  /** Counts slice predictions (slice x label x member), including those needing no network run. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Each predicted slice as soon as it is final (neighbouring slices sharing a support pool finish together), laid
   * out as extractSlice lays it out, with its ensemble spread (zeros without an ensemble to disagree).
   */
  onSlice?: (index: number, labels: Slice<Uint8Array>, uncertainty: Float32Array, signature: string) => void;
  /**
   * What each slice was last predicted from (onSlice's signatures). A group of slices whose signature is unchanged
   * (same support slices with the same labels, settings and group) is not predicted again: `partial` already
   * holds its prediction, which is kept. Default: predict every slice.
   */
  previous?: ReadonlyMap<number, string>;
  /**
   * Slices kept as `partial` has them without being support: the user painted them but has not offered them as
   * examples. They are neither predicted nor drawn from.
   */
  fixedSlices?: readonly number[];
  /** Predict only slices first..last (inclusive); the others stay as `partial` has them. Default: every slice. */
  range?: readonly [number, number];
  /**
   * Weight of the network's probability against the shape interpolated from the labelled slices on either side
   * (shape-prior.ts); 1 for the network alone. Default SHAPE_PRIOR_WEIGHT.
   */
  networkWeight?: number;
  /**
   * Per label value, the slices first..last it may be predicted on, as the user widened or narrowed them; the
   * others end where structure-ends.ts estimates. Labelled slices without a label still stop it.
   */
  extents?: ReadonlyMap<number, SliceExtent>;
  /**
   * Carry each labelled slice's shape to the slices of its gap along the image (slice-warps.ts: neighbouring slices
   * registered and the steps chained) rather than in place. Default REGISTRATION.
   */
  registration?: boolean;
  /**
   * Warp each support example onto the slice it is a support for along the same registration, so that the network
   * sees examples aligned with its query. Default ALIGN_SUPPORT; needs registration.
   */
  alignSupport?: boolean;
  /** How far past the outermost labelled slices a structure is taken to reach (structure-ends.ts); default END_REACH. */
  endReach?: number;
  /**
   * Worker threads registering neighbouring slices ahead of use (registration-pool.ts), beside the network on this
   * thread; 0 registers on this thread. The results are the same either way. Default REGISTRATION_WORKERS.
   */
  registrationWorkers?: number;
  /**
   * Gaussian sigma, in slices, of the smoothing of each label's probability along the axis within each group of
   * slices predicted together (axis-smoothing.ts); 0 for none. Default AXIS_SMOOTHING.
   */
  axisSmoothing?: number;
  /** Mixed into the signatures: whatever else the prediction depends on, such as the model file. */
  signatureSalt?: string;
  signal?: AbortSignal;
}

export interface PropagateResult {
  /** The labelled slices as given and every other slice predicted, in the partial map's geometry. */
  labels: LabelVolume;
  /** Per voxel: the ensemble's standard deviation of the probability, the largest over the labels; 0 on labelled slices. */
  uncertainty: Volume;
  axis: Axis;
  labelledSlices: number[];
  predictedSlices: number[];
  labelValues: number[];
  /**
   * Slice x label predictions that ran the network (times the members and the windows); the rest lay between slices
   * without the label, or between two that ran (predictEach).
   */
  networkRuns: number;
  /** Slices kept as `partial` had them: their signature had not changed. */
  unchanged: number[];
  /** Per label, in labelValues' order: the slices it may be predicted on (its labelled slices and the range between and beyond). */
  perLabel: LabelReport[];
  /** The slice whose painting would tell propagation most, and why; null when nothing is left to predict. */
  suggestedSlice: SuggestedSlice | null;
  /**
   * Milliseconds spent on each step: leave-one-out estimates, contour interpolation, registration of neighbouring
   * slices, network runs, the rest (distance maps, merging) and in all. Each is this thread's time, so that they add
   * up to the total: registration counts what it computed or waited for here, not what workers did meanwhile
   * (SliceWarps.milliseconds).
   */
  timings: { leaveOneOut: number; contours: number; registration: number; network: number; other: number; total: number };
}

/**
 * Fills the unlabelled slices of `partial` with UniverSeg. Every label value is its own binary task whose
 * support is the N labelled slices nearest to the predicted one that show the label: the network was trained on
 * examples that show their structure, and empty examples only pull its prediction towards nothing. Where a
 * labelled slice without a label is nearer than any showing it, that label is not looked for (labelled slices are
 * taken as fully annotated; see nearerAbsent), and past its outermost labelled slices it ends where they say
 * (structure-ends.ts). The tasks are merged back into one map, the most probable label winning where several pass
 * 0.5. Measured on six held-out Colin27 regions, every 10th slice labelled: supports of positives only gave a mean
 * Dice of 40 against 33 for the nearest labelled slices, empty ones included (step 3,800); each label segmented in
 * a window around its support (support-roi.ts) 70.0 against 67.9 in whole slices (step 10,953); and no label looked
 * for nearer to a slice without it 75.8 against 70.1, where nearly half the predicted voxels had been ghosts beyond
 * the structure's ends (step 14,010). Each label's probability is then weighed SHAPE_PRIOR_WEIGHT against the shape
 * interpolated from the labelled slices on either side (shape-prior.ts: signed distances, and between the outermost
 * labelled slices half contour interpolation): the network sees tissue borders but not where one cortical region
 * ends and the next begins, which the painted slices fix. The result is smoothed along the axis (axis-smoothing.ts),
 * which evens out the network's slice-to-slice noise. Chosen on AAL regions that were trained on
 * (assets/eval/colin27-tuning.json, test/tools/tune-propagation.ts), never the held-out ones; the figures for each
 * choice are in assets/models/MODEL_CARD.md.
 */
export async function propagateVolume(
  model: Model,
  volume: Volume,
  partial: LabelVolume,
  options: PropagateOptions = {},
): Promise<PropagateResult> {
  // Started with the first registration, and closed however propagation ends: no worker outlives it.
  const pool = new RegistrationPool(options.registrationWorkers ?? REGISTRATION_WORKERS);
  try {
    return await propagateWith(model, volume, partial, options, pool);
  } finally {
    await pool.close();
  }
}

async function propagateWith(
  model: Model,
  volume: Volume,
  partial: LabelVolume,
  options: PropagateOptions,
  pool: RegistrationPool,
): Promise<PropagateResult> {
  const axis = options.axis ?? 2;
  if (volume.size.join() !== partial.size.join()) {
    throw new Error(`the label map is ${partial.size.join('x')} but the image is ${volume.size.join('x')}; they must share one grid`);
  }
  const labelled = options.labelledSlices ? checkSliceList(options.labelledSlices, partial, axis) : slicesWithLabels(partial, axis);
  if (labelled.length === 0) throw new Error(`no labelled slices along axis ${axis}: paint at least one slice`);
  const labelSlices = new Map(labelled.map((s) => [s, extractSlice(partial, axis, s)]));
  const labelValues = [...new Set([...labelSlices.values()].flatMap((sl) => [...new Set(sl.data)]))]
    .filter((v) => v !== 0)
    .sort((a, b) => a - b);
  if (labelValues.length === 0) throw new Error(`the labelled slices (${labelled.join(', ')}) hold no label`);

  const isLabelled = new Set(labelled);
  const [first, last] = options.range ?? [0, volume.size[axis] - 1];
  if (!Number.isInteger(first) || !Number.isInteger(last) || first < 0 || last < first || last >= volume.size[axis]) {
    throw new RangeError(`slices ${first}..${last} are not a range within 0..${volume.size[axis] - 1} along axis ${axis}`);
  }
  const fixed = new Set(options.fixedSlices ?? []);
  for (let s = 0; s < volume.size[axis]; s++) if ((s < first || s > last) && !isLabelled.has(s)) fixed.add(s);
  const predictedSlices = Array.from({ length: volume.size[axis] }, (_, s) => s).filter((s) => !isLabelled.has(s) && !fixed.has(s));
  const N = options.supportSize ?? DEFAULT_PROPAGATION_SUPPORT;
  const K = Math.max(1, options.ensemble ?? 1);

  const labels: LabelVolume = { ...partial, data: new Uint8Array(partial.data.length) };
  for (const [s, slice] of labelSlices) insertSlice(labels, axis, s, slice);
  for (const s of fixed) if (s < volume.size[axis]) insertSlice(labels, axis, s, extractSlice(partial, axis, s));
  const uncertainty: Volume = { ...volume, data: new Float32Array(volume.data.length) };

  const images = new Map<number, Slice>();
  const imageOf = (s: number) => {
    let image = images.get(s);
    if (!image) images.set(s, (image = normalisedSlice(extractSlice(volume, axis, s), model.config)));
    return image;
  };
  const size = windowInputSize(model.config);
  const plane = size * size;
  const useRoi = options.roi ?? true;
  const networkWeight = options.networkWeight ?? SHAPE_PRIOR_WEIGHT;
  if (!(networkWeight >= 0 && networkWeight <= 1)) throw new RangeError(`the network's weight must lie in 0..1, got ${networkWeight}`);
  const endReach = options.endReach ?? END_REACH;
  const axisSmoothing = options.axisSmoothing ?? AXIS_SMOOTHING;
  if (!(axisSmoothing >= 0 && axisSmoothing <= 10))
    throw new RangeError(`the smoothing along the axis must lie in 0..10 slices, got ${axisSmoothing}`);
  const seed = options.seed ?? 0;
  const salt = hashBytes(new TextEncoder().encode(options.signatureSalt ?? ''));
  const maskHashes = new Map<string, number>();
  const maskHash = (slice: number, value: number) => {
    const key = `${slice}:${value}`;
    let h = maskHashes.get(key);
    if (h === undefined) maskHashes.set(key, (h = hashBytes(labelSlices.get(slice)!.data.map((v) => (v === value ? 1 : 0)))));
    return h;
  };
  const unchanged: number[] = [];
  let networkRuns = 0;
  const started = performance.now();
  const timings = { leaveOneOut: 0, contours: 0, registration: 0, network: 0, other: 0, total: 0 };
  // Per predicted slice, the pixels where the network and the interpolated shape disagree, over all labels.
  const conflicts = new Map<number, number>();
  // Per label, how far the network's and the shape's masks overlap on its predicted slices (Dice counts).
  const agreement = labelValues.map(() => ({ intersection: 0, sizeSum: 0 }));

  const shows = new Map(labelled.map((s) => [s, new Set(labelSlices.get(s)!.data)]));
  const depth = volume.size[axis];
  const pixel = (volume.spacing.reduce((a, b) => a + b, 0) - volume.spacing[axis]) / 2;
  const tasks = labelTasks(labelValues, {
    labelled,
    shows,
    labelOf: (l) => labelSlices.get(l)!,
    extents: options.extents,
    spacing: { pixel, slice: volume.spacing[axis] },
    endReach,
    supportSize: N,
    ensemble: K,
  });
  // Progress counts leave-one-out's slices as one-window labels hold them out (a two-window label holds out half).
  const heldOutSteps = (examples: readonly number[]) => Math.max(0, Math.min(MAX_HELD_OUT, examples.length - 2));
  const heldOut = tasks.reduce((n, t) => n + heldOutSteps(t.examples), 0);
  const total = predictedSlices.length * labelValues.length * K + heldOut;
  let done = 0;
  options.onProgress?.(0, total);
  const registration = options.registration ?? REGISTRATION;
  const alignSupport = registration && networkWeight > 0 && (options.alignSupport ?? ALIGN_SUPPORT);
  const warps =
    registration && (networkWeight < 1 || alignSupport) ? volumeSliceWarps(volume, axis, [...labelSlices.values()], pool) : undefined;
  // How well each label propagates, judged on its own labelled slices: as run, and with network or shape alone.
  const compared = networkWeight > 0 ? [networkWeight, 1, 0] : [0];
  const estimates: (number[] | undefined)[] = [];
  for (const t of tasks) {
    const looStarted = performance.now() - (warps?.milliseconds ?? 0);
    const loo = await leaveOneOut({
      model,
      value: t.value,
      examples: t.examples,
      labelSlices,
      ends: t.ends,
      imageOf,
      supportSize: t.supportSize,
      fillTo: N,
      roi: useRoi,
      warps,
      alignSupport,
      weights: compared,
      signal: options.signal,
    });
    done += heldOutSteps(t.examples);
    options.onProgress?.(done, total);
    estimates.push(loo?.dice);
    // Registration is counted on its own, wherever it first ran.
    timings.leaveOneOut += performance.now() - (warps?.milliseconds ?? 0) - looStarted;
  }
  const contoursStarted = performance.now();
  const contours = new Map<number, Contours>();
  if (networkWeight < 1) {
    for (const t of tasks) {
      const [first, last] = [t.examples[0]!, t.examples.at(-1)!];
      if (last - first > 1)
        contours.set(t.value, {
          first,
          masks: await interpolateContours((l) => labelSlices.get(l), t.value, first, last, labelSlices.get(first)!),
        });
    }
  }
  timings.contours = performance.now() - contoursStarted;
  const shapePrior = new ShapePrior(
    labelSlices,
    new Map(tasks.map((t) => [t.value, t.ends])),
    contours,
    networkWeight < 1 ? warps : undefined,
  );
  // Neighbouring slices share their nearest examples and sides: one network call per label and group.
  const sidesOf = (slice: number) => (networkWeight < 1 ? tasks.flatMap((t) => [...shapePrior.sides(slice, t.value), -1]) : []);
  for (const { pools, slices } of groupBySupport(predictedSlices, tasks, sidesOf)) {
    options.signal?.throwIfAborted();
    warps?.forgetBefore(slices[0]!);
    // Per label, the slices of the group where it is looked for.
    const looked = tasks.map((t) => slices.map((sl) => t.looksFor(sl)));
    // Everything the group's prediction depends on seeds its draws, not the group's place in this run, so that a
    // kept group equals a recomputed one; with the salt (the model) it is the signature a later run compares.
    const groupSeed = mixSeed(
      seed,
      N,
      K,
      useRoi ? 1 : 0,
      Math.round(networkWeight * 1000),
      Math.round(axisSmoothing * 1000),
      alignSupport ? 1 : 0,
      ...slices,
      // Registration runs inside a box around every labelled slice's labels: a box that changed moves every field.
      ...(warps ? [warps.box.x0, warps.box.y0, warps.box.width, warps.box.height] : [0]),
      ...sidesOf(slices[0]!).flatMap((l) => (isLabelled.has(l) ? [l, ...tasks.map((t) => maskHash(l, t.value))] : [l])),
      ...tasks.flatMap((t, i) => [
        t.value,
        t.supportSize,
        t.closedBelow ?? -1,
        t.closedAbove ?? -1,
        ...pools[i]!.flatMap((l) => [l, maskHash(l, t.value)]),
        ...looked[i]!.map((on) => (on ? 0 : 1)),
      ]),
    );
    const signature = mixSeed(salt, groupSeed).toString(16).padStart(8, '0');
    if (slices.every((s) => options.previous?.get(s) === signature)) {
      for (const s of slices) insertSlice(labels, axis, s, extractSlice(partial, axis, s));
      unchanged.push(...slices);
      done += slices.length * labelValues.length * K;
      options.onProgress?.(done, total);
      continue;
    }
    const { width, height } = sliceLayout(volume.size, axis, slices[0]);
    const merged = new Map(slices.map((s) => [s, new LabelMerge(width * height)]));
    for (const [t, { value, supportSize }] of tasks.entries()) {
      const pool = pools[t]!;
      const active = slices.filter((_, q) => looked[t]![q]);
      done += (slices.length - active.length) * K;
      options.onProgress?.(done, total);
      if (active.length === 0) continue;
      const step = active.length * K;
      const fromNetwork = networkWeight > 0;
      // The windows the label is segmented in: one, or one per part of a label whose parts lie apart (taskRois).
      const rois = networkWindows(
        pool.map((l) => labelSlices.get(l)!),
        value,
        size,
        useRoi && fromNetwork,
      );
      const networkStarted = performance.now() - (warps?.milliseconds ?? 0);
      // `offset`: how many of the active slices earlier calls predicted in this window, for the progress of the step.
      const predict = (roi: Roi | undefined, part: number, queries: readonly number[], support: SupportInputs, offset: number) =>
        model.predict({
          queries: stack(queries.map((s) => windowImage(imageOf(s), roi, size))),
          count: queries.length,
          poolImages: support.images,
          poolLabels: support.masks,
          poolSize: support.count,
          height: size,
          width: size,
          // Examples added to the pool (uncarried copies, an empty one past a closed end) add to the support set.
          supportSize: supportSize + support.count - pool.length,
          ensemble: K,
          seed: groupSeed,
          signal: options.signal,
          onProgress: (d, t) =>
            options.onProgress?.(
              done + Math.round(((part * active.length + offset + (d / t) * queries.length) / (active.length * rois.length)) * step),
              total,
            ),
        });
      const source = { imageOf, labelsOf: (l: number) => labelSlices.get(l)! };
      const predictIn = (roi: Roi | undefined, part: number) =>
        alignSupport && warps
          ? predictEach(
              active,
              (s, q) => {
                const examples = supportWindows(pool, value, source, { roi, size }, { warps, to: s, fillTo: N });
                // Past the outermost example towards a labelled slice without the label, that slice joins as an
                // empty example: the network is shown where the structure is absent rather than asked to guess.
                const absent = tasks[t]!.closedEndBeyond(s);
                return predict(
                  roi,
                  part,
                  [s],
                  absent === undefined
                    ? examples
                    : joinSupport(examples, supportWindows([absent], value, source, { roi, size }, { warps, to: s })),
                  q,
                );
              },
              rois.length > 1,
            )
          : predict(roi, part, active, supportWindows(pool, value, source, { roi, size }), 0).then((r) => ({ ...r, runs: active.length }));
      const results: Awaited<ReturnType<typeof predictIn>>[] = [];
      if (fromNetwork) for (const [part, roi] of rois.entries()) results.push(await predictIn(roi, part));
      timings.network += performance.now() - (warps?.milliseconds ?? 0) - networkStarted;
      done += step;
      networkRuns += results.reduce((n, r) => n + r.runs * r.members.length, 0);
      // One member has nothing to disagree with (predict's spread is then float rounding noise, not zero).
      const disagreement = (results[0]?.members.length ?? 0) > 1;
      const onSlice = (q: number, map: 'probabilities' | 'spread') =>
        windowsToSlice(
          results.map((r) => r[map].subarray(q * plane, (q + 1) * plane)),
          size,
          rois,
          width,
          height,
        );
      const probabilities: Float32Array[] = [];
      const spreads: (Float32Array | undefined)[] = [];
      active.forEach((s, q) => {
        const network = results.length > 0 ? onSlice(q, 'probabilities') : undefined;
        const prior = networkWeight < 1 ? shapePrior.probability(s, value) : undefined;
        const w = tasks[t]!.beyondOpenEnd(s)
          ? Math.min(networkWeight, OPEN_END_NETWORK_WEIGHT)
          : networkWeight * tasks[t]!.closedEndShare(s);
        const probability = !prior ? network! : !network ? prior : network.map((p, i) => w * p + (1 - w) * prior[i]!);
        if (prior && network) {
          let differ = 0;
          const counts = agreement[t]!;
          for (let i = 0; i < prior.length; i++) {
            const [a, b] = [prior[i]! > 0.5, network[i]! > 0.5];
            if (a !== b) differ++;
            if (a && b) counts.intersection++;
            if (a) counts.sizeSum++;
            if (b) counts.sizeSum++;
          }
          conflicts.set(s, (conflicts.get(s) ?? 0) + differ);
        }
        const spread = disagreement ? onSlice(q, 'spread') : undefined;
        probabilities.push(probability);
        spreads.push(spread);
      });
      // What is known of the label next to the group: a labelled slice's mask, and nothing where it is not looked
      // for (past its ends); slices another group predicts are unknown here.
      const knownMasks = new Map<number, Float32Array>();
      const known = (l: number) => {
        if (l < 0 || l >= depth) return undefined;
        const slice = labelSlices.get(l);
        if (!slice && tasks[t]!.looksFor(l)) return undefined;
        let mask = knownMasks.get(l);
        if (!mask) knownMasks.set(l, (mask = slice ? valueIndicator(slice.data, value) : new Float32Array(width * height)));
        return mask;
      };
      smoothAlongAxis(active, probabilities, known, axisSmoothing).forEach((p, q) => merged.get(active[q]!)!.add(value, p, spreads[q]));
    }
    for (const [s, m] of merged) {
      insertSlice(labels, axis, s, { data: m.label, width, height });
      insertFloatSlice(uncertainty, axis, s, { data: m.spread, width, height });
      options.onSlice?.(s, { data: m.label, width, height }, m.spread, signature);
    }
  }
  const perLabel = labelReports(tasks, { depth, isLabelled, networkWeight, leaveOneOut: estimates, agreement });
  timings.total = performance.now() - started;
  timings.registration = warps?.milliseconds ?? 0;
  timings.other = timings.total - timings.leaveOneOut - timings.contours - timings.registration - timings.network;
  return {
    labels,
    uncertainty,
    axis,
    labelledSlices: labelled,
    predictedSlices,
    labelValues,
    networkRuns,
    unchanged,
    perLabel,
    suggestedSlice: suggestSlice(conflicts, perLabel, labelled),
    timings,
  };
}

/**
 * Predicted slices grouped by their support pools (one per label: the nearest examples) and by the labelled slices
 * their shape is interpolated from (`sides`), in slice order: a group shares one network call per label, and one
 * signature, so a change to a labelled slice re-predicts only the groups that draw on it.
 */
function groupBySupport(
  predicted: readonly number[],
  tasks: readonly { examples: number[]; candidates: number }[],
  sides: (slice: number) => number[],
) {
  const groups = new Map<string, { pools: number[][]; slices: number[] }>();
  for (const s of predicted) {
    const pools = tasks.map((t) => nearestSlices(s, t.examples, t.candidates));
    const key = `${pools.map((p) => p.join(',')).join(';')}|${sides(s).join(',')}`;
    const group = groups.get(key);
    if (group) group.slices.push(s);
    else groups.set(key, { pools, slices: [s] });
  }
  return [...groups.values()];
}

function insertFloatSlice(volume: Volume, axis: Axis, index: number, slice: Slice): void {
  const { width, height, offset, columnStride, rowStride } = sliceLayout(volume.size, axis, index);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) volume.data[offset + y * rowStride + x * columnStride] = slice.data[y * width + x];
  }
}

type Prediction = { probabilities: Float32Array; spread: Float32Array; members: number[][] };

/**
 * Predictions one query at a time (each with its own support), laid end to end as one predict call lays them. With
 * `halve`, every other query whose neighbouring slices on both sides are queries too is not run but takes the mean
 * of their maps: the smoothing along the axis mixes neighbours in anyway. A label segmented in two windows runs so,
 * to cost the network what a label in one window costs (on trained regions, halving every label lost 0.05-0.09 Dice;
 * MODEL_CARD.md).
 */
async function predictEach(queries: readonly number[], run: (slice: number, index: number) => Promise<Prediction>, halve = false) {
  const skipped = (q: number) => halve && q % 2 === 1 && queries[q - 1] === queries[q]! - 1 && queries[q + 1] === queries[q]! + 1;
  const parts: (Prediction | undefined)[] = [];
  for (const [q, s] of queries.entries()) parts.push(skipped(q) ? undefined : await run(s, q));
  const mean = (a: Float32Array, b: Float32Array) => a.map((v, i) => (v + b[i]!) / 2);
  const filled = parts.map((p, q) => {
    if (p) return p;
    const [before, after] = [parts[q - 1]!, parts[q + 1]!];
    return {
      probabilities: mean(before.probabilities, after.probabilities),
      spread: mean(before.spread, after.spread),
      members: before.members,
    };
  });
  return {
    probabilities: stack(filled.map((p) => p.probabilities)),
    spread: stack(filled.map((p) => p.spread)),
    members: filled[0]!.members,
    runs: parts.filter(Boolean).length,
  };
}
