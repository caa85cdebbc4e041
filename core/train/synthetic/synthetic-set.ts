import type { Random } from '../../util/random.js';
import type { ExampleSet } from '../augment/example-set.js';
import { createSyntheticTask, type SyntheticTaskOptions } from './synthetic-task.js';

/** A fresh synthetic task and n + 1 of its examples: one query and n support pairs. */
export function sampleSyntheticSet(rng: Random, size: number, n: number, options: Partial<SyntheticTaskOptions> = {}): ExampleSet {
  if (!Number.isInteger(n) || n < 1) throw new Error(`sampleSyntheticSet: support size must be an integer >= 1, got ${n}`);
  const task = createSyntheticTask(rng, size, options);
  const query = task.sample(rng);
  const support = Array.from({ length: n }, () => task.sample(rng));
  return { query: query.image, queryLabel: query.label, support };
}
