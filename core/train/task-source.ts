import type { Random } from '../util/random.js';
import type { ExampleSet } from './augment/example-set.js';

/** Where training tasks come from: each call draws a task and n + 1 of its examples at size x size. */
export interface TaskSource {
  readonly name: string;
  /** How many distinct tasks it holds (Infinity for generated ones). */
  readonly taskCount: number;
  sampleSet(rng: Random, size: number, n: number): ExampleSet;
}
