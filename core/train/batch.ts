import type { Random } from '../util/random.js';
import { augmentPair, augmentTask, photometricInTask, type AugmentationConfig } from './augment/index.js';
import type { ExampleSet } from './augment/example-set.js';
import type { TaskSource } from './task-source.js';

/** B example sets packed in the layouts of the training graph: (B,1,S,S) and (B,N,1,S,S). */
export interface TrainingBatch {
  query: Float32Array;
  queryLabel: Float32Array;
  supportImages: Float32Array;
  supportLabels: Float32Array;
  batch: number;
  support: number;
  size: number;
  /** Which source each set came from. */
  sources: string[];
}

export interface WeightedSource {
  source: TaskSource;
  weight: number;
}

/**
 * Algorithm 1 of the paper for one batch: per set, draw a source by weight, a task and n + 1 of its examples;
 * augment every pair on its own, then the whole set alike.
 */
export function sampleBatch(
  rng: Random,
  sources: readonly WeightedSource[],
  shape: { batch: number; support: number; size: number },
  augmentation: AugmentationConfig | null,
): TrainingBatch {
  const { batch: B, support: N, size: S } = shape;
  const plane = S * S;
  const out: TrainingBatch = {
    query: new Float32Array(B * plane),
    queryLabel: new Float32Array(B * plane),
    supportImages: new Float32Array(B * N * plane),
    supportLabels: new Float32Array(B * N * plane),
    batch: B,
    support: N,
    size: S,
    sources: [],
  };
  const total = sources.reduce((s, w) => s + w.weight, 0);
  for (let b = 0; b < B; b++) {
    let pick = rng.next() * total;
    const chosen = sources.find((w) => (pick -= w.weight) < 0) ?? sources[sources.length - 1]!;
    let set = chosen.source.sampleSet(rng, S, N);
    if (augmentation) set = augmentTask(rng, augmentEachPair(rng, set, S, augmentation), S, augmentation);
    out.query.set(set.query, b * plane);
    out.queryLabel.set(set.queryLabel, b * plane);
    set.support.forEach((pair, i) => {
      out.supportImages.set(pair.image, (b * N + i) * plane);
      out.supportLabels.set(pair.label, (b * N + i) * plane);
    });
    out.sources.push(chosen.source.name);
  }
  return out;
}

/**
 * In-task augmentation: each pair of the set (query and support) on its own, as different subjects and poses.
 * An aligned set keeps its geometry: moving its pairs apart would teach the network to ignore the correspondence
 * that propagation gives it.
 */
export function augmentEachPair(rng: Random, set: ExampleSet, size: number, augmentation: AugmentationConfig): ExampleSet {
  const config = set.aligned ? photometricInTask(augmentation) : augmentation;
  const query = augmentPair(rng, { image: set.query, label: set.queryLabel }, size, config);
  return { ...set, query: query.image, queryLabel: query.label, support: set.support.map((pair) => augmentPair(rng, pair, size, config)) };
}
