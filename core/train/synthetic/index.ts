export { createSyntheticTask, defaultSyntheticTaskOptions } from './synthetic-task.js';
export type { DeformationRange, SyntheticTask, SyntheticTaskOptions } from './synthetic-task.js';
export { sampleSyntheticSet } from './synthetic-set.js';
