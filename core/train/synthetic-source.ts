import type { Random } from '../util/random.js';
import { sampleSyntheticSet } from './synthetic/index.js';
import type { TaskSource } from './task-source.js';

/** SynthMorph-style tasks generated on the fly: a new random anatomy for every set. */
export const syntheticSource: TaskSource = {
  name: 'synthetic',
  taskCount: Infinity,
  sampleSet: (rng: Random, size: number, n: number) => sampleSyntheticSet(rng, size, n),
};
