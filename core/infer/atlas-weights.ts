import type { Model } from '../model/model.js';
import { fuseAtlases, networkProbabilities, registerAtlas, weigh, type Atlas, type NetworkSettings } from './atlas-segmentation.js';
import type { RegistrationSettings } from './volume-registration.js';

/** The network's weights against the multi-atlas prior that leave-one-out compares. */
export const CANDIDATE_WEIGHTS = [0, 0.25, 0.5, 0.75, 1] as const;

/** The network's weight used when there is no leave-one-out evidence (a single support subject). */
export const FALLBACK_WEIGHT = 0.5;

export interface LabelWeight {
  value: number;
  /** The network's weight chosen for this label. */
  weight: number;
  /** Mean leave-one-out Dice (0..1) per candidate weight, in CANDIDATE_WEIGHTS' order; empty without evidence. */
  dice: number[];
  /** Leave-one-out Dice at the chosen weight: the estimate reported for each query; null without evidence. */
  estimatedDice: number | null;
  /** Leave-one-out Dice of the prior alone (weight 0) and the network alone (weight 1). */
  priorDice: number | null;
  networkDice: number | null;
}

export interface AtlasWeights {
  labels: LabelWeight[];
  /** Support subjects registered to each other, and why any pair failed. */
  folds: number;
  problems: { source: string; reason: string }[];
  milliseconds: number;
}

/**
 * How far to trust the network against the registered atlases, per label, from the support subjects themselves:
 * each one in turn is segmented from the others as a query would be, and its own labelled slices are the truth.
 * Never the queries' labels (there are none). With S subjects a fold fuses S - 1 atlases where a query fuses S, so
 * the estimate is a little pessimistic.
 */
export async function atlasWeights(
  model: Model,
  atlases: readonly Atlas[],
  values: readonly number[],
  options: {
    registration?: RegistrationSettings;
    network?: NetworkSettings;
    seed?: number;
    signal?: AbortSignal;
    onProgress?: (fold: number, folds: number) => void;
  } = {},
): Promise<AtlasWeights> {
  const started = performance.now();
  const sums = values.map(() => CANDIDATE_WEIGHTS.map(() => 0));
  const counts = values.map(() => 0);
  const problems: AtlasWeights['problems'] = [];
  let folds = 0;
  if (atlases.length > 1) {
    for (const [b, target] of atlases.entries()) {
      options.signal?.throwIfAborted();
      const others = [];
      for (const [a, atlas] of atlases.entries()) {
        if (a === b) continue;
        try {
          others.push(await registerAtlas(target.image, atlas, values, options.registration));
        } catch (err) {
          problems.push({ source: `${atlas.source} onto ${target.source}`, reason: (err as Error).message });
        }
      }
      if (others.length === 0) continue;
      const prior = fuseAtlases(others, values);
      const network = await networkProbabilities(model, target.image, others, prior, {
        settings: options.network,
        seed: options.seed,
        signal: options.signal,
      });
      for (const [i, value] of values.entries()) {
        const truth = target.labels.data;
        if (!target.labels.data.includes(value)) continue;
        CANDIDATE_WEIGHTS.forEach((w, c) => (sums[i]![c]! += dice(weigh(network.get(value)!, prior.get(value)!, w), truth, value, target)));
        counts[i]!++;
      }
      folds++;
      options.onProgress?.(b + 1, atlases.length);
    }
  }
  const labels = values.map((value, i): LabelWeight => {
    if (counts[i] === 0) return { value, weight: FALLBACK_WEIGHT, dice: [], estimatedDice: null, priorDice: null, networkDice: null };
    const mean = sums[i]!.map((s) => s / counts[i]!);
    // Ties go to the smaller weight: the prior is the cheaper, steadier of the two.
    const best = mean.reduce((bi, d, c) => (d > mean[bi]! + 1e-9 ? c : bi), 0);
    return {
      value,
      weight: CANDIDATE_WEIGHTS[best]!,
      dice: mean,
      estimatedDice: mean[best]!,
      priorDice: mean[0]!,
      networkDice: mean.at(-1)!,
    };
  });
  return { labels, folds, problems, milliseconds: performance.now() - started };
}

/** Dice of `probability > 0.5` against `truth == value`, on the atlas's labelled slices only. */
function dice(probability: Float32Array, truth: Uint8Array, value: number, atlas: Atlas): number {
  const plane = atlas.labels.size[0] * atlas.labels.size[1];
  let both = 0;
  let sum = 0;
  for (const k of atlas.labelledSlices) {
    for (let n = k * plane; n < (k + 1) * plane; n++) {
      const [p, t] = [probability[n]! > 0.5, truth[n] === value];
      if (p && t) both++;
      if (p) sum++;
      if (t) sum++;
    }
  }
  return sum === 0 ? 1 : (2 * both) / sum;
}
