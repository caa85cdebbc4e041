import type { Slice } from '../data/extract-slice.js';
import { endsForExtent, virtualEnds, type SliceExtent } from './structure-ends.js';

/**
 * Slices over which the network's weight falls to nothing before the end of a label's range at a closed end (a
 * labelled slice without it beyond its outermost example). Shown that empty slice, the network still paints the
 * structure's full width up to where the range is cut, and the structure may have ended slices before: the
 * interpolated shape, shrinking towards the end, decides the last slices. On training regions every 10th / 20th
 * slice labelled: 80.5 / 67.5 Dice and 1.0% / 0.8% of a region's voxels beyond its true ends, against 80.2 / 68.6
 * and 1.7% / 1.8% without; fading over the whole range instead cost 2.9 Dice at every 20th (MODEL_CARD.md).
 */
export const CLOSED_END_FADE = 3;

/** One label value as propagation predicts it: where its examples are, where it ends, and where it is looked for. */
export interface LabelTask {
  value: number;
  /** The labelled slices showing it, ascending. */
  examples: number[];
  /** Virtual slices without it just past its open ends (structure-ends.ts). */
  ends: number[];
  /** The nearest labelled slice lacking it below its first / above its last example: where it exists, that end is closed. */
  closedBelow: number | undefined;
  closedAbove: number | undefined;
  userExtent: SliceExtent | undefined;
  /** Examples in a support set (N, at most its examples). */
  supportSize: number;
  /** How many of the nearest examples support sets draw from (2N with an ensemble). */
  candidates: number;
  /** Whether it is predicted on `slice`: within the user's extent, and no slice without it nearer than one with it. */
  looksFor(slice: number): boolean;
  /** Whether `slice` lies past an open end. */
  beyondOpenEnd(slice: number): boolean;
  /** The labelled slice without it that closes the end `slice` lies past, if any. */
  closedEndBeyond(slice: number): number | undefined;
  /**
   * The network's share at `slice` past a closed end: full until CLOSED_END_FADE slices before the range ends, then
   * falling to none (the range ends halfway to the nearer of the empty slice and a virtual end); 1 elsewhere.
   */
  closedEndShare(slice: number): number;
}

export interface LabelTaskContext {
  /** The labelled slices, ascending, and the label values each shows. */
  labelled: readonly number[];
  shows: ReadonlyMap<number, ReadonlySet<number>>;
  labelOf: (slice: number) => Slice<Uint8Array>;
  /** Per label value, the range the user set for it. */
  extents?: ReadonlyMap<number, SliceExtent>;
  /** In-plane pixel and slice spacing in mm. */
  spacing: { pixel: number; slice: number };
  endReach: number;
  /** Support set size asked for, and ensemble members. */
  supportSize: number;
  ensemble: number;
}

/** Each label value's task, from the labelled slices that show it and those that do not. */
export function labelTasks(values: readonly number[], context: LabelTaskContext): LabelTask[] {
  const { labelled, shows } = context;
  return values.map((value) => {
    const examples = labelled.filter((l) => shows.get(l)!.has(value));
    const lacking = labelled.filter((l) => !shows.get(l)!.has(value));
    const [closedBelow, closedAbove] = [lacking.filter((l) => l < examples[0]!).at(-1), lacking.find((l) => l > examples.at(-1)!)];
    const userExtent = context.extents?.get(value);
    const ends = userExtent
      ? endsForExtent(examples, userExtent)
      : virtualEnds(examples, context.labelOf, value, { below: closedBelow, above: closedAbove }, context.spacing, context.endReach);
    const absent = [...lacking, ...ends].sort((a, b) => a - b);
    const within = (s: number) => !userExtent || (s >= userExtent[0] && s <= userExtent[1]);
    const closedEndBeyond = (s: number) => (s < examples[0]! ? closedBelow : s > examples.at(-1)! ? closedAbove : undefined);
    const supportSize = Math.min(context.supportSize, examples.length);
    return {
      value,
      examples,
      ends,
      closedBelow,
      closedAbove,
      userExtent,
      supportSize,
      candidates: context.ensemble > 1 ? Math.min(examples.length, 2 * supportSize) : supportSize,
      looksFor: (s) => within(s) && !nearerAbsent(s, examples, absent),
      beyondOpenEnd: (s) => (closedBelow === undefined && s < examples[0]!) || (closedAbove === undefined && s > examples.at(-1)!),
      closedEndBeyond,
      closedEndShare: (s) => {
        const closed = closedEndBeyond(s);
        if (closed === undefined) return 1;
        const outer = s < examples[0]! ? examples[0]! : examples.at(-1)!;
        const stops = [closed, ...ends].filter((e) => Math.sign(e - outer) === Math.sign(s - outer));
        const reach = Math.min(...stops.map((e) => Math.abs(e - outer))) / 2;
        return Math.max(0, Math.min(1, (reach + 0.5 - Math.abs(s - outer)) / CLOSED_END_FADE));
      },
    };
  });
}

/**
 * True when a slice without the label (labelled so, or a virtual end of it) is nearer to `slice` than any labelled
 * slice showing it: the user has marked where the structure is absent, and it is taken to end halfway between that
 * slice and the last one showing it. The network, shown only examples of the structure, finds it in every slice
 * it is asked about; asked beyond the structure's end it paints a ghost of the nearest example.
 */
function nearerAbsent(slice: number, examples: readonly number[], absent: readonly number[]): boolean {
  const nearest = (slices: readonly number[]) => slices.reduce((m, l) => Math.min(m, Math.abs(l - slice)), Infinity);
  return nearest(absent) < nearest(examples);
}
