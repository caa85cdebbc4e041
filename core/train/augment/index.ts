export * from './augmentation-config.js';
export { augmentPair } from './augment-pair.js';
export { augmentTask } from './augment-task.js';
export type { ExampleSet, LabelledImage } from './example-set.js';
