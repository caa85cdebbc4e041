import { Random } from '../util/random.js';
import { diceOf, type Overlap } from './dice.js';

export interface BootstrapOptions {
  /** Resamples drawn; default 1000. */
  resamples?: number;
  seed?: number;
}

/** A statistic on the sample as measured, with its bootstrap standard error. */
export interface Estimate {
  mean: number;
  /** Standard deviation of the statistic over the resamples. */
  std: number;
  /** Sampling units (slices) the statistic was computed from. */
  n: number;
}

export const DEFAULT_RESAMPLES = 1000;

/**
 * `statistic` on the sample as given, and its spread over resamples that draw, within each stratum, as many
 * units as it holds, with replacement. `picks[s]` lists the units of stratum s to use (the identity for the
 * estimate itself). Strata keep a unit of one group from standing in for another (a slice of one region for a
 * slice of another).
 */
export function bootstrap(
  strata: readonly number[],
  statistic: (picks: readonly Int32Array[]) => number,
  options: BootstrapOptions = {},
): Estimate {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  if (!Number.isInteger(resamples) || resamples < 2) throw new RangeError(`bootstrap needs at least 2 resamples, got ${resamples}`);
  if (strata.length === 0 || strata.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new RangeError(`bootstrap needs at least one unit in every stratum, got sizes [${strata.join(', ')}]`);
  }
  const identity = strata.map((n) => Int32Array.from({ length: n }, (_, i) => i));
  const mean = statistic(identity);
  const rng = new Random(options.seed ?? 0);
  const picks = strata.map((n) => new Int32Array(n));
  let sum = 0;
  let sumSq = 0;
  for (let r = 0; r < resamples; r++) {
    strata.forEach((n, s) => {
      const p = picks[s]!;
      for (let i = 0; i < n; i++) p[i] = rng.int(n);
    });
    const v = statistic(picks);
    sum += v;
    sumSq += v * v;
  }
  const m = sum / resamples;
  const variance = Math.max(0, (sumSq - resamples * m * m) / (resamples - 1));
  return { mean, std: Math.sqrt(variance), n: strata.reduce((a, b) => a + b, 0) };
}

/** The mean of per-unit values (per-slice Dice), resampling the units. */
export function bootstrapMean(values: readonly number[], options: BootstrapOptions = {}): Estimate {
  return bootstrap(
    [values.length],
    ([picks]) => {
      let s = 0;
      for (const i of picks!) s += values[i]!;
      return s / picks!.length;
    },
    options,
  );
}

/**
 * The mean over groups (regions) of each group's volume Dice, the ratio of its slices' summed overlap counts;
 * slices are resampled within their group.
 */
export function bootstrapMeanVolumeDice(groups: readonly (readonly Overlap[])[], options: BootstrapOptions = {}): Estimate {
  return bootstrap(
    groups.map((g) => g.length),
    (picks) => meanOver(groups, (g) => volumeDice(groups[g]!, picks[g]!)),
    options,
  );
}

/**
 * The mean over groups of the difference in volume Dice between two methods measured on the same slices
 * (`groups[g][i]` and `baseline[g][i]` count the same slice): paired, each resample draws the same slices for both.
 */
export function bootstrapMeanVolumeDiceDifference(
  groups: readonly (readonly Overlap[])[],
  baseline: readonly (readonly Overlap[])[],
  options: BootstrapOptions = {},
): Estimate {
  if (groups.length !== baseline.length || groups.some((g, i) => g.length !== baseline[i]!.length)) {
    throw new RangeError('a paired difference needs both methods counted on the same slices');
  }
  return bootstrap(
    groups.map((g) => g.length),
    (picks) => meanOver(groups, (g) => volumeDice(groups[g]!, picks[g]!) - volumeDice(baseline[g]!, picks[g]!)),
    options,
  );
}

function volumeDice(slices: readonly Overlap[], picks: Int32Array): number {
  const total = { intersection: 0, sizeSum: 0 };
  for (const i of picks) {
    total.intersection += slices[i]!.intersection;
    total.sizeSum += slices[i]!.sizeSum;
  }
  return diceOf(total);
}

function meanOver(groups: readonly unknown[], value: (g: number) => number): number {
  let s = 0;
  for (let g = 0; g < groups.length; g++) s += value(g);
  return s / groups.length;
}
