import { extractSlice } from '../data/extract-slice.js';
import type { Axis, LabelVolume, Volume } from '../data/volume.js';
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
  /** How a derived family (core/eval/derived-families.ts) changes the tasks; none for the held-out family itself. */
  variant?: TaskVariant;
}

/** A change of the held-out tasks that keeps their regions, axes and slab split. */
export interface TaskVariant {
  /**
   * Volumes on the held-out volume's grid that the queries are cut from, in place of it (the support stays the
   * held-out volume): the query slabs' slices of every one, in one seeded order.
   */
  queryVolumes?: readonly { image: Volume; labels: LabelVolume }[];
  /** A map of the normalised intensities ([0, 1] to [0, 1]) per task, applied to its support and queries alike. */
  intensity?: (region: number, axis: Axis) => (v: number) => number;
  /** The label at the model's input size from the region's binary mask there (size x size), support and queries alike. */
  label?: (mask: Float32Array, size: number) => Float32Array;
}

/**
 * One 2D in-context task per held-out region and axis. Its slices are those training would have used (the
 * MegaMedical rule of core/train/slice-tasks.ts), split into disjoint slabs: support slabs form the pool,
 * query slabs the queries. A query whose label vanishes at the model's input size is left out. A `variant`
 * changes images, labels or where the queries come from, and keeps all of this.
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
  const queryVolumes = options.variant?.queryVolumes ?? [data];
  const tasks: InContextTask[] = [];
  const skipped: string[] = [];
  for (const region of data.regions) {
    for (const axis of axes) {
      const name = `${region.id} ${region.name} axis ${axis}`;
      const task = found.find((t) => t.label === region.id && t.axis === axis);
      const { support, query } = slabSplit(task?.slices ?? [], options.slab);
      const map = options.variant?.intensity?.(region.id, axis);
      const relabel = options.variant?.label;
      const prepare = (slices: readonly number[], from: readonly { image: Volume; labels: LabelVolume }[]): ExampleStack => {
        const images = slices.map((s, i) => {
          const input = imageInput(extractSlice(from[i]!.image, axis, s), config);
          return map ? input.map(map) : input;
        });
        const labels = slices.map((s, i) => {
          const mask = maskInput(extractSlice(from[i]!.labels, axis, s), config, region.id);
          return relabel ? relabel(mask, config.inputSize) : mask;
        });
        return { images: stack(images), labels: stack(labels), count: slices.length, slices: [...slices] };
      };
      const rng = new Random(mixSeed(options.seed, region.id, axis));
      // Candidate queries: (volume, slice); with the held-out volume alone, the same order as it always had.
      const candidates = queryVolumes.flatMap((v) => query.map((s) => ({ volume: v, slice: s })));
      const order = rng.sample(candidates.length, candidates.length).map((i) => candidates[i]!);
      const queries = prepare(
        order.map((c) => c.slice),
        order.map((c) => c.volume),
      );
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
        pool: prepare(
          support,
          support.map(() => data),
        ),
        queries: {
          images: stack(keep.map((q) => queries.images.subarray(q * plane, (q + 1) * plane))),
          labels: stack(keep.map((q) => queries.labels.subarray(q * plane, (q + 1) * plane))),
          count: keep.length,
          slices: keep.map((q) => order[q]!.slice),
        },
      });
    }
  }
  return { tasks, skipped };
}
