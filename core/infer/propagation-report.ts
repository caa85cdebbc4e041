import { estimateDice } from './dice-estimate.js';
import type { LabelTask } from './label-tasks.js';

export interface LabelReport {
  value: number;
  /** The labelled slices showing it. */
  examples: number[];
  /** First and last slice it may be predicted on: set by the user, or estimated (structure-ends.ts). */
  extent: [number, number];
  extentFrom: 'estimated' | 'user';
  /** Virtual slices without the label just past its ends, which stop it as a painted empty slice would (structure-ends.ts). */
  ends: number[];
  /**
   * Expected Dice (0..1) of the label on its predicted slices, from how far network and shape agree there
   * (dice-estimate.ts); null unless both ran on some slice.
   */
  estimatedDice: number | null;
  /**
   * Dice (0..1) of its interior labelled slices, each predicted from the others as its unlabelled slices were, as
   * run and by the network or the shape alone (leave-one-out.ts); null with fewer than three labelled slices.
   */
  leaveOneOut: { asRun: number; networkAlone: number | null; shapeAlone: number | null } | null;
  /**
   * Dice between the network's and the interpolated shape's masks on the slices predicted in this run (kept
   * slices are not counted); null unless both ran.
   */
  agreement: number | null;
}

/** What propagation measured of each label: its range, and how far network and shape agreed and predicted its own slices. */
export interface LabelEvidence {
  depth: number;
  isLabelled: ReadonlySet<number>;
  networkWeight: number;
  /** Per label, leave-one-out Dice as run, network alone and shape alone (leave-one-out.ts), if it ran. */
  leaveOneOut: readonly (readonly number[] | undefined)[];
  /** Per label, the overlap counts of the network's and the shape's masks on its predicted slices. */
  agreement: readonly { intersection: number; sizeSum: number }[];
}

/** Each label's report, in the tasks' order. */
export function labelReports(tasks: readonly LabelTask[], evidence: LabelEvidence): LabelReport[] {
  const { depth, isLabelled, networkWeight } = evidence;
  return tasks.map((t, i): LabelReport => {
    let first = t.examples[0]!;
    let last = t.examples.at(-1)!;
    for (let s = 0; s < depth; s++) {
      if (isLabelled.has(s) || !t.looksFor(s)) continue;
      first = Math.min(first, s);
      last = Math.max(last, s);
    }
    const dice = evidence.leaveOneOut[i];
    const counts = evidence.agreement[i]!;
    const agreed = counts.sizeSum > 0 ? (2 * counts.intersection) / counts.sizeSum : null;
    return {
      value: t.value,
      examples: t.examples,
      extent: [first, last],
      extentFrom: t.userExtent ? 'user' : 'estimated',
      ends: t.ends,
      estimatedDice: estimateDice(agreed),
      leaveOneOut: dice
        ? {
            asRun: dice[0]!,
            networkAlone: networkWeight > 0 && networkWeight < 1 ? dice[1]! : null,
            shapeAlone: networkWeight > 0 ? dice[2]! : null,
          }
        : null,
      agreement: agreed,
    };
  });
}

/** The slice whose painting would tell propagation most, and why. */
export interface SuggestedSlice {
  index: number;
  reason: string;
}

/**
 * Where the network and the interpolated shape disagree most, the user's answer settles the most; without both
 * (one of them weighed 0, or nothing recomputed), the middle of the widest stretch of a label's range without a
 * labelled slice.
 */
export function suggestSlice(
  conflicts: ReadonlyMap<number, number>,
  perLabel: readonly LabelReport[],
  labelled: readonly number[],
): SuggestedSlice | null {
  let best: [number, number] | undefined;
  for (const [s, n] of conflicts) if (n > 0 && (!best || n > best[1])) best = [s, n];
  if (best) return { index: best[0], reason: `the network and the interpolated shape disagree on ${best[1]} pixels there` };
  let widest: { index: number; width: number } | undefined;
  for (const {
    extent: [first, last],
  } of perLabel) {
    const stops = [first - 1, ...labelled.filter((l) => l >= first && l <= last), last + 1];
    for (let i = 1; i < stops.length; i++) {
      const width = stops[i]! - stops[i - 1]! - 1;
      if (width > 0 && (!widest || width > widest.width)) widest = { index: Math.floor((stops[i]! + stops[i - 1]!) / 2), width };
    }
  }
  return widest ? { index: widest.index, reason: `the middle of ${widest.width} slices without a labelled one` } : null;
}
