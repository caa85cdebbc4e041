import { augmentPair, defaultAugmentationConfig } from '../train/augment/index.js';
import { createSyntheticTask } from '../train/synthetic/index.js';
import { Random } from '../util/random.js';
import type { InContextTask } from './in-context-task.js';

/**
 * First seed of the evaluation's synthetic tasks; task i is drawn from a fresh Random(SYNTHETIC_EVAL_SEED + i).
 * Training draws its tasks from one stream seeded by the run's --seed (small integers by default) and validates
 * on a stream seeded 0x7a11d (core/train/run-training.ts), so these tasks were never seen in training unless a
 * run was started with --seed in SYNTHETIC_EVAL_SEED .. SYNTHETIC_EVAL_SEED + count.
 */
export const SYNTHETIC_EVAL_SEED = 0xe7a1;

export interface SyntheticTasksOptions {
  count: number;
  firstSeed?: number;
  /** Support pool per task; default 64, the largest support size evaluated. */
  poolSize?: number;
  queries: number;
}

/** Fresh SynthMorph-style tasks at `size` x `size`: a pool and queries of the same anatomy, each with its own deformation and pose. */
export function syntheticInContextTasks(size: number, options: SyntheticTasksOptions): InContextTask[] {
  const firstSeed = options.firstSeed ?? SYNTHETIC_EVAL_SEED;
  const poolSize = options.poolSize ?? 64;
  const plane = size * size;
  return Array.from({ length: options.count }, (_, t) => {
    const seed = firstSeed + t;
    const rng = new Random(seed);
    const task = createSyntheticTask(rng, size);
    const augmentation = defaultAugmentationConfig();
    const draw = (count: number, nonEmpty: boolean) => {
      const images = new Float32Array(count * plane);
      const labels = new Float32Array(count * plane);
      // A deformation can push a small target out of the frame; a query without it has nothing to find.
      for (let i = 0, tries = 0; i < count; tries++) {
        if (tries > 10 * count + 10) throw new Error(`synthetic task seed 0x${seed.toString(16)}: its target keeps leaving the image`);
        // Each example in its own pose, as training's in-task augmentation: without it the support mean alone
        // scores ~85 Dice on these tasks and the table would not tell models apart.
        const example = augmentPair(rng, task.sample(rng), size, augmentation);
        if (nonEmpty && !example.label.some((v) => v > 0)) continue;
        images.set(example.image, i * plane);
        labels.set(example.label, i * plane);
        i++;
      }
      return { images, labels, count };
    };
    return { name: `synthetic 0x${seed.toString(16)}`, size, pool: draw(poolSize, false), queries: draw(options.queries, true) };
  });
}
