import { extractSlice } from '../data/extract-slice.js';
import type { Axis } from '../data/volume.js';
import { imageInput, maskInput, stack } from '../infer/model-input.js';
import type { ModelConfig } from '../model/config.js';
import { sliceTasks } from '../train/slice-tasks.js';
import { Random } from '../util/random.js';
import type { HeldoutData } from './heldout-data.js';
import type { ExampleStack, InContextTask } from './in-context-task.js';
import { mixSeed } from '../util/mix-seed.js';
import { slabSplit, type SlabSplitOptions } from './slab-split.js';

export interface HeldoutTasksOptions {
  /** Axes the 2D slices are cut across; default all three, as in training (MegaMedical). */
  axes?: readonly Axis[];
  slab?: SlabSplitOptions;
  /** Queries kept per task, in a seeded random order. */
  maxQueries: number;
  seed: number;
}

/**
 * One 2D in-context task per held-out region and axis. Its slices are those training would have used (the
 * MegaMedical rule of core/train/slice-tasks.ts), split into disjoint slabs: support slabs form the pool,
 * query slabs the queries. A query whose label vanishes at the model's input size is left out.
 */
export function heldoutInContextTasks(
  data: HeldoutData,
  config: ModelConfig,
  options: HeldoutTasksOptions,
): { tasks: InContextTask[]; skipped: string[] } {
  const axes = [...new Set<Axis>(options.axes ?? [0, 1, 2])].sort();
  const wanted = new Set(data.regions.map((r) => r.id));
  const others = new Set([...new Set(data.labels.data)].filter((v) => !wanted.has(v)));
  const found = sliceTasks(data.name, data.image, data.labels, { exclude: others });
  const tasks: InContextTask[] = [];
  const skipped: string[] = [];
  for (const region of data.regions) {
    for (const axis of axes) {
      const name = `${region.id} ${region.name} axis ${axis}`;
      const task = found.find((t) => t.label === region.id && t.axis === axis);
      const { support, query } = slabSplit(task?.slices ?? [], options.slab);
      const prepare = (slices: number[]): ExampleStack => {
        const images = slices.map((s) => imageInput(extractSlice(data.image, axis, s), config));
        const labels = slices.map((s) => maskInput(extractSlice(data.labels, axis, s), config, region.id));
        return { images: stack(images), labels: stack(labels), count: slices.length, slices };
      };
      const rng = new Random(mixSeed(options.seed, region.id, axis));
      const order = rng.sample(query.length, query.length).map((i) => query[i]!);
      const queries = prepare(order);
      const plane = config.inputSize * config.inputSize;
      const keep = order
        .flatMap((_, q) => (queries.labels.subarray(q * plane, (q + 1) * plane).some((v) => v > 0) ? [q] : []))
        .slice(0, options.maxQueries);
      if (support.length === 0 || keep.length === 0) {
        skipped.push(
          `${name}: ${task ? `${support.length} support and ${keep.length} query slices` : 'too few slices'} after the slab split`,
        );
        continue;
      }
      tasks.push({
        name,
        size: config.inputSize,
        pool: prepare(support),
        queries: {
          images: stack(keep.map((q) => queries.images.subarray(q * plane, (q + 1) * plane))),
          labels: stack(keep.map((q) => queries.labels.subarray(q * plane, (q + 1) * plane))),
          count: keep.length,
          slices: keep.map((q) => order[q]!),
        },
      });
    }
  }
  return { tasks, skipped };
}
