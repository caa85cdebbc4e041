import type { Model } from '../model/model.js';
import { dice } from './dice.js';
import { nearestSupportExample, supportMeanPrior } from './in-context-baselines.js';
import type { InContextTask } from './in-context-task.js';
import { mixSeed } from '../util/mix-seed.js';

/** Per-query Dice of the network and of the baselines that saw the same support sets. */
export interface InContextScores {
  universeg: number[];
  supportMean: number[];
  /**
   * Copy of the label of the drawn support example (of any member) whose slice is nearest the query's; only where
   * the task's examples are slices of one volume.
   */
  nearestSlice?: number[];
}

export interface InContextCellOptions {
  supportSize: number;
  ensemble: number;
  /** The first `queries` of the task's queries are evaluated. */
  queries: number;
  /** Each query draws its own support sets, from a stream seeded by (seed, query). */
  seed: number;
  signal?: AbortSignal;
  onQuery?: () => void;
}

/**
 * One cell of the 2D table for one task: every query gets K support sets of N examples drawn at random from
 * the task's pool, the network's mean probability is thresholded at 0.5, and Dice is taken against the query's
 * label at the model's input size, as the network sees it.
 */
export async function evaluateInContextCell(model: Model, task: InContextTask, options: InContextCellOptions): Promise<InContextScores> {
  const { size, pool, queries } = task;
  const plane = size * size;
  if (model.config.inputSize !== size)
    throw new Error(
      `task ${task.name} was prepared at ${size}x${size} but the model takes ${model.config.inputSize}x${model.config.inputSize}`,
    );
  if (options.queries > queries.count) throw new RangeError(`task ${task.name} has ${queries.count} queries, ${options.queries} asked for`);
  const slices = pool.slices && queries.slices ? { pool: pool.slices, queries: queries.slices } : undefined;
  const scores: InContextScores = { universeg: [], supportMean: [], ...(slices ? { nearestSlice: [] } : {}) };
  for (let q = 0; q < options.queries; q++) {
    options.signal?.throwIfAborted();
    const truth = queries.labels.subarray(q * plane, (q + 1) * plane);
    const result = await model.predict({
      queries: queries.images.subarray(q * plane, (q + 1) * plane),
      count: 1,
      poolImages: pool.images,
      poolLabels: pool.labels,
      poolSize: pool.count,
      height: size,
      width: size,
      supportSize: options.supportSize,
      ensemble: options.ensemble,
      seed: mixSeed(options.seed, q),
      signal: options.signal,
    });
    scores.universeg.push(
      dice(
        result.probabilities.map((p) => (p > 0.5 ? 1 : 0)),
        truth,
      ),
    );
    scores.supportMean.push(dice(supportMeanPrior(pool.labels, plane, result.members), truth));
    if (slices) {
      const p = nearestSupportExample(slices.queries[q]!, slices.pool, result.members);
      scores.nearestSlice!.push(dice(pool.labels.subarray(p * plane, (p + 1) * plane), truth));
    }
    options.onQuery?.();
  }
  return scores;
}
