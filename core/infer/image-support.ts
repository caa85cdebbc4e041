import { extractSlice, type Slice } from '../data/extract-slice.js';
import type { LabelVolume, Volume } from '../data/volume.js';
import type { ModelConfig } from '../model/config.js';
import type { Model } from '../model/model.js';
import { withRegisteredExamples } from './registered-example.js';
import { LabelMerge } from './label-merge.js';
import { imageInput, maskInput, stack, windowToSlice } from './model-input.js';
import { DEFAULT_PROPAGATION_SUPPORT } from './propagate-volume.js';

/** A 2D image the user labelled, as support for the other images of its study. */
export interface LabelledImage {
  name: string;
  image: Volume;
  labels: LabelVolume;
}

/** One label value's binary task: the support images that show it, whole, at the model's input size. */
export interface ImageTask {
  value: number;
  images: Float32Array;
  labels: Float32Array;
  count: number;
}

/**
 * The tasks of a 2D study: one per label value (default: every value on any support image), each from the
 * support images that show it. Images of one folder are separate pictures, not neighbouring slices, so each is
 * taken whole, as `universeg segment` takes them.
 */
export function imageSupportTasks(supports: readonly LabelledImage[], config: ModelConfig, values?: readonly number[]): ImageTask[] {
  for (const { name, image, labels } of supports) {
    if (image.size[2] !== 1) throw new Error(`${name}: is a volume (${image.size.join('x')}), not a 2D image; propagate within it instead`);
    if (labels.size.join() !== image.size.join())
      throw new Error(`${name}: its label map is ${labels.size.join('x')} but the image is ${image.size.join('x')}`);
  }
  const shown = supports.map((s) => new Set(s.labels.data));
  const present = [...new Set(shown.flatMap((set) => [...set]))].filter((v) => v !== 0).sort((a, b) => a - b);
  const wanted = values ?? present;
  if (wanted.length === 0) throw new Error('the support images hold no label: paint on them first');
  return wanted.map((value) => {
    const examples = supports.filter((_, i) => shown[i]!.has(value));
    if (examples.length === 0) throw new Error(`label ${value} is on no support image: paint it on one and mark that image as support`);
    return {
      value,
      images: stack(examples.map((e) => imageInput(extractSlice(e.image, 2, 0), config))),
      labels: stack(examples.map((e) => maskInput(extractSlice(e.labels, 2, 0), config, value))),
      count: examples.length,
    };
  });
}

export interface SegmentWithTasksOptions {
  /** Support images per set; default DEFAULT_PROPAGATION_SUPPORT, at most those showing the label. */
  supportSize?: number;
  ensemble?: number;
  seed?: number;
  /** The network's weight against the best-fitting registered support image (registered-example.ts), as `segment` weighs it. */
  networkWeight?: number;
  signal?: AbortSignal;
}

/**
 * A 2D image segmented for every task as `universeg segment` segments it (the network on the support images as given
 * and registered onto the image, weighed against the one that fits best once registered: withRegisteredExamples),
 * the labels merged; the spread is the network's on the examples as given, zero without an ensemble.
 */
export async function segmentWithTasks(model: Model, image: Volume, tasks: readonly ImageTask[], options: SegmentWithTasksOptions = {}) {
  if (image.size[2] !== 1) throw new Error(`${image.source ?? 'the image'} is a volume (${image.size.join('x')}), not a 2D image`);
  const slice: Slice = extractSlice(image, 2, 0);
  const size = model.config.inputSize;
  const query = imageInput(slice, model.config);
  const merged = new LabelMerge(slice.width * slice.height);
  let networkRuns = 0;
  for (const task of tasks) {
    const result = await model.predict({
      queries: query,
      count: 1,
      poolImages: task.images,
      poolLabels: task.labels,
      poolSize: task.count,
      height: size,
      width: size,
      supportSize: Math.min(options.supportSize ?? DEFAULT_PROPAGATION_SUPPORT, task.count),
      ensemble: options.ensemble ?? 1,
      seed: options.seed,
      signal: options.signal,
    });
    const back = (map: Float32Array) => windowToSlice(map, size, undefined, slice.width, slice.height);
    const { probability, networkRuns: alignedRuns } = await withRegisteredExamples(
      model,
      result.probabilities,
      query,
      task,
      result.members,
      options,
    );
    networkRuns += result.members.length + alignedRuns;
    merged.add(task.value, back(probability), result.members.length > 1 ? back(result.spread) : undefined);
  }
  return {
    labels: { data: merged.label, width: slice.width, height: slice.height } as Slice<Uint8Array>,
    spread: merged.spread,
    networkRuns,
  };
}
